"""My figures credit a first response only to the person who gave it: an answer the brand posted from the
platform's own app (read back by the listener, no outbox row) is the conversation's first response, but
nobody's in the inbox (docs/kpis.md, "An agent's own figures").

4 November 2026, the report seed's charter (x-acme public: 60 minutes 24/7). Ann writes at 09:00 UTC (due
10:00); the community manager answers her from X's app at 09:10; Alice replies through the inbox at 11:30.
By hand: the first answer (09:10, on time) was not Alice's, so her first responses are 0 (the inbox
credited her 1 of 1 on time, with the app's 09:10). Without the app's answer, hers is the first: 1, late.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import CharterDue
from inbox.charter.model import Charter, load_charter
from inbox.ingest.page import ingest_batch
from inbox.reports.agent_figures import agent_figures
from inbox.reports.period import Period
from tests.support.reports_seed import Story, write_config

DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), ZoneInfo("Europe/Paris"))


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=UTC)


def from_the_app_of_x(s: Story, charter: Charter, written: datetime) -> None:
    """The brand's answer to Ann's mention posted from X's own app at ``written``, read a minute later."""
    answer = InboundItem(
        "x-acme",
        f"app-{written:%H%M}",
        "t-ann",
        "mention",
        "public",
        "out",
        Author("b", "AcmeCare"),
        "Ok!",
        written,
    )
    batch = Batch([answer], next_cursor=None)
    channel = s.channels["x-acme"]
    ingest_batch(
        s.session, channel, "mentions", batch, due=CharterDue(charter), now=written + timedelta(minutes=1)
    )


@pytest.mark.parametrize(("from_the_app", "expected"), [(True, (0, 0)), (False, (1, 0))])
def test_an_answer_from_the_platform_s_app_is_no_agent_s_first_response(
    engine: Engine, tmp_path: Path, from_the_app: bool, expected: tuple[int, int]
) -> None:
    charter = load_charter(write_config(tmp_path / "config"))
    with Session(engine, expire_on_commit=False) as session, session.begin():
        s = Story.on_x_acme(session, charter, "alice")
        ann = s.conversation("x-acme", "ann")
        s.customer(ann, at(9))
        if from_the_app:
            from_the_app_of_x(s, charter, at(9, 10))
        s.reply(ann, "alice", at(11, 25), at(11, 30))
    with Session(engine) as session:
        mine = agent_figures(session, s.users["alice"], "alice", DAY)
    assert (mine.first_responses, mine.first_responses_on_time) == expected
