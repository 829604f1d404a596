"""The audit trail of an edited or cancelled waiting reply keeps its words (old and new): they go with the
reply's own words, at the customer's erasure ("[erased]") and at the retention purge ("[expired]"), rather
than outliving them in the audit log until audit_days. Real X sandbox and sender, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from connectors.sandbox.x.server import XSandbox
from inbox import bank_data
from inbox.charter.policies import Retention
from inbox.desk.accounts import Operator
from inbox.ingest.channels import Runtime
from inbox.outbox import delivery as outbox
from inbox.privacy.erase import erase
from inbox.privacy.retention import purge
from inbox.replies import queued
from inbox.store.tables import AuditEvent, Conversation
from tests.support.privacy_flows import every_value
from tests.support.x_channel import poll

SAM = Operator("sam", "agent")
FIRST, SECOND = "@jane Your order 4411 leaves today", "@jane Order 4411 left: tracking 88123"


def _edited_and_cancelled(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    sandbox.add_mention("@AcmeCare my order 4411 is late", author="jane")
    poll(engine, rt)
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply_id = outbox.enqueue(s, conv, visibility="public", text=FIRST, actor="sam", now=now).id or 0
        assert queued.edit(s, reply_id, SAM, SECOND, now, seen_text=FIRST).reply is not None
        queued.cancel(s, reply_id, SAM, now)


def _audited_words(engine: Engine) -> list[str]:
    with Session(engine) as s:
        events = s.exec(
            select(AuditEvent).where(col(AuditEvent.action).in_(("reply.edited", "reply.cancelled")))
        ).all()
    assert len(events) == 2
    return sorted(str(e.detail.get(k)) for e in events for k in ("old", "new", "text") if k in e.detail)


def test_the_customers_erasure_takes_the_audited_words_of_a_changed_reply(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    _edited_and_cancelled(engine, sandbox, rt)
    assert _audited_words(engine) == sorted([FIRST, SECOND, SECOND])  # the check can fail
    erase(engine, "x-acme:jane", actor="dpo", reason="DSAR 18", now=datetime.now(UTC))
    assert _audited_words(engine) == ["[erased]"] * 3


def test_the_retention_purge_takes_them_with_the_replys_words(
    engine: Engine, sandbox: XSandbox, rt: Runtime
) -> None:
    _edited_and_cancelled(engine, sandbox, rt)
    old = datetime.now(UTC) - timedelta(days=3)
    with Session(engine) as s, s.begin():
        s.execute(update(Conversation).values(status="resolved", last_message_at=old))
    purge(engine, Retention(messages_days=1, audit_days=400), datetime.now(UTC), actor="cron")
    assert _audited_words(engine) == ["[expired]"] * 3


def test_bank_data_in_a_changed_reply_is_kept_masked(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    """A private reply quoting an IBAN, edited to quote a card, then cancelled: it will never be sent, so
    neither the reply nor the audit log keeps them in clear (a delivered one is masked as it is recorded)."""
    iban, card = "FR76 3000 6000 0112 3456 7890 189", "4111 1111 1111 1111"
    sandbox.add_dm("where is my refund?", sender="jane")
    poll(engine, rt)
    now = datetime.now(UTC)
    first, second = f"Refund sent to {iban}", f"Refund sent to your card {card}"
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation)).one()
        reply_id = outbox.enqueue(s, conv, visibility="private", text=first, actor="sam", now=now).id or 0
        assert queued.edit(s, reply_id, SAM, second, now, seen_text=first).reply is not None
        queued.cancel(s, reply_id, SAM, now)
    stored = every_value(engine)
    assert (
        iban not in stored and "3456 7890" not in stored and card not in stored and "1111 1111" not in stored
    )
    assert bank_data.mask_text(first) in stored and bank_data.mask_text(second) in stored  # masked in place
