"""One rule everywhere: a conversation is judged by the charter in force when it arrived, for its first
response and every next one, in the stored due time (queue), the dashboard, `inbox report` and the alerts.

Hand-computed. Version 1 (the file): a DM is answered within 60 minutes, first and next responses alike, 24/7,
at risk from 75 %. Version 2, saved at 10:10: next responses within 15 minutes, at risk from 50 %.
Ana writes at 10:00 (version 1 in force), an agent answers at 10:05, Ana writes again at 10:20.
- Her next response is due at 11:20 (10:20 + 60 under version 1), not 10:35 (+ 15 under version 2).
- At 11:00, 40 of its 60 minutes have passed (67 %): on track under version 1; version 2's 50 % would put
  it at risk.
The times are an hour before the real now, so that `inbox report` (which reads the clock) sees 11:00.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from connectors.base import Author, Batch, InboundItem, Sent
from inbox.charter.editor import edited, to_toml
from inbox.charter.open_clocks import open_clocks
from inbox.charter.versions import LiveCharter, charter_book
from inbox.cli.report import register
from inbox.ingest.page import ingest_batch
from inbox.outbox import delivery as outbox
from inbox.reports.report import live_report
from inbox.store import records as store
from inbox.store.tables import Conversation, Message
from inbox.store.tables.enforcement import CharterVersion
from tests.support.charter import charter_data

T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=60)  # "10:00", set again per test
NOW = T0 + timedelta(minutes=60)  # "11:00"
V2 = {
    "sla.default.private.next_response": {"minutes": 15, "clock": "24/7"},
    "escalation.at_risk_fraction": 0.5,
}


@pytest.fixture(autouse=True)
def _an_hour_ago() -> None:
    """ "10:00" is an hour before the real now when each test starts, not when the module was imported: `inbox
    report` reads the clock, and a long suite imports this module many minutes before it runs."""
    global T0, NOW
    T0 = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=60)
    NOW = T0 + timedelta(minutes=60)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def config(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder whose charter.toml is version 1 (the test charter); the settings point at it."""
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "charter.toml").write_text(to_toml(charter_data()), encoding="utf-8")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(folder))
    return folder


def ana_writes(engine: Engine, live: LiveCharter, minutes: int) -> int:
    item = InboundItem(
        channel="x-acme",
        external_id=f"ana-{minutes}",
        thread_key="dm-ana",
        kind="dm",
        visibility="private",
        direction="in",
        author=Author("ana-id", "ana"),
        text="my card was charged twice",
        created_at=at(minutes),
    )
    with Session(engine) as s, s.begin():
        channel = store.ensure_channel(s, "x-acme", "x", "AcmeCare")
        ingest_batch(s, channel, "dms", Batch([item], next_cursor=None), due=live, now=at(minutes))
    with Session(engine) as s:
        return s.exec(select(Message.conversation_id).where(Message.platform_id == item.external_id)).one()


def story(engine: Engine, config: Path) -> int:
    live = LiveCharter(engine, config, recheck_seconds=0)
    conv_id = ana_writes(engine, live, 0)
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(s, conv, visibility="private", text="Checking", actor="agent", now=at(5))
        outbox.record_delivery(s, reply, Sent(external_id="answer-1"), at(5))
        s.add(CharterVersion(saved_at=at(10), saved_by="maya", toml=to_toml(edited(charter_data(), V2))))
    ana_writes(engine, live, 20)
    assert live.current().escalation.at_risk_fraction == 0.5  # version 2 is the charter in force now
    return conv_id


def test_a_next_response_is_due_by_the_charter_at_the_conversation_s_arrival(
    engine: Engine, config: Path
) -> None:
    conv_id = story(engine, config)
    with Session(engine) as s:
        conv = s.get(Conversation, conv_id)
    assert conv is not None and conv.sla_due_at == at(80)


def test_the_dashboard_and_the_alerts_judge_it_by_the_same_charter(engine: Engine, config: Path) -> None:
    story(engine, config)
    with Session(engine) as s:
        book = charter_book(s, config)
        (clock,) = live_report(s, book, NOW).clocks
        (alerting,) = open_clocks(s, book, NOW)
    assert clock.fraction is not None and round(clock.fraction, 4) == round(40 / 60, 4)
    assert clock.state == "on_track" and alerting.state == "on_track"


def test_inbox_report_lists_it_neither_at_risk_nor_late(engine: Engine, config: Path) -> None:
    story(engine, config)
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """inbox"""

    register(app)
    result = CliRunner().invoke(app, ["report", "--period", "today", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    tables = json.loads(result.stdout)["tables"]
    assert (tables["at_risk"], tables["breached"]) == ([], [])
