"""One response clock, one contact reason: the queue (the stored due time) and the report (``inbox report``'s
charter targets) judge it alike, whatever order the pages arrive in and whether the customer edits the
message that started it (real classifier, ``ingest_batch`` on the real database, pages permuted by
Hypothesis).

Shipped charter (60 business minutes; account_access 30, as high urgency), a Telegram private chat,
Wednesday 4 November 2026, Paris. Ann writes about a double charge at 09:00, answered 09:10. At 10:00 she
writes about a second charge (billing: due 11:00), at 10:05 that she cannot log in any more (account access).
By hand at 10:40: the 10:00 clock has the reason in force when it started, billing, due 11:00: waiting,
not late. Pages read newest first re-judged it with the conversation's reason of the end (account access,
due 10:30), so the queue showed it late while the report said waiting; and the conversation's reason was
the one of the message stored last (billing), not of the latest written (account access).

With an edit instead: at 10:05 Ann edits her 10:00 message to say she cannot log in. The rule
(docs/kpis.md): an edit says what that message asks, so like an agent's correction it re-judges the clock
that message started: account access, due 10:30, late at 10:40, in the queue and in the report alike (the
report read the message as it reads now while the queue kept the due time of the first words).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.base import Author, Batch, InboundItem
from inbox.charter.deadlines import CharterDue
from inbox.charter.model import load_charter
from inbox.ingest.page import ingest_batch
from inbox.reports.period import Period
from inbox.reports.report import period_report
from inbox.store import records as store
from inbox.store.tables import Conversation

ROOT = Path(__file__).resolve().parents[2]
PARIS = ZoneInfo("Europe/Paris")
CHARTER = load_charter(ROOT / "config")
DAY = Period("2026-11-04", date(2026, 11, 4), date(2026, 11, 4), PARIS)
COUNTER = itertools.count()
BILLING = "@AcmeCare my invoice shows the same payment twice this month"
LOCKED = "@AcmeCare and now I cannot log in to my account, password reset does not work"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 4, hour, minute, tzinfo=PARIS).astimezone(UTC)


class Remembering:
    """The real classifier, each text classified once (Hypothesis reads the same texts many times)."""

    def __init__(self, classifier: Any) -> None:
        self.classifier, self.known = classifier, dict[str, Any]()

    def classify(self, texts: Sequence[str], *, followers: Sequence[int | None] | None = None) -> list[Any]:
        for text in texts:
            if text not in self.known:
                self.known[text] = self.classifier.classify([text])[0]
        return [self.known[t] for t in texts]


@pytest.fixture(scope="module")
def classifier() -> Remembering:
    from inbox.nlp import load_classifier

    return Remembering(load_classifier(ROOT / "config"))


def item(
    external_id: str, written: datetime, text: str, *, out: bool = False, edits: tuple[str, ...] = ()
) -> InboundItem:
    return InboundItem(
        channel="tg-acme",
        external_id=external_id,
        thread_key="501",
        kind="dm",
        visibility="private",
        direction="out" if out else "in",
        author=Author("acme-bot", "AcmeCare") if out else Author("501", "ann"),
        text=text,
        created_at=written,
        edits=edits,
    )


STORY = [
    item("1", at(9), "@AcmeCare you charged my card twice for my order, I want a refund"),
    item("2", at(9, 10), "We are looking into it, Ann.", out=True),
    item("3", at(10), BILLING),
]
FOLLOW_UP = item("4", at(10, 5), LOCKED)
EDIT = item("3:edit:1", at(10, 5), LOCKED, edits=("3",))


def pages(draw: st.DrawFn, items: list[InboundItem]) -> list[list[InboundItem]]:
    order = draw(st.permutations(items))
    cuts = sorted(draw(st.sets(st.integers(1, len(order) - 1), max_size=3)))
    return [order[a:b] for a, b in itertools.pairwise([0, *cuts, len(order)]) if order[a:b]]


def judged(engine: Engine, classifier: Remembering, delivered: list[list[InboundItem]]) -> tuple[Any, ...]:
    """The conversation's reason, the queue's due time for the running clock, the first-response due time and
    the report's next-response outcome, at 10:40."""
    name, now = f"tg-acme-{next(COUNTER)}", at(10, 40)
    for page in delivered:
        with Session(engine) as s, s.begin():
            channel = store.ensure_channel(s, name, "telegram", "AcmeCare")
            batch = Batch(page, next_cursor=None)
            ingest_batch(
                s, channel, "updates", batch, due=CharterDue(CHARTER), now=now, classifier=classifier
            )
    with Session(engine) as s:
        channel = store.channel_by_name(s, name)
        assert channel is not None
        conv = s.exec(select(Conversation).where(Conversation.channel_id == channel.id)).one()
        rows = period_report(s, CHARTER, DAY, now, name).targets
    first = [(t.met, t.missed, t.waiting) for t in rows if t.metric == "first_response"]
    following = [(t.met, t.missed, t.waiting) for t in rows if t.metric == "next_response"]
    assert first == [(1, 0, 0)]
    due = conv.sla_due_at.replace(tzinfo=UTC) if conv.sla_due_at else None
    first_due = conv.first_response_due_at and conv.first_response_due_at.replace(tzinfo=UTC)
    return conv.reason, due, first_due, following


SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(st.data())
def test_a_follow_up_never_rejudges_the_clock_it_did_not_start(
    engine: Engine, classifier: Remembering, data: st.DataObject
) -> None:
    delivered = data.draw(st.composite(lambda draw: pages(draw, [*STORY, FOLLOW_UP]))())
    assert judged(engine, classifier, delivered) == ("account_access", at(11), at(10), [(0, 0, 1)])


def test_an_answer_read_before_the_first_message_leaves_its_target_to_it(
    engine: Engine, classifier: Remembering
) -> None:
    """The answer read first, then the first message with the account-access follow-up: the follow-up
    started the first clock (the first message's answer not yet matched) and its target, 30 minutes, stayed
    the first response's (due 09:30 instead of 10:00)."""
    by = {i.external_id: i for i in [*STORY, FOLLOW_UP]}
    delivered = [[by["2"]], [by["1"], by["4"]], [by["3"]]]
    assert judged(engine, classifier, delivered) == ("account_access", at(11), at(10), [(0, 0, 1)])


@SETTINGS
@given(st.data())
def test_an_edit_rejudges_the_clock_its_message_started_in_the_queue_and_the_report(
    engine: Engine, classifier: Remembering, data: st.DataObject
) -> None:
    delivered = data.draw(st.composite(lambda draw: pages(draw, [*STORY, EDIT]))())
    assert judged(engine, classifier, delivered) == ("account_access", at(10, 30), at(10), [(0, 1, 0)])


TAKEN_BACK = [*STORY[:2], item("3", at(10), LOCKED), item("3:edit:1", at(10, 5), BILLING, edits=("3",))]


@SETTINGS
@given(st.data())
def test_an_edit_that_takes_back_urgent_words_lowers_the_conversations_urgency(
    engine: Engine, classifier: Remembering, data: st.DataObject
) -> None:
    """'I cannot log in' (high) edited into a billing question (normal): the conversation is as urgent as its
    messages now say, whatever the order (read in order, it stayed high: the queue ranked it above calmer
    ones and its urgency filter said high, though no message is)."""
    delivered = data.draw(st.composite(lambda draw: pages(draw, TAKEN_BACK))())
    assert judged(engine, classifier, delivered) == ("billing_payment", at(11), at(10), [(0, 0, 1)])
    with Session(engine) as s:
        urgencies = {c.urgency for c in s.exec(select(Conversation)).all()}
    assert urgencies == {"normal"}
