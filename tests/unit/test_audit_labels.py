"""Every action the code audits has words on the Audit page, in French and English (#16: no raw codes)."""

from __future__ import annotations

import ast
import re

from inbox import i18n
from inbox.privacy.audit_labels import ACTIONS, SYSTEM_ACTORS, action_label, actor_label, subject_label
from tests.conftest import ROOT

CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")
# Codes built at run time: f"template.{action}", f"bulk.{name}", and the two-way ones chosen by a condition.
BUILT = {
    *(f"template.{a}" for a in ("created", "edited", "retired", "restored")),
    *(f"bulk.{a}" for a in ("assign", "tags", "status", "dismiss", "incident")),
}


def _audited_codes() -> set[str]:
    """The action codes the product passes to an audit call, or names as an audit action constant."""
    found: set[str] = set()
    for path in (ROOT / "inbox").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in ("audit", "_audit", "view") and len(node.args) >= 3:
                    found |= _constants(node.args[2])
                found |= {c for k in node.keywords if k.arg == "action" for c in _constants(k.value)}
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                names += [
                    e.id
                    for t in node.targets
                    if isinstance(t, ast.Tuple)
                    for e in t.elts
                    if isinstance(e, ast.Name)
                ]
                if any("ACTION" in n or n in ("FOUND", "NOT_FOUND") for n in names):
                    found |= _constants(node.value)
    return found | BUILT


def _constants(node: ast.AST) -> set[str]:
    """String constants in ``node`` (a literal, a conditional between two, a tuple) that look like codes."""
    return {
        n.value
        for n in ast.walk(node)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and CODE.match(n.value)
    }


def test_every_audited_action_has_words() -> None:
    codes = _audited_codes()
    assert len(codes) > 60 and {"auth.signed_in", "user.role", "privacy.erase", "peak.started"} <= codes
    assert sorted(codes - set(ACTIONS)) == []


def test_actions_and_subjects_read_in_the_users_language() -> None:
    with i18n.use_language("fr"):
        assert action_label("auth.signed_in") == "Connexion"
        assert action_label("privacy.erase") == "Données personnelles effacées"
        assert subject_label("conversation:12") == "Conversation n°\xa012"
    assert action_label("conversation.assigned") == "Conversation assigned"
    assert action_label("something.new") == "something.new"  # an unknown code is shown, not guessed
    assert subject_label("") == "" and subject_label("planet:3") == "planet:3"


def test_a_spike_is_named_by_what_was_watched() -> None:
    """A spike's key is its scope, not a number: "Pic sur bsky-acme", never "Pic n° channel:bsky-acme"."""
    with i18n.use_language("fr"):
        assert subject_label("spike:channel:bsky-acme") == "Pic sur bsky-acme"
        said = subject_label("spike:listening:x-acme:acme panne")
        assert said == "Pic sur l'écoute «\xa0acme panne\xa0» (x-acme)"
    assert subject_label("spike:channel:x-acme") == "Spike on x-acme"
    assert subject_label("spike:odd") == "Spike odd"


def _system_actors() -> set[str]:
    """The names the inbox's processes sign audit events with: ``ACTOR = "..."`` constants, ``actor="..."``
    arguments, and a constant second argument of an audit call."""
    found: set[str] = set()
    for path in (ROOT / "inbox").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "ACTOR" for t in node.targets
            ):
                if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                    found.add(node.value.value)
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                values = [k.value for k in node.keywords if k.arg == "actor"]
                if name in ("audit", "_audit") and len(node.args) >= 2:
                    values.append(node.args[1])
                found |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return found


def test_the_inboxs_own_processes_read_as_words() -> None:
    actors = _system_actors()
    assert {"automation", "listener", "webhooks"} <= actors
    assert sorted(actors - set(SYSTEM_ACTORS)) == []
    with i18n.use_language("fr"):
        assert actor_label("automation") == "automatisation"
        assert actor_label("cli:root") == "ligne de commande (root)"
        assert actor_label("maya") == "maya"  # a person: their user name
    assert actor_label("webhooks") == "webhook receiver"
