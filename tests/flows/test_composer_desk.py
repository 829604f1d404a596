"""The send service behind the composer: refusals, collision hold, the guard, and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inbox.desk import actions as desk
from inbox.desk import notes, presence, replying
from inbox.replies import queued
from inbox.store.tables import AuditEvent, Message, OutboundReply, User
from tests.support.seed_desk import seed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _user(s: Session, user_id: int) -> User:
    user = s.get(User, user_id)
    assert user is not None
    return user


def test_the_service_refuses_what_the_composer_refuses(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    conv = seeded.conversations["late"]
    with Session(engine) as s, s.begin():
        alice = _user(s, seeded.users["alice"])
        result = replying.send_reply(
            s,
            conv,
            alice,
            visibility="public",
            text="mail me: bob@example.com",
            composer_opened_at=NOW,
            now=NOW,
        )
        assert result.reply is None and result.verdict is not None and result.verdict.offer_private
        result = replying.send_reply(
            s, conv, alice, visibility="public", text="Hi {customer_name}", composer_opened_at=NOW, now=NOW
        )
        assert result.reply is None
    with Session(engine) as s:
        assert s.exec(select(OutboundReply)).all() == []
        assert [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.action == "reply.refused"))] == [
            "reply.refused"
        ] * 2


def test_collision_holds_the_second_answer_until_confirmed(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    conv = seeded.conversations["late"]
    opened = NOW
    with Session(engine) as s, s.begin():
        bruno = _user(s, seeded.users["bruno"])
        first = replying.send_reply(
            s,
            conv,
            bruno,
            visibility="public",
            text="On it!",
            composer_opened_at=opened,
            now=NOW + timedelta(seconds=5),
        )
        assert first.reply is not None
    with Session(engine) as s, s.begin():
        alice, bruno = _user(s, seeded.users["alice"]), _user(s, seeded.users["bruno"])
        held = replying.send_reply(
            s,
            conv,
            alice,
            visibility="public",
            text="Checking!",
            composer_opened_at=opened,
            now=NOW + timedelta(seconds=9),
        )
        assert held.reply is None and [(a.author, a.text) for a in held.held] == [("bruno", "On it!")]
        own = replying.send_reply(
            s,
            conv,
            bruno,
            visibility="public",
            text="More info soon",
            now=NOW + timedelta(seconds=10),
            composer_opened_at=opened,
        )
        assert own.reply is not None  # one's own earlier answer is no collision
        sent = replying.send_reply(
            s,
            conv,
            alice,
            visibility="public",
            text="Checking!",
            composer_opened_at=opened,
            now=NOW + timedelta(seconds=12),
            confirmed=True,
            idempotency_key="alice-1",
        )
        again = replying.send_reply(
            s,
            conv,
            alice,
            visibility="public",
            text="Checking!",
            composer_opened_at=opened,
            now=NOW + timedelta(seconds=13),
            confirmed=True,
            idempotency_key="alice-1",
        )
        assert sent.reply is not None and again.reply is not None and again.reply.id == sent.reply.id
    with Session(engine) as s:
        assert len(s.exec(select(OutboundReply)).all()) == 3


def test_a_colleagues_cancelled_reply_is_no_collision(engine: Engine) -> None:
    """Bruno queued an answer, then cancelled it before it went: Alice's reply is not held for it."""
    seeded = seed(engine, NOW)
    conv = seeded.conversations["late"]
    with Session(engine) as s, s.begin():
        bruno = _user(s, seeded.users["bruno"])
        first = replying.send_reply(
            s,
            conv,
            bruno,
            visibility="public",
            text="On it!",
            composer_opened_at=NOW,
            now=NOW + timedelta(seconds=5),
        )
        assert first.reply is not None and first.reply.id is not None
        queued.cancel(s, first.reply.id, bruno, NOW + timedelta(seconds=7))
    with Session(engine) as s, s.begin():
        alice = _user(s, seeded.users["alice"])
        mine = replying.send_reply(
            s,
            conv,
            alice,
            visibility="public",
            text="Checking!",
            composer_opened_at=NOW,
            now=NOW + timedelta(seconds=9),
        )
        assert mine.held == [] and mine.reply is not None


def test_an_answer_posted_outside_the_inbox_also_counts(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    conv = seeded.conversations["late"]
    with Session(engine) as s, s.begin():
        s.add(
            Message(
                channel_id=seeded.channel_id,
                conversation_id=conv,
                platform_id="native-1",
                direction="out",
                visibility="public",
                kind="mention",
                text="Answered from the phone app",
                author_handle="AcmeCare",
                created_at=NOW + timedelta(seconds=3),
                ingested_at=NOW,
            )
        )
    with Session(engine) as s:
        answers = presence.answers_since(s, conv, NOW, "alice")
    assert [(a.author, a.status) for a in answers] == [("AcmeCare", "on platform")]


def test_presence_shows_who_else_is_on_a_conversation_until_stale(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    conv, alice, bruno = seeded.conversations["late"], seeded.users["alice"], seeded.users["bruno"]
    with Session(engine) as s, s.begin():
        presence.touch(s, conv, alice, "viewing", NOW)
        presence.touch(s, conv, bruno, "composing", NOW)
    with Session(engine) as s:
        seen = presence.viewers(s, [conv], NOW + timedelta(seconds=10), exclude_user=alice)
        assert [(v.name, v.activity) for v in seen[conv]] == [("Bruno", "composing")]
        assert presence.viewers(s, [conv], NOW + timedelta(minutes=5)) == {}
    with Session(engine) as s, s.begin():
        presence.leave(s, bruno)
    with Session(engine) as s:
        assert [v.name for v in presence.viewers(s, [conv], NOW)[conv]] == ["Alice"]


def test_assign_status_tags_notes_are_audited(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    conv = seeded.conversations["soon"]
    with Session(engine) as s, s.begin():
        alice = _user(s, seeded.users["alice"])
        desk.assign(s, conv, seeded.users["bruno"], alice, NOW)
        desk.set_status(s, conv, "pending", alice, NOW)
        desk.set_tags(s, conv, [" Billing", "#billing", "refund", ""], alice, NOW)
        notes.add_note(s, conv, alice, "VIP: handle with care", NOW)
        view = desk.load(s, conv)
        assert (view.conversation.assignee_id, view.conversation.status) == (seeded.users["bruno"], "pending")
        assert view.conversation.tags == ["billing", "refund"]
        assert [n.text for n in notes.notes_for(s, conv)] == ["VIP: handle with care"]
    with Session(engine) as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.id)))]
    assert actions[-4:] == ["conversation.assigned", "conversation.status", "conversation.tags", "note.added"]


def test_two_agents_sending_at_once_never_both_go_out_silently(engine: Engine) -> None:
    import threading

    from sqlalchemy.exc import OperationalError

    seeded = seed(engine, NOW)
    conv = seeded.conversations["late"]
    barrier, outcomes = threading.Barrier(2), {}

    def send(name: str) -> None:
        barrier.wait()
        try:
            with Session(engine) as s, s.begin():
                result = replying.send_reply(
                    s,
                    conv,
                    _user(s, seeded.users[name]),
                    visibility="public",
                    text=f"Answer from {name}",
                    composer_opened_at=NOW,
                    now=datetime.now(UTC),
                )
                outcomes[name] = "sent" if result.reply else ("held" if result.held else "refused")
        except OperationalError:
            outcomes[name] = "busy"  # SQLite refused the second writer: nothing sent, the agent retries

    threads = [threading.Thread(target=send, args=(n,)) for n in ("alice", "bruno")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) in (["held", "sent"], ["busy", "sent"])
    with Session(engine) as s:
        assert len(s.exec(select(OutboundReply)).all()) == 1


def test_a_card_number_pasted_into_a_note_is_stored_masked(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    conv = seeded.conversations["soon"]
    with Session(engine) as s, s.begin():
        alice = _user(s, seeded.users["alice"])
        notes.add_note(
            s, conv, alice, "client paid with 4111 1111 1111 1111, IBAN FR7630006000011234567890189", NOW
        )
    with Session(engine) as s:
        (stored,) = [n.text for n in notes.notes_for(s, conv)]
    assert "4111 1111 1111 1111" not in stored and stored.startswith("client paid with **** **** **** 1111")
    assert "FR7630006000011234567890189" not in stored and stored.endswith("0189")


def test_answering_an_unassigned_conversation_takes_it_and_an_assigned_one_stays(engine: Engine) -> None:
    """As Zendesk and Chatwoot: the agent who answers owns the follow-up (their figures, their notifications);
    a manager stepping into an agent's conversation does not take it from them."""
    from inbox.store.tables import Conversation

    seeded = seed(engine, NOW)
    late, soon = seeded.conversations["late"], seeded.conversations["soon"]
    with Session(engine) as s, s.begin():
        maya = _user(s, seeded.users["maya"])
        desk.assign(s, soon, seeded.users["alice"], maya, NOW)
    with Session(engine) as s, s.begin():
        bruno, maya = _user(s, seeded.users["bruno"]), _user(s, seeded.users["maya"])
        for conv, who in ((late, bruno), (soon, maya)):
            sent = replying.send_reply(
                s, conv, who, visibility="public", text="Looking into it", composer_opened_at=NOW, now=NOW
            )
            assert sent.reply is not None
    with Session(engine) as s:
        assert s.get(Conversation, late).assignee_id == seeded.users["bruno"]  # type: ignore[union-attr]
        assert s.get(Conversation, soon).assignee_id == seeded.users["alice"]  # type: ignore[union-attr]
        taken = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.assigned")).all()
        assert [(e.actor, e.detail.get("rule")) for e in taken] == [("maya", None), ("bruno", "reply")]
