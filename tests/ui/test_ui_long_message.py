"""A long message is folded: its start in the thread, the rest behind "Show more" (composer stays near)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.ui.widgets.thread import FOLD_AT, folded
from tests.support.seed_desk import Seeded, add_late_message
from tests.support.ui import app_as, open_conv

LONG = " ".join(f"word{i:04d}" for i in range(560))  # 5,039 characters


def _add_long_message(db_url: str, seeded: Seeded) -> None:
    add_late_message(db_url, seeded, "long-1", LONG, datetime.now(UTC))


def test_folded_cuts_at_a_space_and_keeps_every_character() -> None:
    shown, rest = folded(LONG)
    assert rest is not None and len(shown) <= FOLD_AT + 2 and shown.endswith(" …")
    assert shown.removesuffix(" …").split() + rest.split() == LONG.split()
    assert folded("short") == ("short", None)
    assert folded("x" * 700)[0] == "x" * FOLD_AT + " …"  # no space to cut at: cut at the limit


def test_a_long_message_shows_its_start_and_the_rest_on_demand(db_url: str, seeded: Seeded) -> None:
    _add_long_message(db_url, seeded)
    at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert not at.exception
    texts = [t.value for t in at.text]
    assert LONG not in texts and any(t.startswith("word0000 word0001") and len(t) < 700 for t in texts)
    [more] = [e for e in at.expander if e.label.startswith("Show more")]
    assert more.label == f"Show more ({len(folded(LONG)[1] or ''):,} more characters)"
    assert any(t.value.endswith("word0559") for t in more.text)


def test_the_fold_speaks_french(db_url: str, seeded: Seeded) -> None:
    _add_long_message(db_url, seeded)
    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users["alice"], "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):  # AppTest reads the French page being left in the test's language
        at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])
    assert any(e.label.startswith("Afficher la suite") for e in at.expander)
