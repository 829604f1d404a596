"""The copy of a customer's data lists the webhook bodies held on them: Meta's webhook body, kept as
received until ``webhook_events_days``, is data held on them that the erasure deletes, so the export shows
it (``named_elsewhere.webhook_events``) (real receiver, Meta signature, SQLite)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from inbox.privacy.record import person_record
from inbox.privacy.subject import find_subject
from inbox.store.tables import WebhookEvent
from tests.flows.test_privacy_erase_redelivery import PSID, _signed, messenger_body
from tests.support.webhooks import now, wait_processed


def test_the_export_holds_the_webhook_bodies_that_name_them(receiver_url: str, engine: Engine) -> None:
    _signed(receiver_url, messenger_body("m_export", "zebracorn: mon colis"))
    wait_processed(engine, 1)
    with Session(engine) as session:
        record = person_record(session, find_subject(session, f"fb-acme:{PSID}"), now())
    [event] = record["named_elsewhere"]["webhook_events"]
    assert event["channel"] == "fb-acme" and event["status"] == "done"
    assert "zebracorn: mon colis" in str(event["body"])  # the body as received, readable


def test_a_webhook_event_whose_error_alone_names_them_is_theirs(receiver_url: str, engine: Engine) -> None:
    """An event that failed keeps its error (replayed later); one quoting the person's id is held on them."""
    _signed(receiver_url, messenger_body("m_failed", "zebracorn: mon colis"))
    wait_processed(engine, 1)
    with Session(engine) as session, session.begin():
        event = session.exec(select(WebhookEvent)).one()
        event.body = b'{"object": "page", "entry": []}'  # the body names nobody
        event.status, event.error = "failed", f"sender {PSID} could not be read"
    with Session(engine) as session:
        record = person_record(session, find_subject(session, f"fb-acme:{PSID}"), now())
    [held] = record["named_elsewhere"]["webhook_events"]
    assert held["status"] == "failed" and PSID in str(held["error"])
