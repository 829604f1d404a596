"""The dashboard's satisfaction panel through AppTest, signed in as a manager, in English and French.

Recent set of tests/support/reports_seed.py plus three CSAT surveys sent yesterday: P answered 5 ("5 merci"),
Q answered 2, and one more on P's channel left without a score (the customer wrote EVIL-looking text).
By hand: CSAT = 1 of 2 answers at 4-5 = 50 %; 2 answers of 3 sent (66.7 %).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.store.engine import open_engine
from inbox.store.tables import Channel, Message, User
from inbox.store.tables.enforcement import SurveyRequest
from inbox.ui.common import USER, forget_engine
from tests.conftest import ROOT
from tests.support.reports_seed import EVIL, seed_recent_set, write_config

APP = str(ROOT / "app.py")
DASHBOARD = "inbox/ui/pages/dashboard.py"


@dataclass
class Seeded:
    users: dict[str, int]


def _answer(session: Session, conversation_id: int, channel_id: int, text: str, at: datetime) -> int:
    message = Message(
        channel_id=channel_id,
        conversation_id=conversation_id,
        platform_id=f"answer-{conversation_id}-{text[:3]}",
        direction="in",
        visibility="private",
        kind="dm",
        text=text,
        created_at=at,
        ingested_at=at,
    )
    session.add(message)
    session.flush()
    return message.id or 0


@pytest.fixture
def seeded(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    config = write_config(tmp_path / "config")
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    engine = open_engine(db_url)
    now = datetime.now(UTC)
    ids = seed_recent_set(engine, config, now)
    sent = now - timedelta(days=1)
    with Session(engine) as s, s.begin():
        channel = s.exec(select(Channel.id)).one() or 0
        rows = [
            (ids["P"], "5 merci", "answered", 5),
            (ids["Q"], "2", "answered", 2),
            (ids["R"], EVIL, "unanswered", None),
        ]
        for conv, text, status, score in rows:
            answer = _answer(s, conv, channel, text, sent + timedelta(minutes=10))
            s.add(
                SurveyRequest(
                    conversation_id=conv,
                    channel_id=channel,
                    kind="csat",
                    status=status,
                    sent_at=sent,
                    score=score,
                    answered_at=sent + timedelta(minutes=10) if score else None,
                    answer_message_id=answer,
                    created_at=sent,
                )
            )
    with Session(engine) as session:
        users = {u.name: u.id or 0 for u in session.exec(select(User))}
    engine.dispose()
    yield Seeded(users)
    forget_engine(db_url)


def dashboard_as(seeded: Seeded, user: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[USER] = seeded.users[user]
    at.run()
    return at.switch_page(DASHBOARD).run()


def test_the_panel_shows_csat_response_rate_groupings_and_verbatims(seeded: Seeded) -> None:
    at = dashboard_as(seeded, "maya")
    assert not at.exception
    csat = next(m for m in at.metric if m.label == "CSAT")
    assert csat.value == "50.0%"
    assert "2 answers of 3 sent (66.7%)" in [c.value for c in at.caption]
    labels = [t.label for t in at.tabs]
    assert labels[labels.index("Channel") :][:4] == ["Channel", "Agent", "Template", "Verbatims"]
    keys = {str(b.key) for b in at.download_button}
    assert {"dl-sat-satisfaction_by_agent", "dl-sat-survey_verbatims"} <= keys
    rendered = " ".join(m.value for m in at.markdown)
    assert "<img" not in rendered and "**bold**" not in rendered  # the verbatim stays a table cell


def test_the_panel_in_french(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        preferences.set_language(session, seeded.users["maya"], "fr", by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language("fr"):  # AppTest formats option values again in the test's thread
        at = dashboard_as(seeded, "maya")
    assert not at.exception
    assert next(m for m in at.metric if m.label == "CSAT").value == "50,0\u00a0%"
    assert "Verbatims" in [t.label for t in at.tabs]
