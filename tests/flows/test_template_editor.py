"""Templates edited on the page's services (#17.8): checked like the file and more, written back to
config/templates.toml with its comments kept, one version per change (who, when, before, after), retire and
restore, usage counts from the replies written with each template. On SQLite and PostgreSQL."""

from __future__ import annotations

import difflib
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from inbox.access import PermissionDenied
from inbox.charter.model import load_charter
from inbox.desk import replying
from inbox.replies import composer, queued, template_editor
from inbox.replies.template_editor import StaleTemplates, TemplateRefused
from inbox.store.tables import AuditEvent, OutboundReply, TemplateVersion, User
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded, seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NEW = {
    "name": "box-outage-fr",
    "title": "Panne box — on s'en occupe",
    "language": "fr",
    "visibility": "public",
    "owner": "Julien Petit, community manager",
    "tags": ["panne", "box"],
    "text": "Bonjour {customer_name}, la panne de box à {city} est connue, nos équipes y sont. ^{agent_name}",
}


@pytest.fixture
def config(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    shutil.copy(ROOT / "config" / "templates.toml", folder / "templates.toml")
    return folder


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    return seed(engine, NOW)


def _user(session: Session, seeded: Seeded, name: str) -> User:
    user = session.get(User, seeded.users[name])
    assert user is not None
    return user


def _save(
    engine: Engine, seeded: Seeded, config: Path, fields: dict[str, Any], original: str | None, **kw: Any
) -> TemplateVersion:
    with Session(engine, expire_on_commit=False) as s, s.begin():
        return template_editor.save(
            s,
            config,
            fields,
            original=original,
            by=_user(s, seeded, kw.pop("by", "maya")),
            comment=kw.pop("comment", "test"),
            now=NOW,
            based_on=kw.pop("based_on", template_editor.digest(template_editor.read_text(config))),
        )


def test_a_new_template_is_appended_with_the_file_s_comments_kept(engine, seeded, config) -> None:
    before = template_editor.read_text(config)
    row = _save(engine, seeded, config, NEW, None, comment="outage in Lyon")
    after = template_editor.read_text(config)
    assert after.startswith(before.rstrip("\n"))  # every comment and template as it was, the new one after
    loaded = composer.load_templates(config).get("box-outage-fr")
    assert loaded is not None and loaded.text == NEW["text"] and loaded.tags == ("panne", "box")
    assert (row.action, row.saved_by, row.before, row.comment) == ("created", "maya", None, "outage in Lyon")
    with Session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "template.created")).one()
        assert event.actor == "maya" and event.target_id == "box-outage-fr"


def test_an_edit_is_a_one_line_change_kept_as_a_version_with_its_diff(engine, seeded, config) -> None:
    before = template_editor.read_text(config)
    thanks = composer.load_templates(config).get("thanks-en")
    assert thanks is not None
    fields = {**thanks.model_dump(), "title": "Thanks for your kind words"}
    row = _save(engine, seeded, config, fields, "thanks-en")
    after = template_editor.read_text(config)
    changed = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:1] in "+-"]
    assert changed == ['- title = "Thanks for the kind words"', '+ title = "Thanks for your kind words"']
    assert row.before is not None
    assert (row.action, row.before["title"], row.after["title"]) == (
        "edited",
        "Thanks for the kind words",
        "Thanks for your kind words",
    )
    diff = template_editor.diff(row)
    assert '-title = "Thanks for the kind words"' in diff and '+title = "Thanks for your kind words"' in diff
    with Session(engine) as s:
        assert [v.id for v in template_editor.history(s, "thanks-en")] == [row.id]


def test_a_retired_template_is_no_longer_offered_and_can_come_back(engine, seeded, config) -> None:
    ack = composer.load_templates(config).get("ack-en")
    assert ack is not None
    with Session(engine) as s, s.begin():
        digest = template_editor.digest(template_editor.read_text(config))
        template_editor.set_retired(
            s, config, ack, True, by=_user(s, seeded, "maya"), comment="old wording", now=NOW, based_on=digest
        )
    files = composer.load_templates(config)
    assert files.get("ack-en") is not None and files.get("ack-en").retired  # type: ignore[union-attr]
    assert "ack-en" not in [t.name for t in composer.search(files.templates, "", visibility=None)]
    retired = files.get("ack-en")
    assert retired is not None
    with Session(engine) as s, s.begin():
        digest = template_editor.digest(template_editor.read_text(config))
        template_editor.set_retired(
            s, config, retired, False, by=_user(s, seeded, "maya"), comment="", now=NOW, based_on=digest
        )
        assert [v.action for v in template_editor.history(s, "ack-en")] == ["restored", "retired"]
    assert "ack-en" in [
        t.name for t in composer.search(composer.load_templates(config).templates, "", visibility=None)
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"text": "Bonjour {customer_nme}, c'est noté."},
            "{customer_nme} looks like a misspelt {customer_name}",
        ),
        ({"language": "zz"}, "zz is not a language code"),
        ({"name": "ack-en"}, "A template named ack-en already exists."),
        ({"text": "Bonjour " * 1200}, "Too long for Facebook"),
        ({"continue_in_dm": "nowhere"}, "continue_in_dm must name a private template"),
        ({"title": ""}, "title"),
    ],
)
def test_a_template_that_breaks_a_rule_is_refused_and_the_file_left_alone(
    engine, seeded, config, change: dict[str, Any], expected: str
) -> None:
    before = template_editor.read_text(config)
    with pytest.raises(TemplateRefused) as refused:
        _save(engine, seeded, config, {**NEW, **change}, None)
    assert any(expected in e for e in refused.value.errors), refused.value.errors
    assert template_editor.read_text(config) == before
    with Session(engine) as s:
        assert template_editor.history(s) == []


def test_a_stale_page_or_an_agent_cannot_write(engine, seeded, config) -> None:
    with pytest.raises(StaleTemplates):
        _save(engine, seeded, config, NEW, None, based_on=template_editor.digest("an older file"))
    with pytest.raises(PermissionDenied):
        _save(engine, seeded, config, NEW, None, by="alice")
    assert composer.load_templates(config).get("box-outage-fr") is None


def test_usage_counts_the_replies_written_from_each_template(engine, seeded) -> None:
    for n, conv in enumerate(("late", "soon")):
        with Session(engine) as s, s.begin():
            result = replying.send_reply(
                s,
                seeded.conversations[conv],
                _user(s, seeded, "alice"),
                visibility="public",
                text=f"@{conv} Thanks for reaching out, we are on it. ^Alice {n}",
                composer_opened_at=NOW,
                now=NOW,
                template="ack-en",
            )
            assert result.reply is not None
    with Session(engine) as s, s.begin():
        first = s.exec(select(OutboundReply).order_by(col(OutboundReply.id))).first()
        assert first is not None
        s.execute(update(OutboundReply).where(col(OutboundReply.id) == first.id).values(status="sent"))
    with Session(engine) as s:
        counts = template_editor.usage(s)
    assert counts.keys() == {"ack-en"}
    assert (counts["ack-en"].sent, counts["ack-en"].written, counts["ack-en"].last_at) == (1, 2, NOW)
    with Session(engine) as s:
        assert s.exec(select(TemplateVersion)).all() == []
    with Session(engine) as s, s.begin():  # the other one taken back before it went: no longer a use
        waiting = s.exec(select(OutboundReply).where(OutboundReply.status != "sent")).one()
        assert waiting.id is not None
        queued.cancel(s, waiting.id, _user(s, seeded, "alice"), NOW)
    with Session(engine) as s:
        counts = template_editor.usage(s)
    assert (counts["ack-en"].sent, counts["ack-en"].written) == (1, 1)


def test_a_template_the_charter_sends_cannot_be_retired(engine, seeded, config) -> None:
    uses = load_charter(ROOT / "config").template_names()
    peak = composer.load_templates(config).get("afflux-fr")
    assert peak is not None and uses["peak.template"] == "afflux-fr"
    with Session(engine) as s, s.begin(), pytest.raises(TemplateRefused) as refused:
        digest = template_editor.digest(template_editor.read_text(config))
        template_editor.set_retired(
            s,
            config,
            peak,
            True,
            by=_user(s, seeded, "maya"),
            comment="",
            now=NOW,
            based_on=digest,
            charter_uses=uses,
        )
    assert refused.value.errors == [
        "The charter's automatic messages send this template (peak.template): change the charter first."
    ]
    assert not composer.load_templates(config).get("afflux-fr").retired  # type: ignore[union-attr]
