"""Listening items: marked and filtered in the queue, their own charter target, dismissed (audited, out of the
queue) without ever counting as a breach in the reports; the composer refuses a self-serve X public reply."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from inbox.charter.deadlines import CharterDue, DueSubject
from inbox.charter.model import load_charter
from inbox.ingest import listening_items
from inbox.reports.period import rolling
from inbox.reports.report import judged_conversations, live_report, period_report, report_tz
from inbox.reports.sla_kpis import attainment, first_response, outcome_count
from inbox.store.engine import open_engine
from inbox.store.tables import AuditEvent, Conversation, Message, User
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded, add_conversation
from tests.support.ui import app_as, open_conv, queue_ids, seeded_app

CHARTER = load_charter(ROOT / "config")


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """The desk seed plus a breached listening post that does not @mention the brand."""
    for out in seeded_app(db_url, monkeypatch):
        engine = open_engine(db_url)
        now = datetime.now(UTC)
        with Session(engine) as session, session.begin():
            conv_id = add_conversation(
                session,
                out.channel_id,
                handle="lena",
                text="AcmeCare support is so slow this week",
                received=now - timedelta(hours=6),
                due=now - timedelta(hours=1),
            )
            conv = session.get(Conversation, conv_id)
            assert conv is not None
            conv.kind = "listening"
            for message in session.exec(select(Message).where(Message.conversation_id == conv_id)):
                message.kind = "listening"  # found by search, not on the mentions stream
        engine.dispose()
        out.conversations["listening"] = conv_id
        yield out


def conversation(db_url: str, conv_id: int) -> Conversation:
    engine = open_engine(db_url)
    with Session(engine) as s:
        conv = s.get(Conversation, conv_id)
    engine.dispose()
    assert conv is not None
    return conv


def test_listening_items_are_marked_and_filtered_in_the_queue(seeded: Seeded) -> None:
    at = app_as(seeded, "alice")
    listening = seeded.conversations["listening"]
    assert listening in queue_ids(at)
    badges = " ".join(m.value for m in at.markdown)
    assert ":orange-badge[:material/hearing: Listening]" in badges
    at.selectbox(key="q-source").select("listening").run()
    assert queue_ids(at) == [listening]
    at.selectbox(key="q-source").select("direct").run()
    assert listening not in queue_ids(at) and queue_ids(at)


def test_dismissing_from_the_queue_closes_it_audited(seeded: Seeded, db_url: str) -> None:
    listening = seeded.conversations["listening"]
    at = app_as(seeded, "alice")
    assert not [
        b for b in at.button if str(b.key) == f"dismiss-{seeded.conversations['late']}"
    ]  # not listening
    at.button(key=f"dismiss-{listening}").click().run()
    assert not at.exception and listening not in queue_ids(at)
    conv = conversation(db_url, listening)
    assert (conv.status, conv.sla_due_at) == ("resolved", None)
    engine = open_engine(db_url)
    with Session(engine) as s:
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.dismissed")).all()
    engine.dispose()
    assert (event.actor, event.target_id, event.detail) == (
        "alice",
        str(listening),
        {"reason": "dismissed", "from": "open"},
    )


def test_the_conversation_page_offers_dismiss_and_refuses_a_public_reply(seeded: Seeded, db_url: str) -> None:
    listening = seeded.conversations["listening"]
    at = open_conv(app_as(seeded, "alice"), listening)
    assert at.segmented_control(key=f"composer-{listening}-mode").value == "private"  # public is not possible
    at.segmented_control(key=f"composer-{listening}-mode").set_value("public").run()
    at.text_area(key=f"composer-{listening}-draft").input("Sorry to hear that! Can we help?").run()
    assert at.button(key=f"send-{listening}").disabled
    warnings = [w.value for w in at.warning]
    assert (
        "X self-serve accounts may reply publicly only to posts that mention or quote the brand." in warnings
    )
    at.button(key=f"dismiss-{listening}").click().run()
    assert conversation(db_url, listening).status == "resolved"


def test_a_dismissed_item_never_counts_as_a_breach(seeded: Seeded, db_url: str) -> None:
    listening = seeded.conversations["listening"]
    engine = open_engine(db_url)
    now = datetime.now(UTC)
    with Session(engine) as session:
        before = live_report(session, CHARTER, now)
        assert listening in [c.conversation.id for c in before.breached]
    with Session(engine) as session, session.begin():
        user = session.exec(select(User).where(col(User.name) == "alice")).one()
        listening_items.dismiss(session, listening, user, now)
    with Session(engine) as session:
        live = live_report(session, CHARTER, now)
        week = rolling("7d", now, report_tz(CHARTER))
        judged = judged_conversations(session, CHARTER, week, now)
        counted = period_report(session, CHARTER, week, now).attainment
    engine.dispose()
    assert listening not in [c.conversation.id for c in live.clocks]
    [outcome] = [r for r in judged if r.facts.id == listening]
    assert outcome.outcome == "closed_unanswered"  # neither met nor missed: out of the attainment
    assert first_response(outcome.facts, CHARTER, now).outcome != "missed"
    assert counted == attainment(outcome_count(j) for j in judged)  # SQL counts as Python judges


def test_only_listening_items_can_be_dismissed(seeded: Seeded, db_url: str) -> None:
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        user = session.exec(select(User).where(col(User.name) == "alice")).one()
        with pytest.raises(listening_items.DismissError, match="only listening items"):
            listening_items.dismiss(session, seeded.conversations["late"], user, datetime.now(UTC))
    engine.dispose()


def test_listening_items_have_their_own_charter_target() -> None:
    """config/charter.toml: listening 240 opening minutes, public mentions 60 (Paris, 08-12 and 14-20)."""
    wednesday_9 = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # 09:00 in Paris
    due = CharterDue(CHARTER)
    subject = DueSubject("x-acme", "x")
    listening = Conversation(channel_id=1, thread_key="t", visibility="public", kind="listening")
    mention = Conversation(channel_id=1, thread_key="u", visibility="public", kind="mention")
    assert due(listening, wednesday_9, False, subject) == datetime(
        2026, 12, 2, 14, 0, tzinfo=UTC
    )  # 15:00 Paris
    assert due(mention, wednesday_9, False, subject) == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
