"""The copy of a customer's data lists the webhook bodies held on them: Meta's webhook body, kept as
received until ``webhook_events_days``, is data held on them that the erasure deletes, so the export shows
it (``named_elsewhere.webhook_events``) (real receiver, Meta signature, SQLite)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from inbox.privacy.record import person_record
from inbox.privacy.subject import find_subject
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
