"""The dashboard of a manager restricted to some channels (real SQLite, AppTest): the channel filter offers
only theirs, every tile, table and CSV counts only them, and the page says which; an unrestricted manager
still sees every channel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.charter.model import load_charter
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.store.tables import User
from inbox.ui.common import USER, forget_engine
from tests.conftest import ROOT
from tests.support.reports_seed import Story, seed_recent_set, write_config

APP = str(ROOT / "app.py")
DASHBOARD = "inbox/ui/pages/dashboard.py"
MINUTE = timedelta(minutes=1)
LIVE = ("Waiting for an answer", "At risk", "Breached")


@pytest.fixture
def users(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """The recent set (four x-acme conversations: 1 of 3 on time, two waiting), plus one WhatsApp and one
    Facebook conversation answered on time; mona, a manager, works only those two channels."""
    config = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    engine = open_engine(db_url)
    now = datetime.now(UTC)
    seed_recent_set(engine, config, now)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story(session, load_charter(config))
        s.channel("wa-acme", "whatsapp")
        s.channel("fb-acme", "facebook")
        s.users["alice"] = session.exec(select(User).where(User.name == "alice")).one()
        mona = s.user("mona", "manager")
        mona.channels = ["wa-acme", "fb-acme"]
        for channel, handle, ago in (("wa-acme", "wendy", 2), ("fb-acme", "fred", 3)):
            conv, start = s.conversation(channel, handle), now - timedelta(days=ago)
            s.customer(conv, start)
            s.view(conv, "alice", start + 5 * MINUTE)
            s.reply(conv, "alice", start + 10 * MINUTE, start + 15 * MINUTE)
    with Session(engine) as session:
        ids = {u.name: u.id or 0 for u in session.exec(select(User))}
    engine.dispose()
    yield ids
    forget_engine(db_url)


def dashboard_as(users: dict[str, int], name: str, language: str = "en") -> AppTest:
    """The dashboard as ``name``, whose pages speak ``language``."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = users[name]
    with i18n.use_language(language):
        return at.run().switch_page(DASHBOARD).run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def captions(at: AppTest) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]  # Markdown's escapes undone


def channels_in_tables(at: AppTest) -> set[str]:
    """Every channel named in the page's tables (each one the CSV offered beside it)."""
    found: set[str] = set()
    for frame in at.dataframe:
        df = frame.value
        for column in [c for c in df.columns if str(c).lower() == "channel"]:
            found |= {str(v) for v in df[column]}
    return found


def test_a_restricted_manager_sees_only_their_channels(users: dict[str, int]) -> None:
    at = dashboard_as(users, "mona")
    assert not at.exception
    assert "Figures for your channels: fb-acme, wa-acme" in captions(at)
    picker = at.selectbox(key="dash-channel")
    assert picker.options == ["All your channels", "fb-acme", "wa-acme"]
    assert picker.value == "all"
    assert metric(at, "Conversations") == "2"  # every channel: 6
    assert metric(at, "SLA attainment · 7 days") == "100.0%"  # every channel: 3 of 5, 60.0%
    assert [metric(at, label) for label in LIVE] == ["0", "0", "0"]
    assert not [b for b in at.button if str(b.key).startswith("dash-open-")]  # x-acme's clocks not listed
    assert channels_in_tables(at) <= {"wa-acme", "fb-acme", "All channels"}
    assert {"wa-acme", "fb-acme"} <= channels_in_tables(at)
    picker.select("wa-acme").run()
    assert not at.exception and metric(at, "Conversations") == "1"


def test_an_unrestricted_manager_sees_every_channel(users: dict[str, int]) -> None:
    at = dashboard_as(users, "maya")
    assert not at.exception
    assert not [c for c in captions(at) if "your channels" in c]
    picker = at.selectbox(key="dash-channel")
    assert picker.options == ["All channels", "fb-acme", "wa-acme", "x-acme"]
    assert metric(at, "Conversations") == "6"
    assert metric(at, "SLA attainment · 7 days") == "60.0%"
    assert [metric(at, label) for label in LIVE] == ["2", "1", "1"]
    assert {"x-acme", "wa-acme", "fb-acme"} <= channels_in_tables(at)


def test_the_restriction_is_said_in_french(users: dict[str, int], db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        preferences.set_language(session, users["mona"], "fr", by="test", by_role="admin")
    engine.dispose()
    at = dashboard_as(users, "mona", "fr")
    assert not at.exception
    assert "Chiffres de vos canaux\u00a0: fb-acme, wa-acme" in captions(at)
    assert at.selectbox(key="dash-channel").options[0] == "Tous vos canaux"
