"""The dashboard page through AppTest, signed in as a manager: tiles, CSV downloads, one click to an at-risk
conversation, customer text as plain text; agents do not get the page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox.store.engine import open_engine
from inbox.store.tables import User
from inbox.ui.common import SELECTED, USER, forget_engine
from tests.conftest import ROOT
from tests.support.reports_seed import EVIL, seed_recent_set, write_config

APP = str(ROOT / "app.py")
DASHBOARD = "inbox/ui/pages/dashboard.py"


@dataclass
class Seeded:
    conversations: dict[str, int]
    users: dict[str, int]


@pytest.fixture
def seeded(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    config = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    engine = open_engine(db_url)
    ids = seed_recent_set(engine, config, datetime.now(UTC))
    with Session(engine) as session:
        users = {u.name: u.id or 0 for u in session.exec(select(User))}
    engine.dispose()
    yield Seeded(ids, users)
    forget_engine(db_url)


def dashboard_as(seeded: Seeded, user: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users[user]
    at.run()
    return at.switch_page(DASHBOARD).run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_tiles_show_the_figures(seeded: Seeded) -> None:
    at = dashboard_as(seeded, "maya")
    assert not at.exception
    assert [t.value for t in at.title] == ["Supervisor dashboard"]
    # 7 days: P met, Q missed, S missed (unanswered past due), R still waiting -> 1 of 3.
    assert metric(at, "SLA attainment · 7 days") == "33.3%"
    live = [metric(at, label) for label in ("Waiting for an answer", "At risk", "Breached")]
    assert live == ["2", "1", "1"]
    assert metric(at, "First response · median") == "1 h 00 min"  # 30 and 90 minutes
    assert metric(at, "First-contact resolution") == "100.0%"


def test_every_table_has_a_csv_download(seeded: Seeded) -> None:
    at = dashboard_as(seeded, "maya")
    keys = {str(b.key) for b in at.download_button}
    expected = {"at_risk", "breached", "backlog", "attainment_by_channel", "agents", "volume_by_hour"}
    assert {f"dl-{name}" for name in expected} <= keys
    assert all(b.label.startswith("Download “") and b.label.endswith("” (CSV)") for b in at.download_button)
    assert "Download “At risk” (CSV)" in [b.label for b in at.download_button]  # words, not a file name


def test_an_at_risk_row_opens_the_conversation(seeded: Seeded) -> None:
    at = dashboard_as(seeded, "maya")
    r = seeded.conversations["R"]
    assert {str(b.key) for b in at.button if str(b.key).startswith("dash-open-")} == {
        f"dash-open-{r}",
        f"dash-open-{seeded.conversations['S']}",
    }
    at.button(key=f"dash-open-{r}").click().run()
    assert not at.exception
    assert at.session_state[SELECTED] == r
    assert EVIL in [t.value for t in at.text]  # the conversation page shows R's thread


def test_customer_text_is_plain_text(seeded: Seeded) -> None:
    at = dashboard_as(seeded, "maya")
    assert EVIL in [t.value for t in at.text]
    rendered = " ".join(m.value for m in at.markdown)
    assert "<img" not in rendered and "**bold**" not in rendered
    # the app frame's own scripts (keyboard shortcuts, notifications) are HTML; customer text never is
    assert not [h for h in at.get("html") if "onerror" in h.proto.body or "**bold**" in h.proto.body]
    assert not at.get("image")


def test_the_channel_filter_and_a_custom_period(seeded: Seeded) -> None:
    at = dashboard_as(seeded, "maya")
    at.selectbox(key="dash-channel").select("x-acme").run()
    assert metric(at, "Conversations") == "4"
    at.segmented_control(key="dash-period").set_value("custom").run()
    assert not at.exception
    assert metric(at, "Conversations") == "4"  # the last seven days by default


def test_agents_do_not_get_the_dashboard(seeded: Seeded) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users["alice"]
    at.run()
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(DASHBOARD).run()


def test_a_customer_without_a_handle_is_named_in_the_live_lists(seeded: Seeded, db_url: str) -> None:
    """UI review 22: a Facebook commenter (a name, no handle) read « client inconnu » in the dashboard's
    at-risk list while the queue named them; the list names them as the queue does."""
    from inbox.store.tables import Contact, Conversation
    from tests.support.ui import database

    r = seeded.conversations["R"]
    with database(db_url) as s, s.begin():
        conv = s.get(Conversation, r)
        contact = s.get(Contact, conv.contact_id) if conv else None
        assert contact is not None
        contact.handle, contact.display_name = None, "Nico O."
    at = dashboard_as(seeded, "maya")
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert "**Nico O\\.**" in shown and "unknown customer" not in " ".join(shown)


def test_the_breached_tile_counts_every_breached_clock_past_the_list(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The breached list reads only the soonest due (LIVE_LIMIT, 5,000); the tile and the tab count them all
    and say the CSV holds the soonest only."""
    from inbox.reports import queries

    monkeypatch.setattr(queries, "LIVE_LIMIT", 0)
    at = dashboard_as(seeded, "maya")
    assert not at.exception
    assert metric(at, "Breached") == "1"
    assert "Breached (1)" in [t.label for t in at.tabs]
    assert "1 more; the CSV holds the 0 due soonest." in [c.value for c in at.caption]
