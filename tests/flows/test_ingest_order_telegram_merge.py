"""A Telegram group upgraded to a supergroup whose "upgraded" service messages come late or never: the
members' conversations still follow the group, once, and each move is in the audit log (the Telegram
sandbox, the real connector, listener and outbox).

Jonas (43) and Léa (44) wrote in the basic group OLD (the supergroup tests' ``listening``); the group is
upgraded to NEW.
- The notices come late, after Jonas wrote in NEW: that opened a second conversation, which the notices now
  merge into his first (both messages once, one clock, audited ``conversation.chat_moved``). Before, the
  two stayed apart, the customer counted twice.
- The notices never come, but an agent's reply to OLD was posted in NEW (Telegram's ``migrate_to_chat_id``
  answer): what Jonas writes in NEW joins his conversation. Before, it opened a second one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.telegram.server import TelegramSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.jobs.worker import follow_answered_moves
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, Message
from tests.flows import test_platform_telegram_supergroup as supergroup
from tests.flows.test_platform_telegram_supergroup import NEW, OLD, _poll
from tests.support.clock import Clock

tg, listening = supergroup.tg, supergroup.listening  # the fixtures: the sandbox, Jonas and Léa in OLD


def _held_back(tg: TelegramSandbox) -> list[dict[str, Any]]:
    """Upgrade OLD to NEW, the service messages taken out of the pending updates (returned)."""
    said = tg.migrate_group(OLD, NEW)
    ids = {s["update_id"] for s in said}
    with tg.lock:
        tg.store.updates = [u for u in tg.store.updates if u["update_id"] not in ids]
    return said


def _state(engine: Engine) -> tuple[dict[str, list[str]], list[dict[str, Any]]]:
    """Each conversation's thread key with its messages' texts; the chat moves audited."""
    with Session(engine) as s:
        convs = s.exec(select(Conversation).order_by(Conversation.id)).all()  # type: ignore[arg-type]
        threads = {
            c.thread_key: [
                m.text
                for m in s.exec(select(Message).where(Message.conversation_id == c.id).order_by(Message.id))
            ]
            for c in convs
        }
        audits = s.exec(select(AuditEvent).where(AuditEvent.action == "conversation.chat_moved")).all()
        return threads, [{"target": a.target_id, **a.detail} for a in audits]


def test_late_notices_merge_the_supergroup_conversation_into_the_group_one(
    engine: Engine, tg: TelegramSandbox, listening: tuple[Runtime, Clock]
) -> None:
    rt, clock = listening
    said = _held_back(tg)
    tg.add_group_message("@AcmeCareBot toujours rien", group_id=NEW, user_id=43)
    _poll(engine, rt, clock)
    threads, _ = _state(engine)
    assert set(threads) == {f"{OLD}/43", f"{OLD}/44", f"{NEW}/43"}  # the inbox cannot know yet
    with Session(engine) as s:
        first, second = (
            s.exec(select(Conversation.id).where(Conversation.thread_key == key)).one()
            for key in (f"{OLD}/43", f"{NEW}/43")
        )
    for update in said:  # the notices, late
        tg.add_raw_update({"message": update["message"]})
    _poll(engine, rt, clock)
    _poll(engine, rt, clock)
    threads, moves = _state(engine)
    assert threads == {
        f"{NEW}/43": ["@AcmeCareBot ma box ne marche plus", "@AcmeCareBot toujours rien"],
        f"{NEW}/44": ["@AcmeCareBot pareil"],
    }
    assert {"target": str(first), "merged": second} in moves and len(moves) == 2
    with Session(engine) as s:
        conv = s.exec(select(Conversation).where(Conversation.id == first)).one()
        assert conv.id == first and conv.status == "open" and conv.first_response_at is None
        assert conv.clock_started_at == conv.first_inbound_at  # one clock, from his first message


def test_a_move_the_outbox_learnt_takes_the_members_next_message_to_their_conversation(
    engine: Engine, tg: TelegramSandbox, listening: tuple[Runtime, Clock]
) -> None:
    rt, clock = listening
    _held_back(tg)  # never read
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.thread_key == f"{OLD}/43")).one()
        conv_id = conv.id
        outbox.enqueue(
            s, conv, visibility="public", text="Bonjour Jonas, nous regardons.", actor="a", now=clock()
        )
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    assert [m["chat_id"] for m in tg.sent] == [NEW]  # Telegram's answer told the outbox
    tg.add_group_message("@AcmeCareBot toujours rien", group_id=NEW, user_id=43)
    _poll(engine, rt, clock)
    threads, moves = _state(engine)
    assert threads == {
        f"{NEW}/43": [
            "@AcmeCareBot ma box ne marche plus",
            "Bonjour Jonas, nous regardons.",
            "@AcmeCareBot toujours rien",
        ],
        f"{NEW}/44": ["@AcmeCareBot pareil"],
    }
    assert str(conv_id) in [m["target"] for m in moves] and len(moves) == 2


def test_a_move_the_outbox_learns_merges_a_supergroup_conversation_opened_before(
    engine: Engine, tg: TelegramSandbox, listening: tuple[Runtime, Clock]
) -> None:
    """The notices never come; Jonas writes in NEW (a second conversation: the inbox cannot know yet), then
    an agent answers his first conversation, which Telegram posts in NEW. The listener follows that move
    as soon as the outbox has delivered it (``worker.follow_answered_moves``, as its sender thread does
    after each drain): one conversation, his first, with both his messages and the answer, one clock
    (answered), audited. Before, the two stayed apart until a notice came (never, here)."""
    rt, clock = listening
    _held_back(tg)
    tg.add_group_message("@AcmeCareBot toujours rien", group_id=NEW, user_id=43)
    _poll(engine, rt, clock)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.thread_key == f"{OLD}/43")).one()
        first = conv.id
        second = s.exec(select(Conversation.id).where(Conversation.thread_key == f"{NEW}/43")).one()
        outbox.enqueue(
            s, conv, visibility="public", text="Bonjour Jonas, nous regardons.", actor="a", now=clock()
        )
    since = clock()
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    assert set(_state(engine)[0]) == {f"{OLD}/43", f"{OLD}/44", f"{NEW}/43"}  # apart until followed
    assert follow_answered_moves(engine, [rt], default_due, since, clock()) == 2  # Jonas's and Léa's
    threads, moves = _state(engine)
    assert threads == {
        f"{NEW}/43": [
            "@AcmeCareBot ma box ne marche plus",
            "@AcmeCareBot toujours rien",
            "Bonjour Jonas, nous regardons.",
        ],
        f"{NEW}/44": ["@AcmeCareBot pareil"],
    }
    assert {"target": str(first), "merged": second} in moves and len(moves) == 2
    with Session(engine) as s:
        merged = s.exec(select(Conversation).where(Conversation.id == first)).one()
        assert merged.first_response_at is not None and merged.clock_started_at is None  # answered: no clock
    assert follow_answered_moves(engine, [rt], default_due, since, clock()) == 0  # followed once
    _poll(engine, rt, clock)
    assert set(_state(engine)[0]) == {f"{NEW}/43", f"{NEW}/44"}


def test_a_reply_posted_in_the_group_before_its_upgrade_moves_nothing_back(
    engine: Engine, tg: TelegramSandbox, listening: tuple[Runtime, Clock]
) -> None:
    """An answer posted in OLD before the upgrade stays in Jonas's conversation once it followed the group
    to NEW (the notices read): its platform id names OLD, yet no move from NEW back to OLD is followed."""
    rt, clock = listening
    since = clock()
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.thread_key == f"{OLD}/43")).one()
        outbox.enqueue(s, conv, visibility="public", text="Bonjour Jonas.", actor="a", now=clock())
    assert outbox.drain(engine, {rt.name: rt.connector}, clock) == 1
    tg.migrate_group(OLD, NEW)
    _poll(engine, rt, clock)
    assert set(_state(engine)[0]) == {f"{NEW}/43", f"{NEW}/44"}
    assert follow_answered_moves(engine, [rt], default_due, since, clock()) == 0
    assert set(_state(engine)[0]) == {f"{NEW}/43", f"{NEW}/44"}
