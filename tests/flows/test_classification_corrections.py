"""An agent corrects a message's classification (issues #14.5, #18.4): the correction is stored (who, when,
old, new), audited, applied to the message and its conversation (queue order, urgency, reason filter), the
SLA clock follows a new urgency's target, a reclassification keeps it, and the conversation's language is
the customer's across their messages unless an agent corrected it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.charter.deadlines import CharterDue
from inbox.desk import corrections
from inbox.desk.queue import Filters, queue_page
from inbox.ingest import conversation_fields
from inbox.jobs.reclassify import reclassify_all
from inbox.nlp.types import Classification
from inbox.store.tables import AuditEvent, Conversation, Message, User
from inbox.store.tables.corrections import ClassificationCorrection
from tests.support.charter import make_charter
from tests.support.seed_desk import Seeded, seed

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday, the test team open
DUE = CharterDue(make_charter())  # private: 60 min 24/7; critical 15


@pytest.fixture
def seeded(engine: Engine) -> Seeded:
    return seed(engine, NOW)


def _message(s: Session, conv_id: int) -> Message:
    return s.exec(select(Message).where(Message.conversation_id == conv_id)).one()


def _correct(engine: Engine, seeded: Seeded, conv: str, field: str, new: str, who: str = "alice") -> None:
    with Session(engine) as s, s.begin():
        user = s.get(User, seeded.users[who])
        assert user is not None
        corrections.correct(s, _message(s, seeded.conversations[conv]).id or 0, field, new, user, NOW, DUE)


def test_an_urgency_correction_is_stored_audited_and_moves_the_clock(engine: Engine, seeded: Seeded) -> None:
    dm = seeded.conversations["dm"]  # received 20 minutes ago, due in 40 (the seed's times)
    with Session(engine) as s:
        before = [r.id for r in queue_page(s, Filters(), user_id=None, now=NOW).rows]
    _correct(engine, seeded, "dm", "urgency", "critical")
    with Session(engine) as s:
        row = s.exec(select(ClassificationCorrection)).one()
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "classification.corrected")).one()
        conv = s.get(Conversation, dm)
        message = _message(s, dm)
        after = [r.id for r in queue_page(s, Filters(), user_id=None, now=NOW).rows]
    assert (row.actor, row.user_id, row.field, row.old, row.new, row.at) == (
        "alice",
        seeded.users["alice"],
        "urgency",
        None,  # the seed's message was never classified
        "critical",
        NOW,
    )
    assert (row.message_id, row.conversation_id) == (message.id, dm)
    assert audit.actor == "alice" and audit.target_id == str(message.id)
    assert audit.detail == {"conversation": dm, "field": "urgency", "old": None, "new": "critical"}
    assert message.urgency == "critical" and conv is not None and conv.urgency == "critical"
    assert conv.sla_due_at == NOW - timedelta(minutes=20) + timedelta(minutes=15)  # critical: 15 min, 24/7
    assert before.index(dm) > after.index(dm) == 0  # now the most overdue: first in the queue


def test_a_lower_urgency_lowers_the_conversation_and_lengthens_the_clock(
    engine: Engine, seeded: Seeded
) -> None:
    _correct(engine, seeded, "dm", "urgency", "critical")
    _correct(engine, seeded, "dm", "urgency", "low", who="bruno")
    with Session(engine) as s:
        conv = s.get(Conversation, seeded.conversations["dm"])
        rows = s.exec(select(ClassificationCorrection).order_by(col(ClassificationCorrection.id))).all()
    assert conv is not None and conv.urgency == "low"
    assert conv.sla_due_at == NOW - timedelta(minutes=20) + timedelta(minutes=60)
    assert [(r.actor, r.old, r.new) for r in rows] == [
        ("alice", None, "critical"),
        ("bruno", "critical", "low"),
    ]


def test_a_reason_correction_moves_the_conversation_in_the_reason_filter(
    engine: Engine, seeded: Seeded
) -> None:
    _correct(engine, seeded, "soon", "reason", "billing_payment")
    _correct(engine, seeded, "soon", "sentiment", "negative")
    with Session(engine) as s:
        billing = queue_page(s, Filters(reason="billing_payment"), user_id=None, now=NOW).rows
        conv = s.get(Conversation, seeded.conversations["soon"])
    assert [r.id for r in billing] == [seeded.conversations["soon"]]
    assert conv is not None and (conv.reason, conv.sentiment) == ("billing_payment", "negative")


def test_the_same_value_again_stores_nothing_and_a_bad_value_is_refused(
    engine: Engine, seeded: Seeded
) -> None:
    _correct(engine, seeded, "late", "urgency", "high")  # the seed's conversation urgency, not the message's
    _correct(engine, seeded, "late", "urgency", "high")
    with pytest.raises(corrections.CorrectionError):
        _correct(engine, seeded, "late", "urgency", "urgent")
    with pytest.raises(corrections.CorrectionError):
        _correct(engine, seeded, "late", "language", "French")
    with Session(engine) as s:
        assert len(s.exec(select(ClassificationCorrection)).all()) == 1


def _classified_as(language: str) -> list[Classification]:
    return [Classification(language, "neutral", {"neutral": 1.0}, "normal", reason="other")]


def test_reclassification_keeps_the_agents_corrections(engine: Engine, seeded: Seeded) -> None:
    _correct(engine, seeded, "dm", "language", "en")
    _correct(engine, seeded, "dm", "reason", "account_access")
    reclassify_all(engine, lambda texts, followers=None: _classified_as("fr") * len(texts))
    with Session(engine) as s:
        message = _message(s, seeded.conversations["dm"])
        conv = s.get(Conversation, seeded.conversations["dm"])
    assert (message.language, message.reason, message.sentiment) == ("en", "account_access", "neutral")
    assert conv is not None and (conv.language, conv.reason) == ("en", "account_access")


def _add_inbound(s: Session, conv: Conversation, n: int, language: str) -> None:
    s.add(
        Message(
            channel_id=conv.channel_id,
            conversation_id=conv.id or 0,
            platform_id=f"extra-{conv.id}-{n}",
            direction="in",
            visibility=conv.visibility,
            kind=conv.kind,
            text="ok",
            created_at=NOW + timedelta(minutes=n),
            ingested_at=NOW,
            language=language,
        )
    )


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (["fr", "en", "und"], "fr"),  # a tie: the first confident one
        (["fr", "en", "en"], "en"),  # the majority
        (["fr", "de", "und", "und"], "fr"),  # "und" is no vote
        (["und", "und"], "und"),  # nothing confident: the latest reading
    ],
)
def test_the_conversation_language_is_the_customers_across_messages(
    engine: Engine, seeded: Seeded, languages: list[str], expected: str
) -> None:
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, seeded.conversations["dm"])
        assert conv is not None
        _message(s, conv.id or 0).language = languages[0]
        for n, language in enumerate(languages[1:], 1):
            _add_inbound(s, conv, n, language)
        s.flush()
        conversation_fields.languages(s, [conv])
    with Session(engine) as s:
        conv = s.get(Conversation, seeded.conversations["dm"])
        assert conv is not None and conv.language == expected


def test_an_agents_language_beats_the_majority(engine: Engine, seeded: Seeded) -> None:
    _correct(engine, seeded, "dm", "language", "fr")  # the seed's message was never classified
    with Session(engine) as s, s.begin():
        conv = s.get(Conversation, seeded.conversations["dm"])
        assert conv is not None
        for n in (1, 2):
            _add_inbound(s, conv, n, "en")
        s.flush()
        conversation_fields.languages(s, [conv])
    with Session(engine) as s:
        conv = s.get(Conversation, seeded.conversations["dm"])
        assert conv is not None and conv.language == "fr"
