"""A message the customer edited shows its newest words, and what it said before one click away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from tests.support.seed_desk import Seeded, add_late_message
from tests.support.ui import app_as, open_conv

WROTE = datetime.now(UTC) - timedelta(minutes=20)


def _add_edited_message(db_url: str, seeded: Seeded) -> None:
    first = {"id": "190", "text": "@AcmeCare order 4821 never came", "at": WROTE.isoformat()}
    raw = {"tweet": {"id": "191"}, "version": "191", "versions": [first]}
    add_late_message(db_url, seeded, "190", "@AcmeCare order 4812 never came", WROTE, raw)


def test_the_earlier_words_of_an_edited_message_are_one_click_away(db_url: str, seeded: Seeded) -> None:
    _add_edited_message(db_url, seeded)
    at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert not at.exception
    assert "@AcmeCare order 4812 never came" in [t.value for t in at.text]
    [edits] = [e for e in at.expander if e.label.startswith("Edited by the customer")]
    assert edits.label == "Edited by the customer · 1 earlier version"
    assert [t.value for t in edits.text] == ["@AcmeCare order 4821 never came"]


def test_the_edit_history_speaks_french(db_url: str, seeded: Seeded) -> None:
    _add_edited_message(db_url, seeded)
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["alice"], "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):
        at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert any(e.label == "Modifié par le client · 1 version antérieure" for e in at.expander)
