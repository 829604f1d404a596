"""The platform's deletions honoured (#15.5): a customer deletes their Facebook comment, Meta pushes the feed
change with verb ``remove`` (the Meta sandbox, signed, to the real receiver), and the stored copy is erased,
its clock stops and the conversation says 'deleted by the customer'."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from inbox import i18n
from inbox.ingest.deletions import DELETED, TAG
from inbox.outbox import delivery as outbox
from inbox.store.tables import AuditEvent, Conversation, Message, OutboundReply
from inbox.ui.widgets import send_failure
from tests.support.eventually import eventually
from tests.support.privacy_flows import every_value
from tests.support.webhooks import events, messages, now, post, wait_processed


def _conversation(engine: Engine, platform_id: str) -> Conversation:
    with Session(engine) as s:
        conv_id = s.exec(select(Message.conversation_id).where(Message.platform_id == platform_id)).one()
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        return conv


def _erased(engine: Engine, platform_id: str) -> None:
    eventually(lambda: messages(engine, platform_id)[0].text == DELETED, message="the deletion honoured")
    wait_processed(engine)


def test_a_deleted_comment_is_erased_and_its_clock_stops(
    receiver_url: str, engine: Engine, meta: MetaSandbox
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/fb-acme", platform="facebook")
    gone = meta.add_comment("zebracorn: my phone is 06 12 34 56 78", created_at=now() - timedelta(minutes=3))
    wait_processed(engine)
    before = _conversation(engine, gone)
    assert before.status == "open" and before.sla_due_at is not None
    with Session(engine) as s, s.begin():  # an agent's answer waiting in the outbox
        conv = s.get(Conversation, before.id)
        assert conv is not None
        outbox.enqueue(s, conv, visibility="public", text="We are on it", actor="alice", now=now())
    meta.delete_comment(gone)
    _erased(engine, gone)
    (message,) = messages(engine, gone)
    assert (message.text, message.raw, message.pii) == (DELETED, {}, [])
    assert message.direction == "in" and message.created_at is not None  # the reports' row stays
    after = _conversation(engine, gone)
    assert (after.status, after.sla_due_at, TAG in after.tags) == ("resolved", None, True)
    with Session(engine) as s:
        (reply,) = s.exec(select(OutboundReply)).all()
        audits = s.exec(select(AuditEvent).where(AuditEvent.action == "message.deleted_by_customer")).all()
    assert reply.status == "failed" and "deleted" in (reply.last_error or "")
    with i18n.use_language("fr"):  # the agent reads why; a Retry would answer a message that is gone
        said = send_failure.explained(reply.last_error)
    assert "supprimé" in said and "not sent" not in said and send_failure.refused(reply.last_error), said
    assert len(audits) == 1 and audits[0].detail["clock_stopped"] is True
    assert "zebracorn" not in every_value(engine)  # nor in the webhook body that brought it


def test_the_clock_keeps_running_for_what_else_the_customer_wrote(
    receiver_url: str, engine: Engine, meta: MetaSandbox
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/fb-acme", platform="facebook")
    first = meta.add_comment(
        "Where is my parcel?", author="Paul Martin", created_at=now() - timedelta(minutes=3)
    )
    wait_processed(engine)
    meta.add_comment(
        "Order 4521", author="Paul Martin", reply_to=first, created_at=now() - timedelta(minutes=2)
    )
    wait_processed(engine, 2)
    meta.delete_comment(first)
    _erased(engine, first)
    assert messages(engine, first)[0].text == DELETED
    conv = _conversation(engine, first)
    assert conv.status == "open" and conv.sla_due_at is not None and TAG in conv.tags
    last = events(engine)[-1]  # Meta may send it twice: nothing more happens
    post(receiver_url, "fb-acme", last.body, {"X-Hub-Signature-256": sign(last.body, APP_SECRET)})
    again = lambda: [e for e in events(engine) if (e.id or 0) > (last.id or 0) and e.status == "done"]  # noqa: E731
    eventually(again, message="the repeated removal processed")
    with Session(engine) as s:
        audits = s.exec(select(AuditEvent).where(AuditEvent.action == "message.deleted_by_customer")).all()
    assert len(audits) == 1


@pytest.mark.parametrize(
    ("platform", "channel"), [("messenger", "fb-acme"), ("instagram", "ig-acme"), ("whatsapp", "wa-acme")]
)
def test_an_unsent_private_message_is_erased_and_its_clock_stops(
    receiver_url: str, engine: Engine, meta: MetaSandbox, platform: str, channel: str
) -> None:
    meta.set_webhook(
        f"{receiver_url}/webhooks/{channel}", platform={"fb-acme": "facebook"}.get(channel, platform)
    )
    gone = meta.add_message(
        "zebracorn: mon IBAN est faux", platform=platform, created_at=now() - timedelta(minutes=3)
    )
    wait_processed(engine)
    assert _conversation(engine, gone).sla_due_at is not None
    meta.delete_message(gone)  # Messenger and Instagram: the message again with is_deleted; WhatsApp: revoke
    _erased(engine, gone)
    (message,) = messages(engine, gone)
    assert (message.text, message.raw) == (DELETED, {})
    after = _conversation(engine, gone)
    assert (after.status, after.sla_due_at, TAG in after.tags) == ("resolved", None, True)
    with Session(engine) as s:  # the revoke is no customer message of its own
        assert len(s.exec(select(Message).where(Message.direction == "in")).all()) == 1
    assert "zebracorn" not in every_value(engine)
