"""The keyboard shortcuts' script and help list in the user's language (AppTest; Chromium presses the keys in
tests/e2e/test_e2e_shortcuts.py)."""

from __future__ import annotations

import json
import re

import pytest
from sqlmodel import Session

from inbox import i18n
from inbox.desk import preferences
from inbox.settings import Settings
from inbox.store.engine import open_engine
from inbox.ui.widgets.shortcuts import SHORTCUTS
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as


def _data(body: str) -> dict[str, object]:
    found = re.search(r"const data = (\{.*?\});\n", body, re.S)
    assert found is not None
    return dict(json.loads(found.group(1)))


@pytest.mark.parametrize(
    ("language", "title", "send", "hint"),
    [
        ("en", "Keyboard shortcuts", ("Ctrl+Enter", "Send the reply"), "Press ? for keyboard shortcuts"),
        (
            "fr",
            "Raccourcis clavier",
            ("Ctrl+Entrée", "Envoyer la réponse"),
            "Appuyez sur ? pour afficher les raccourcis clavier",
        ),
    ],
)
def test_the_shortcuts_speak_the_user_s_language(
    seeded: Seeded, language: str, title: str, send: tuple[str, str], hint: str
) -> None:
    engine = open_engine(Settings().database_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["alice"], language, by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language(language):
        at = app_as(seeded, "alice")
    assert hint in [c.value for c in at.sidebar.caption]
    scripts = [h.proto.body for h in at.get("html") if "__inboxShortcuts" in h.proto.body]
    assert len(scripts) == 1
    data = _data(scripts[0])
    assert data["title"] == title
    rows = [(r["keys"], r["label"]) for r in data["rows"]]  # type: ignore[attr-defined]
    assert send in rows and len(rows) == len(SHORTCUTS)
    assert data["keys"] == {
        "n": "next",
        "/": "search",
        "r": "public",
        "p": "private",
        "t": "template",
        "e": "resolve",
    }
