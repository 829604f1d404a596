"""The report tests' known day (tests/support/reports_seed.py) with satisfaction surveys after four of its
conversations: the data set of the agents' own figures (#13.12)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.store.tables import Conversation
from inbox.store.tables.enforcement import SurveyRequest
from tests.support.reports_seed import seed_known_set, utc

SURVEYS = {"A": 5, "C": 3, "D": None, "B": 2}  # CSAT sent at 12:00 UTC on the 4th; None: not answered


def seed_agent_day(engine: Engine, config_dir: Path) -> dict[str, int]:
    """The known set plus one CSAT survey per conversation of ``SURVEYS``; the conversation ids by letter."""
    ids = seed_known_set(engine, config_dir)
    with Session(engine) as s, s.begin():
        for letter, score in SURVEYS.items():
            conv = s.get(Conversation, ids[letter])
            assert conv is not None and conv.id is not None
            s.add(
                SurveyRequest(
                    conversation_id=conv.id,
                    channel_id=conv.channel_id,
                    kind="csat",
                    status="sent" if score is None else "answered",
                    sent_at=utc(4, 12),
                    score=score,
                    answered_at=None if score is None else utc(4, 13),
                    created_at=utc(4, 11),
                )
            )
    return ids
