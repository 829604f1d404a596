"""A French team works in French: every page, signed in as a French user, shows no English label.

What is checked is what the inbox itself writes (titles, labels, buttons, options, captions, alerts, metrics,
tabs, expanders, table headers); customers' words (st.text), files shown as they are (st.code, the charter's
TOML) and table cells are content, not labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from babel.messages.pofile import read_po
from google.protobuf.message import Message as Proto
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.store.tables import User
from inbox.ui.common import SELECTED, USER, forget_engine
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded, add_user, seed

APP = str(ROOT / "app.py")
FIELDS = {"label", "help", "placeholder", "options", "body", "title"}
CONTENT = {"text", "code", "text_area", "json", "exception"}  # shown as typed or received, never a label
ENGLISH_WORDS = re.compile(r"\b(the|and|your|with|None|Overdue|left|Unassigned|Search|Status)\b")


@pytest.fixture
def french(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """The desk seed with a French agent (alice), manager (maya) and admin (ada)."""
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(ROOT / "config"))
    engine = open_engine(db_url)
    seeded = seed(engine, datetime.now(UTC))
    with Session(engine) as session, session.begin():
        seeded.users["ada"] = add_user(session, "ada", "admin")
        for name in ("alice", "maya", "ada"):
            preferences.set_language(session, seeded.users[name], "fr", by="test", by_role="admin")
    yield seeded
    engine.dispose()
    forget_engine(db_url)


def _english() -> tuple[set[str], list[re.Pattern[str]]]:
    """The catalog's English strings whose French differs: exact texts, and patterns for templated ones."""
    with (i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "inbox.po").open("rb") as f:
        catalog = read_po(f, locale="fr")
    plain: set[str] = set()
    patterns = []
    for m in catalog:
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        for text in ids:
            if not text or text in strings:
                continue
            if "{" in text:
                parts = re.split(r"\{[^}]*\}", text)
                if sum(len(p.strip(" ·:()#")) for p in parts) >= 4:
                    patterns.append(re.compile(".*?".join(re.escape(p) for p in parts)))
            else:
                plain.add(text)
    return plain, patterns


def _strings(proto: Proto) -> Iterator[tuple[str, str]]:
    for field, value in proto.ListFields():
        if field.message_type is not None:
            items = value if field.is_repeated else [value]
            for item in items:
                yield from _strings(item)
        elif field.name in FIELDS and field.type == field.TYPE_STRING:
            yield from ((field.name, v) for v in (value if field.is_repeated else [value]))


def shown(at: AppTest) -> list[tuple[str, str]]:
    """Every label-like string the page shows, and the headers of its tables: (field, text)."""
    out: list[tuple[str, str]] = []
    for node in [*at.main, *at.sidebar]:
        kind = getattr(node, "type", "")
        if kind in CONTENT:
            out.append(("label", str(getattr(node, "label", "") or "")))
            continue
        if kind == "arrow_data_frame":
            out += [("header", str(c)) for c in node.value.columns]
            continue
        proto = getattr(node, "proto", None)
        if isinstance(proto, Proto):
            field_texts = list(_strings(proto))
            out += [("text" if name == "body" and kind == "markdown" else name, s) for name, s in field_texts]
    for block in [*at.tabs, *at.expander]:
        out.append(("label", block.label))
    return [(field, s) for field, s in out if s]


def texts_of(at: AppTest) -> list[str]:
    return [s for _field, s in shown(at)]


def english_in(items: list[tuple[str, str]]) -> list[str]:
    """Catalog strings left in English anywhere; common English words in labels (not in Markdown text or
    options, where template titles and customers' handles appear)."""
    plain, patterns = _english()
    found = []
    for field, text in items:
        clean = text.replace("\\", "")
        if clean in i18n.LANGUAGES.values():  # each language is offered under its own name
            continue
        if clean in plain or (field not in ("text", "options") and ENGLISH_WORDS.search(clean)):
            found.append(text)
        elif any(p.fullmatch(clean) for p in patterns):
            found.append(text)
        elif any(len(m) >= 16 and m in clean for m in plain):
            found.append(text)
    return found


def signed_in(seeded: Seeded, name: str, page: str | None = None) -> AppTest:
    """``name``'s page. AppTest formats option values again in the test's thread, so it speaks French too."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users[name]
    with i18n.use_language("fr" if name in ("alice", "maya", "ada") else "en"):
        at.run()
        if page is not None:
            at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


PAGES = [
    ("alice", None, "File d'attente"),
    ("alice", "inbox/ui/pages/templates.py", "Messages types"),
    ("maya", "inbox/ui/pages/team.py", "Équipe"),
    ("maya", "inbox/ui/pages/dashboard.py", "Tableau de bord du superviseur"),
    ("maya", "inbox/ui/pages/charter.py", "Charte de réponse"),
    ("ada", "inbox/ui/pages/channels.py", "Canaux"),
]


@pytest.mark.parametrize(("user", "page", "title"), PAGES)
def test_each_page_speaks_french(french: Seeded, user: str, page: str | None, title: str) -> None:
    at = signed_in(french, user, page)
    assert at.title[0].value.endswith(title)
    assert "Se déconnecter" in texts_of(at)  # the sidebar is French too
    assert english_in(shown(at)) == []


def test_a_conversation_speaks_french(french: Seeded) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = french.users["alice"]
    at.session_state[SELECTED] = french.conversations["late"]
    with i18n.use_language("fr"):
        at.run().switch_page("inbox/ui/pages/conversation.py").run()
    assert not at.exception
    texts = texts_of(at)
    assert "Retour à la file d'attente" in texts
    assert any("En retard de" in t for t in texts)
    assert english_in(shown(at)) == []


def test_the_check_finds_english(french: Seeded) -> None:
    """The same check on an English user's queue finds the English labels (so it can fail)."""
    at = signed_in(french, "bruno")
    found = english_in(shown(at))
    assert "Next conversation" in found and "Search" in found


def test_a_user_switches_language_without_a_restart(french: Seeded, db_url: str) -> None:
    at = signed_in(french, "bruno")
    assert at.title[0].value == "Queue"
    with i18n.use_language("en"):  # AppTest reads the page being left, which is English
        at.selectbox(key="my-language").select("fr").run()
    assert at.title[0].value == "File d'attente"
    engine = open_engine(db_url)
    with Session(engine) as session:
        user = session.get(User, french.users["bruno"])
        assert user is not None and user.language == "fr"
    engine.dispose()
    with i18n.use_language("fr"):  # the page being left is French
        at.selectbox(key="my-language").select("default").run()
    assert at.title[0].value == "Queue"  # the charter's default_language is "en"
