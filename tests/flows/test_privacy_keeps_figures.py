"""An erasure or the retention purge leaves past figures as they were: our messages keep their outbox key
(``kept_payload``), which tells an automatic message (no answer) from a person's reply."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.model import Charter, load_charter
from inbox.charter.policies import Retention
from inbox.privacy.erase import erase
from inbox.privacy.retention import purge
from inbox.reports.period import parse_period
from inbox.reports.report import period_report
from inbox.store.tables import Message
from tests.support.reports_seed import NOW, Story, utc, write_config

PARIS = ZoneInfo("Europe/Paris")

LATER = NOW + timedelta(days=10)


def _seed(engine: Engine, tmp_path: Path) -> Charter:
    """ann writes before opening hours, gets the out-of-hours message, then alice's answer; resolved."""
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine) as session, session.begin():
        story = Story(session, charter)
        story.channel("x-acme", "x")
        story.user("alice")
        ann = story.conversation("x-acme", "ann_customer")
        story.customer(ann, utc(4, 6, 30))
        story.automatic(ann, utc(4, 6, 31))
        story.reply(ann, "alice", utc(4, 7, 5), utc(4, 7, 10))
        story.resolve(ann, "alice", utc(4, 7, 20))
    return charter


def _figures(engine: Engine, charter: Charter) -> tuple[Any, ...]:
    """The day's FCR, first-response times and outcomes."""
    with Session(engine) as session:
        report = period_report(session, charter, parse_period("2026-03-04", NOW, PARIS), NOW, None)
    return report.fcr, report.response_times, report.outcomes


def _automatic_key_kept(payloads: list[dict[str, Any]]) -> bool:
    """Every payload holds nothing but an outbox key, and the automatic message's is there."""
    keys = [p.get("outbox", "") for p in payloads]
    return all(set(p) <= {"outbox"} for p in payloads) and any(k.startswith("auto-") for k in keys)


def test_an_erasure_does_not_change_first_contact_resolution(engine: Engine, tmp_path: Path) -> None:
    charter = _seed(engine, tmp_path)
    before = _figures(engine, charter)
    assert (before[0].first_contact, before[0].resolved_answered) == (1, 1)  # the automatic one is no answer
    erase(engine, "x-acme:ann_customer", actor="dpo", reason="RGPD art. 17", now=LATER)
    assert _figures(engine, charter) == before
    with Session(engine) as session:
        ours = session.exec(select(Message).where(Message.direction == "out")).all()
    assert _automatic_key_kept([m.raw for m in ours])


def test_the_retention_purge_does_not_change_past_figures_and_ends(engine: Engine, tmp_path: Path) -> None:
    charter = _seed(engine, tmp_path)
    with Session(engine) as session, session.begin():  # our automatic message as its echo holds it
        ours = session.exec(select(Message).where(Message.direction == "out")).all()
        auto = next(m for m in ours if m.raw.get("outbox", "").startswith("auto-"))
        auto.raw = {**auto.raw, "text": "Absents, @ann_customer", "id": "1890"}
    before = _figures(engine, charter)
    payloads = purge(engine, Retention(raw_payloads_days=1), LATER, actor="purge")
    assert payloads.raw_payloads == 1  # the automatic message's echo (the others hold their key alone)
    assert _figures(engine, charter) == before
    everything = purge(engine, Retention(raw_payloads_days=1, messages_days=1), LATER, actor="purge")
    assert everything.messages == 3
    assert _figures(engine, charter) == before
    with Session(engine) as session:
        payloads = [m.raw for m in session.exec(select(Message)).all()]
    assert _automatic_key_kept(payloads)  # nothing but the key: no words, no one named
    again = purge(engine, Retention(raw_payloads_days=1, messages_days=1), LATER, actor="purge")
    assert (again.raw_payloads, again.messages) == (0, 0)  # a kept key is not purged again and again
