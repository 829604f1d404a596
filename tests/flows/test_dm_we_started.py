"""A private conversation we started (the automatic move of a billing mention to private messages, or a DM
the brand wrote from the platform's own app) has nothing for an agent to answer: it is created pending, out of
the queue's open list, and the customer's first message there opens it with a clock (X sandbox, real poll,
automation and outbox)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.automation.tick import run_automation
from inbox.charter.deadlines import CharterDue
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Conversation
from tests.conftest import ROOT
from tests.support.clock import Clock
from tests.support.enforcement import MINUTE, PARIS_MONDAY_10, charter, drain, templates
from tests.support.x_channel import x_runtime


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def _private(engine: Engine) -> list[Conversation]:
    with Session(engine) as s:
        return list(s.exec(select(Conversation).where(Conversation.visibility == "private")))


def test_the_dm_thread_of_a_move_to_private_waits_for_the_customer(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    at, c = PARIS_MONDAY_10, charter()  # the repository's charter: topics name billing_payment
    sandbox.add_user("ann", name="Ann")
    sandbox.add_mention(
        "@AcmeCare you charged me twice this month, I want a refund", author="ann", created_at=at
    )
    rt, due = x_runtime(sandbox), CharterDue(c)
    now = at + 2 * MINUTE
    poll_channel(engine, rt, clock=Clock(now), due=due, classifier=classifier)
    assert run_automation(engine, c, now, templates=templates()).moved_private == 1
    drain(engine, rt, now + MINUTE)
    poll_channel(engine, rt, clock=Clock(now + 2 * MINUTE), due=due, classifier=classifier)  # our DM's echo
    (dm,) = _private(engine)
    assert (dm.status, dm.first_inbound_at, dm.sla_due_at) == ("pending", None, None)  # it was "open"

    sandbox.add_dm("Here is my order number: 5521", sender="ann", created_at=now + 5 * MINUTE)
    poll_channel(engine, rt, clock=Clock(now + 6 * MINUTE), due=due, classifier=classifier)
    (dm,) = _private(engine)
    assert dm.status == "open" and dm.sla_due_at is not None  # the customer wrote: a clock runs


def test_a_dm_the_brand_wrote_from_the_platforms_app_waits_for_the_customer(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    at = PARIS_MONDAY_10
    sandbox.add_user("bob", name="Bob")
    sandbox.add_dm(
        "Hi Bob, Acme here: your new card is on its way.", sender="AcmeCare", recipient="bob", created_at=at
    )
    rt, due = x_runtime(sandbox), CharterDue(charter())
    poll_channel(engine, rt, clock=Clock(at + MINUTE), due=due, classifier=classifier)
    (dm,) = _private(engine)
    assert (dm.status, dm.sla_due_at) == ("pending", None)
