"""The conversation page through AppTest: Hide/Show comment on Facebook comments (queued in the outbox), the
"Hidden on Facebook" badge, and a moderated conversation's label, refusal and the manager's "Not abuse"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from inbox.store.engine import open_engine
from inbox.store.tables import Channel, Contact, Conversation, Message, OutboundReply
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, audit_actions, open_conv, seeded_app


def add_comment(session: Session, tags: list[str], status: str) -> tuple[int, int]:
    """A Facebook channel with one comment conversation; returns (conversation id, message id)."""
    channel = Channel(name="fb-acme", platform="facebook", account="acme", account_id="106500000000001")
    session.add(channel)
    session.flush()
    at = datetime.now(UTC) - timedelta(minutes=5)
    contact = Contact(channel_id=channel.id or 0, platform_id="7001", handle=None, display_name="Promo Bot")
    session.add(contact)
    session.flush()
    conv = Conversation(
        channel_id=channel.id or 0,
        thread_key="106500000000001_9001",
        visibility="public",
        kind="comment",
        contact_id=contact.id,
        status=status,
        first_inbound_at=at,
        last_inbound_at=at,
        last_message_at=at,
        sla_due_at=None if status == "resolved" else at + timedelta(hours=1),
        tags=tags,
    )
    session.add(conv)
    session.flush()
    message = Message(
        channel_id=channel.id or 0,
        conversation_id=conv.id or 0,
        platform_id="106500000000001_9001",
        direction="in",
        visibility="public",
        kind="comment",
        text="Free followers! Follow me",
        author_platform_id="7001",
        contact_id=contact.id,
        created_at=at,
    )
    session.add(message)
    session.flush()
    return conv.id or 0, message.id or 0


def _seeded(db_url: str, monkeypatch: pytest.MonkeyPatch, tags: list[str], status: str) -> Iterator[Seeded]:
    for out in seeded_app(db_url, monkeypatch):
        engine = open_engine(db_url)
        with Session(engine) as session, session.begin():
            conv, message = add_comment(session, tags, status)
        engine.dispose()
        out.conversations["fb"], out.conversations["fb-message"] = conv, message
        yield out


@pytest.fixture
def seeded(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    yield from _seeded(db_url, monkeypatch, [], "open")


@pytest.fixture
def moderated(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    yield from _seeded(db_url, monkeypatch, ["moderated:spam"], "resolved")


def _rows(db_url: str) -> list[tuple[str, str, str | None]]:
    engine = open_engine(db_url)
    with Session(engine) as s:
        stmt = select(OutboundReply.action, OutboundReply.status, OutboundReply.in_reply_to)
        rows = list(s.exec(stmt.order_by(col(OutboundReply.id))))
    engine.dispose()
    return rows


def test_an_agent_hides_a_facebook_comment_through_the_outbox(seeded: Seeded, db_url: str) -> None:
    conv, message = seeded.conversations["fb"], seeded.conversations["fb-message"]
    at = open_conv(app_as(seeded, "alice"), conv)
    button = at.button(key=f"hide-{message}")
    assert button.label == "Hide comment" and not button.disabled
    button.click().run()
    assert not at.exception
    assert _rows(db_url) == [("hide", "pending", "106500000000001_9001")]
    assert "comment.hide_queued" in audit_actions(db_url)
    assert any("Hide comment" in m.value and "Queued" in m.value for m in at.markdown)
    assert at.button(key=f"hide-{message}").disabled  # one pending at a time

    engine = open_engine(db_url)
    with Session(engine) as s, s.begin():  # the sender delivered it
        row = s.exec(select(OutboundReply)).one()
        row.status = "sent"
        hidden = s.get(Message, message)
        assert hidden is not None
        hidden.hidden_at = datetime.now(UTC)
    engine.dispose()
    at = open_conv(app_as(seeded, "alice"), conv)
    assert any("Hidden on Facebook" in m.value for m in at.markdown)
    assert at.button(key=f"hide-{message}").label == "Show comment"


def test_comments_elsewhere_have_no_hide_button(seeded: Seeded) -> None:
    at = open_conv(app_as(seeded, "alice"), seeded.conversations["late"])  # an X mention
    assert not [b for b in at.button if str(b.key).startswith("hide-")]


def test_a_moderated_conversation_is_labelled_refused_and_reopened_by_a_manager(
    moderated: Seeded, db_url: str
) -> None:
    conv = moderated.conversations["fb"]
    at = open_conv(app_as(moderated, "alice"), conv)
    assert any("Moderated: spam" in m.value for m in at.markdown)
    assert any("never answered" in w.value for w in at.warning)
    assert not [a for a in at.text_area if a.key == f"composer-{conv}-draft"]  # no composer
    assert not [b for b in at.button if b.key == f"unmark-{conv}"]  # agents cannot lift it

    at = open_conv(app_as(moderated, "maya"), conv)
    at.button(key=f"unmark-{conv}").click().run()
    assert not at.exception
    engine = open_engine(db_url)
    with Session(engine) as s:
        row = s.get(Conversation, conv)
        assert row is not None and (row.status, row.tags) == ("open", [])
        assert row.sla_due_at is not None
    engine.dispose()
    assert "moderation.unmarked" in audit_actions(db_url)
