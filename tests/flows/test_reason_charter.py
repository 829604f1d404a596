"""The charter acts on contact reasons (issue #18.4): a response target and an urgency bump per reason (the
due time follows, also after an agent's correction), `privacy.topics` moving a billing conversation to
private messages without anyone tagging it (real classifier, automation tick, outbox, X sandbox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.automation.private_move import candidates
from inbox.automation.private_rule import moving_to_private
from inbox.automation.tick import run_automation
from inbox.charter.deadlines import CharterDue
from inbox.desk import corrections
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Conversation, Message, OutboundReply, User
from tests.conftest import ROOT
from tests.support.charter import make_charter
from tests.support.clock import Clock
from tests.support.enforcement import MINUTE, PARIS_MONDAY_10, PARIS_SUNDAY_10, charter, drain, templates
from tests.support.seed_desk import Seeded, seed
from tests.support.x_channel import x_runtime

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def _set_reason(engine: Engine, seeded: Seeded, conv: str, reason: str) -> None:
    """An agent (alice) sets the reason of the conversation's message, with the due policy given."""
    with Session(engine) as s, s.begin():
        alice = s.get(User, seeded.users["alice"])
        message = s.exec(select(Message).where(Message.conversation_id == seeded.conversations[conv])).one()
        assert alice is not None and message.id is not None
        corrections.correct(s, message.id, "reason", reason, alice, NOW, DUE)


DUE = CharterDue(  # private: 60 min 24/7; critical 15; billing 20; account access as urgent as critical
    make_charter(
        **{"sla.reasons": {"billing_payment": 20}, "reasons": {"account_access": {"urgency": "critical"}}}
    )
)


def test_a_reason_target_and_a_reason_urgency_choose_the_due_time(engine: Engine) -> None:
    seeded = seed(engine, NOW)
    received = NOW - timedelta(minutes=20)  # the seed's DM
    due = {}
    for reason in ("billing_payment", "account_access", "delivery_order"):
        _set_reason(engine, seeded, "dm", reason)
        with Session(engine) as s:
            conv = s.get(Conversation, seeded.conversations["dm"])
            assert conv is not None and conv.reason == reason
            due[reason] = conv.sla_due_at
    assert due == {
        "billing_payment": received + timedelta(minutes=20),  # [sla.reasons] billing_payment = 20
        "account_access": received + timedelta(minutes=15),  # bumped to critical: [sla.urgency] critical = 15
        "delivery_order": received + timedelta(minutes=60),  # no rule: the private default
    }


def test_a_billing_conversation_moves_to_private_messages_without_a_tag(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    at, c = PARIS_MONDAY_10, charter()  # the repository's charter: topics name billing_payment
    sandbox.add_user("ann", name="Ann")
    sandbox.add_mention(
        "@AcmeCare you charged me twice this month, I want a refund", author="ann", created_at=at
    )
    sandbox.add_mention(
        "@AcmeCare j'ai été prélevé deux fois ce mois-ci, je veux être remboursé",
        author="carl",
        created_at=at,
    )
    sandbox.add_mention("@AcmeCare my package never arrived", author="bob", created_at=at)
    rt = x_runtime(sandbox)
    now = at + 2 * MINUTE
    poll_channel(engine, rt, clock=Clock(now), due=CharterDue(c), classifier=classifier)
    first = run_automation(engine, c, now, templates=templates())
    again = run_automation(engine, c, now + MINUTE, templates=templates())
    drain(engine, rt, now + MINUTE)
    assert (first.moved_private, again.moved_private) == (2, 0)
    public = {t["text"].split()[0].lstrip("@").lower(): t["text"] for t in sandbox.sent_tweets}
    assert set(public) == {"ann", "carl"}  # bob's parcel is no billing matter: he stays in public
    assert "We've just sent you a DM" in public["ann"] and "^Acme" in public["ann"]
    assert "Nous vous avons écrit en message privé" in public["carl"]
    dms = sandbox.sent_dms
    assert len(dms) == 2
    with Session(engine) as s:
        convs = s.exec(select(Conversation).where(Conversation.reason == "billing_payment")).all()
        keys = sorted(r.idempotency_key for r in s.exec(select(OutboundReply)).all())
    assert len(convs) == 2 and all(
        conv.sla_due_at is not None for conv in convs
    )  # still an agent's to answer
    assert keys == sorted(f"auto-private{p}:{conv.id}" for conv in convs for p in ("", "-dm"))


def test_out_of_hours_a_moving_conversation_is_told_the_hours_in_private_and_answered_once_in_public(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    """On a Sunday the demo sent a billing customer two public replies in the same second ("our team is
    away" and "we've sent you a DM") and a DM. The hours now go in the DM the conversation moves to."""
    at, c = PARIS_SUNDAY_10, charter()
    sandbox.add_user("ann", name="Ann")
    sandbox.add_mention(
        "@AcmeCare you charged me twice this month, I want a refund", author="ann", created_at=at
    )
    sandbox.add_mention("@AcmeCare my package never arrived", author="bob", created_at=at)
    rt = x_runtime(sandbox)
    now = at + 2 * MINUTE
    poll_channel(engine, rt, clock=Clock(now), due=CharterDue(c), classifier=classifier)
    with Session(engine) as s:  # the rule for one conversation is the query's
        moving = {conv.id for conv in s.exec(select(Conversation)).all() if moving_to_private(c, conv)}
        assert moving == set(candidates(s, c)) and len(moving) == 1
    report = run_automation(engine, c, now, templates=templates())
    drain(engine, rt, now + MINUTE)
    assert (report.out_of_hours, report.moved_private) == (2, 1)
    public = [t["text"] for t in sandbox.sent_tweets]
    [ann] = [t for t in public if t.startswith("@ann")]
    [bob] = [t for t in public if t.startswith("@bob")]
    assert "We've just sent you a DM" in ann  # ann's one public reply: the move
    assert "away" in bob or "absente" in bob  # bob stays in public: his hours in public
    dms = [d["text"] for d in sandbox.sent_dms]
    assert len(dms) == 2 and any("away" in d or "absente" in d for d in dms)
    with Session(engine) as s:
        rows = s.exec(select(OutboundReply, Conversation).join(Conversation)).all()
        sent = {
            (conv.reason == "billing_payment", r.idempotency_key.split(":")[0], r.visibility)
            for r, conv in rows
        }
    assert sent == {
        (True, "auto-ooh", "private"),  # ann: the hours in the DM…
        (True, "auto-private", "public"),  # …one public reply…
        (True, "auto-private-dm", "private"),  # …and the move's DM
        (False, "auto-ooh", "public"),  # bob: the hours where he wrote
    }


def test_a_customer_writing_again_gets_the_automatic_dm_once_a_day(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    """Three public billing posts from Ann: three public replies, one direct message a day."""
    at, c = PARIS_MONDAY_10, charter()
    sandbox.add_user("ann", name="Ann")
    rt = x_runtime(sandbox)
    texts = [
        "@AcmeCare you charged me twice this month, I want a refund",
        "@AcmeCare still charged twice, where is my refund?",
        "@AcmeCare the double charge is still on my bank statement, refund me please",
    ]
    for post, when in zip(texts, (at, at + 60 * MINUTE, at + 25 * 60 * MINUTE), strict=True):
        sandbox.add_mention(post, author="ann", created_at=when)
        now = when + 2 * MINUTE
        poll_channel(engine, rt, clock=Clock(now), due=CharterDue(c), classifier=classifier)
        run_automation(engine, c, now, templates=templates())
        drain(engine, rt, now + MINUTE)
    first, second, third = (t["text"] for t in sandbox.sent_tweets)  # each post answered where it was written
    assert second.startswith(first) and second.endswith(")")  # X refuses a text it already has: referenced
    assert third != second and third.startswith(first)
    assert len(sandbox.sent_dms) == 2  # the first day's DM, then the next day's
    with Session(engine) as s:
        keys = [r.idempotency_key for r in s.exec(select(OutboundReply)).all()]
    assert sum(k.startswith("auto-private-dm:") for k in keys) == 2


def test_a_brand_unsure_of_the_language_moves_to_private_in_each_language_it_serves(
    engine: Engine, sandbox: XSandbox, classifier: Any, x_env: dict[str, str]
) -> None:
    """With ``unsure_language = "all"``, a billing conversation whose customer's words say nothing of their
    language gets the move-to-private reply in French then English, and the direct message in both."""
    at = PARIS_MONDAY_10
    both = charter(**{"brands.acme.unsure_language": "all"})
    sandbox.add_user("zoe", name="Zoé")
    sandbox.add_mention("@AcmeCare 💳💳 ?!", author="zoe", created_at=at, lang="und")
    rt = x_runtime(sandbox)
    now = at + 2 * MINUTE
    poll_channel(engine, rt, clock=Clock(now), due=CharterDue(both), classifier=classifier)
    with Session(engine) as s, s.begin():
        agent = User(name="alice", password_hash="-", role="agent")
        s.add(agent)
        s.flush()
        message = s.exec(select(Message).where(Message.direction == "in")).one()
        assert message.id is not None
        corrections.correct(s, message.id, "reason", "billing_payment", agent, now, CharterDue(both))
    assert run_automation(engine, both, now, templates=templates()).moved_private == 1
    drain(engine, rt, now)
    (public,) = [t["text"] for t in sandbox.sent_tweets]
    assert public.index("Nous vous avons écrit en message privé") < public.index("We've just sent you a DM")
    (dm,) = sandbox.sent_dms
    assert "\n\n" in dm["text"], dm
