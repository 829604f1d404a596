"""The retention purge empties the payloads of posted escalation and spike alerts, which quote customers'
words and names (an independent GDPR audit found them kept forever while the messages expired)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.charter.model import load_charter
from inbox.charter.policies import Retention
from inbox.privacy.retention import purge
from inbox.store.tables import EscalationAlert, TrafficSpike
from tests.support.reports_seed import NOW, Story, utc, write_config

QUOTE = {"text": "Breached: @ann_customer “ma commande 5521 est en retard”"}


def test_posted_alerts_lose_their_payload_after_the_period(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as session, session.begin():
        story = Story(session, load_charter(write_config(tmp_path / "config")))
        story.channel("x-acme", "x")
        ann = story.conversation("x-acme", "ann_customer")
        old, recent = utc(3, 9), NOW
        for key, status, at in (
            ("breached", "sent", old),
            ("at_risk", "pending", old),
            ("critical", "sent", recent),
        ):
            session.add(
                EscalationAlert(conversation_id=ann, key=key, status=status, payload=QUOTE, created_at=at)
            )
        for closed, status in ((old + timedelta(hours=1), "sent"), (None, "sent")):
            session.add(
                TrafficSpike(
                    scope="channel:x-acme",
                    opened_at=old,
                    closed_at=closed,
                    alert_status=status,
                    payload=QUOTE,
                )
            )
    later = NOW + timedelta(hours=12)

    report = purge(engine, Retention(raw_payloads_days=1), later, actor="purge")

    assert report.alert_payloads == 2  # the old posted alert, the closed spike
    with Session(engine) as session:
        alerts = {a.key: a.payload for a in session.exec(select(EscalationAlert)).all()}
        spikes = [s.payload for s in session.exec(select(TrafficSpike)).all()]
    assert alerts == {"breached": {}, "at_risk": QUOTE, "critical": QUOTE}  # one still to post, one recent
    assert sorted(map(len, spikes)) == [0, 1]  # the open spike keeps its own
    assert purge(engine, Retention(raw_payloads_days=1), later, actor="purge").alert_payloads == 0
    messages_only = purge(engine, Retention(messages_days=1), later + timedelta(days=1), actor="purge")
    assert messages_only.alert_payloads == 1  # without raw_payloads_days, messages_days applies
