"""The report tests' known day (tests/support/reports_seed.py) with satisfaction surveys after four of its
conversations: the data set of the agents' own figures (#13.12) and the dashboard's charts (#13.13)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.store.tables import Conversation, Message
from inbox.store.tables.enforcement import SurveyRequest
from tests.support.reports_seed import seed_known_set, utc

SURVEYS = {"A": 5, "C": 3, "D": None, "B": 2}  # CSAT sent at 12:00 UTC on the 4th, answered (the score as a
# private message) at 13:00; None: not answered


def add_survey(session: Session, conv_id: int, kind: str, score: int | None, sent: datetime) -> None:
    """A survey of ``conv_id`` sent at ``sent`` and, unless ``score`` is None, answered an hour later."""
    conv = session.get(Conversation, conv_id)
    assert conv is not None and conv.id is not None
    answered = sent + timedelta(hours=1)
    answer = None
    if score is not None:
        answer = Message(
            channel_id=conv.channel_id,
            conversation_id=conv.id,
            platform_id=f"survey-answer-{conv.id}",
            direction="in",
            visibility="private",
            kind="dm",
            text=str(score),
            created_at=answered,
            ingested_at=answered,
        )
        session.add(answer)
        session.flush()
    session.add(
        SurveyRequest(
            conversation_id=conv.id,
            channel_id=conv.channel_id,
            kind=kind,
            status="sent" if score is None else "answered",
            sent_at=sent,
            score=score,
            answered_at=None if score is None else answered,
            created_at=sent - timedelta(hours=1),
            answer_message_id=None if answer is None else answer.id,
        )
    )


def seed_agent_day(engine: Engine, config_dir: Path) -> dict[str, int]:
    """The known set plus one CSAT survey per conversation of ``SURVEYS``; the conversation ids by letter."""
    ids = seed_known_set(engine, config_dir)
    with Session(engine) as s, s.begin():
        for letter, score in SURVEYS.items():
            add_survey(s, ids[letter], "csat", score, utc(4, 12))
    return ids
