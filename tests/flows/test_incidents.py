"""Incidents end to end: a burst of similar mentions on X and Mastodon (sandboxes, the real classifier),
declared, proposed, confirmed, answered once each through the outbox, joined by later messages, closed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.sandbox.mastodon.server import TOKEN, MastodonSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.access import PermissionDenied
from inbox.automation.tick import run_automation
from inbox.desk.incidents import lifecycle, lookup, members, sending, texts
from inbox.desk.incidents.figures import figures
from inbox.desk.incidents.lookup import IncidentError
from inbox.nlp.pii import PiiPatterns
from inbox.outbox import delivery as outbox
from inbox.store.tables import (
    AuditEvent,
    Contact,
    Conversation,
    Incident,
    IncidentMember,
    OutboundReply,
    User,
)
from tests.conftest import ROOT
from tests.support.enforcement import PARIS_MONDAY_10, charter
from tests.support.incidents import (
    MASTODON_ENV,
    MINUTE,
    OUTAGE,
    OUTAGE_DM,
    Networks,
    burst,
    conversation_of,
    manager,
    mastodon_runtime,
)
from tests.support.x_channel import x_runtime

START = PARIS_MONDAY_10  # the team is open: no out-of-hours reply mixes in
OUTAGE_HANDLES = {h for _, h, _, _ in OUTAGE} | {OUTAGE_DM[1]}
REPLY = {
    (
        "fr",
        "public",
    ): "Une panne touche l'internet à Lyon : nos équipes interviennent, merci de votre patience.",
    (
        "en",
        "public",
    ): "An outage is affecting internet access in Lyon: our teams are on it. Thank you for waiting.",
    ("fr", "private"): "Bonjour {customer_name}, une panne touche Lyon : nos techniciens interviennent.",
}
RESOLVED = {
    ("fr", "public"): "La panne à Lyon est réparée : redémarrez votre box si besoin.",
    ("en", "public"): "The Lyon outage is fixed: restart your box if needed.",
    ("fr", "private"): "Bonjour {customer_name}, la panne à Lyon est réparée.",
}


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


@pytest.fixture
def nets(sandbox: XSandbox, x_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Networks]:
    monkeypatch.setenv(MASTODON_ENV, TOKEN)
    with MastodonSandbox("AcmeCare") as mastodon:
        yield Networks(sandbox, mastodon, x_runtime(sandbox), mastodon_runtime(mastodon))


@pytest.fixture
def maya(engine: Engine) -> User:
    return manager(engine)


def _declared(engine: Engine, nets: Networks, classifier: Any, maya: User, confirm: bool = True) -> int:
    """The burst polled, the incident declared and (``confirm``) every proposed conversation added."""
    burst(nets, START)
    nets.poll(engine, START + 10 * MINUTE, classifier)
    with Session(engine) as s, s.begin():
        incident = lifecycle.declare(
            s,
            maya,
            title="Panne box internet Lyon",
            description="Plus d'internet ni de connexion sur les box à Lyon",
            since=START - 5 * MINUTE,
            now=START + 10 * MINUTE,
        )
        proposed = [c for c in members.candidates(s, incident) if c.matches(incident.threshold)]
        if confirm:
            members.add(s, incident, [c.conversation_id for c in proposed], maya, START + 10 * MINUTE)
        return incident.id or 0


@pytest.fixture
def answering(engine: Engine, nets: Networks, classifier: Any, maya: User) -> int:
    """The incident declared on the burst, its reply approved in every language and visibility."""
    incident_id = _declared(engine, nets, classifier, maya)
    _approve(engine, incident_id, texts.REPLY, REPLY, maya)
    return incident_id


def _approve(
    engine: Engine, incident_id: int, purpose: str, chosen: dict[tuple[str, str], str], who: User
) -> None:
    with Session(engine) as s, s.begin():
        assert texts.approve(s, incident_id, purpose, chosen, who, START + 12 * MINUTE) == {}


def _member_handles(engine: Engine, incident_id: int) -> set[str]:
    with Session(engine) as s:
        rows = s.exec(
            select(Contact.handle)
            .join(Conversation, col(Conversation.contact_id) == col(Contact.id))
            .join(IncidentMember, col(IncidentMember.conversation_id) == col(Conversation.id))
            .where(IncidentMember.incident_id == incident_id)
        )
        return {h for h in rows if h}


def _member_ids(engine: Engine, incident_id: int) -> set[int]:
    with Session(engine) as s:
        stmt = select(IncidentMember.conversation_id).where(IncidentMember.incident_id == incident_id)
        return set(s.exec(stmt))


def test_the_burst_on_two_networks_is_proposed_without_the_unrelated_messages(
    engine: Engine, nets: Networks, classifier: Any, maya: User
) -> None:
    incident_id = _declared(engine, nets, classifier, maya)
    assert _member_handles(engine, incident_id) == OUTAGE_HANDLES
    with Session(engine) as s:
        langs = texts.needed(s, incident_id, texts.REPLY)
    assert langs == {("fr", "public"): 4, ("en", "public"): 1, ("fr", "private"): 1}


def test_each_customer_gets_exactly_one_reply_however_often_the_send_runs(
    engine: Engine, nets: Networks, classifier: Any, maya: User, answering: int
) -> None:
    incident_id = answering
    at = START + 13 * MINUTE
    assert sending.queue_all(engine, texts.REPLY, at, incident_id=incident_id) == {"queued": 6}
    assert sending.queue_all(engine, texts.REPLY, at, incident_id=incident_id) == {}  # run twice
    assert nets.drain(engine, at) == 6
    run_automation(engine, charter(), at)  # the tick completes nothing more: every member is done
    nets.drain(engine, at + MINUTE)
    sent = nets.replies_to()
    assert {h: len(t) for h, t in sent.items()} == dict.fromkeys(OUTAGE_HANDLES, 1)
    assert sent["emma"][0].startswith("@emma An outage")
    assert sent["ines"][0].startswith("Bonjour ines, une panne") and "{customer_name}" not in sent["ines"][0]
    for handle in OUTAGE_HANDLES:  # a person's reply: first response recorded, the clock stopped
        conv = conversation_of(engine, handle)
        assert conv.first_response_at is not None and conv.sla_due_at is None
    with Session(engine) as s:  # the manager who approved it answered
        assert {r.created_by for r in s.exec(select(OutboundReply))} == {"maya"}


def test_a_send_killed_half_way_then_a_killed_sender_still_posts_each_reply_once(
    engine: Engine, nets: Networks, classifier: Any, maya: User, answering: int
) -> None:
    incident_id = answering
    at = START + 13 * MINUTE
    with Session(engine) as s:
        waiting = sending.waiting(s, texts.REPLY, incident_id)
    for member_id in waiting[:2]:  # the request that queued these died before the others
        assert sending.queue_member(engine, member_id, texts.REPLY, at) == sending.QUEUED
    claimed = datetime.now(UTC)
    with Session(engine) as s, s.begin():  # a sender claimed each, the platform accepted it, the sender died
        for row in s.exec(select(OutboundReply)):
            x = row.channel_id == conversation_of(engine, "camille").channel_id
            connector = (nets.x_rt if x else nets.mastodon_rt).connector
            if row.visibility == "public":
                connector.reply_public(row.in_reply_to or "", row.text, idempotency_key=row.idempotency_key)
            else:
                connector.send_private(row.recipient_id or "", row.text, idempotency_key=row.idempotency_key)
            row.status, row.attempts, row.next_attempt_at = "sending", 1, claimed + outbox.SEND_LEASE
    run_automation(engine, charter(), at)  # the next tick queues the members left
    nets.drain(engine, claimed + 30 * MINUTE)  # the platforms' clocks: the look searches around the claim
    nets.drain(engine, claimed + 60 * MINUTE)
    assert {h: len(t) for h, t in nets.replies_to().items()} == dict.fromkeys(OUTAGE_HANDLES, 1)


def test_the_tick_joins_only_what_is_stored_after_the_declaration(
    engine: Engine, nets: Networks, classifier: Any, maya: User
) -> None:
    incident_id = _declared(engine, nets, classifier, maya, confirm=False)
    assert run_automation(engine, charter(), START + 11 * MINUTE).incident_joins == 0  # proposed, not joined
    assert _member_handles(engine, incident_id) == set()
    late = "Depuis ce matin plus de connexion internet à Lyon, la box clignote"
    nets.write("x", "yann", "fr", f"@AcmeCare {late}", START + 5 * MINUTE)  # written before, read after
    nets.poll(engine, START + 15 * MINUTE, classifier)
    assert run_automation(engine, charter(), START + 16 * MINUTE).incident_joins == 1
    assert _member_handles(engine, incident_id) == {"yann"}
    with Session(engine) as s:
        fitting = [c for c in members.candidates(s, lookup.get(s, incident_id)) if c.matches(0.2)]
    assert {conversation_of(engine, h).id for h in OUTAGE_HANDLES} == {c.conversation_id for c in fitting}


def test_a_later_matching_message_joins_and_gets_the_reply_until_the_incident_closes(
    engine: Engine, nets: Networks, classifier: Any, maya: User, answering: int
) -> None:
    incident_id = answering
    nets.write(
        "mastodon", "nina", "fr", "Toujours pas d'internet à Lyon, la box est en panne", START + 20 * MINUTE
    )
    nets.write("x", "max", "en", "@AcmeCare can you check my invoice please", START + 20 * MINUTE)
    nets.poll(engine, START + 21 * MINUTE, classifier)
    report = run_automation(engine, charter(), START + 22 * MINUTE)
    assert report.incident_joins == 1
    assert "nina" in _member_handles(engine, incident_id) and "max" not in _member_handles(
        engine, incident_id
    )
    nets.drain(engine, START + 22 * MINUTE)
    assert len(nets.replies_to()["nina"]) == 1
    _approve(engine, incident_id, texts.RESOLUTION, RESOLVED, maya)
    with Session(engine) as s, s.begin():
        lifecycle.close(s, incident_id, maya, START + 30 * MINUTE)
    nets.write("x", "rose", "fr", "@AcmeCare panne internet à Lyon encore ?", START + 31 * MINUTE)
    nets.poll(engine, START + 32 * MINUTE, classifier)
    assert run_automation(engine, charter(), START + 32 * MINUTE).incident_joins == 0
    assert "rose" not in _member_handles(engine, incident_id)


def test_closing_sends_the_resolution_to_everyone_and_the_figures_follow(
    engine: Engine, nets: Networks, classifier: Any, maya: User, answering: int
) -> None:
    incident_id = answering
    at = START + 13 * MINUTE
    sending.queue_all(engine, texts.REPLY, at, incident_id=incident_id)
    nets.drain(engine, at)
    with Session(engine) as s, s.begin():
        with pytest.raises(IncidentError, match="resolution message"):
            lifecycle.close(s, incident_id, maya, START + 50 * MINUTE)
    _approve(engine, incident_id, texts.RESOLUTION, RESOLVED, maya)
    with Session(engine) as s, s.begin():
        lifecycle.close(s, incident_id, maya, START + 50 * MINUTE)
    assert sending.queue_all(engine, texts.RESOLUTION, START + 50 * MINUTE) == {"queued": 6}
    nets.drain(engine, START + 50 * MINUTE)
    sent = nets.replies_to()
    assert {h: len(t) for h, t in sent.items()} == dict.fromkeys(OUTAGE_HANDLES, 2)
    assert "est réparée" in sent["lea"][1] and "is fixed" in sent["emma"][1]
    for handle in OUTAGE_HANDLES:
        assert conversation_of(engine, handle).status == "resolved"
    with Session(engine) as s:
        f = figures(s, incident_id)
        incident = s.get(Incident, incident_id)
    assert incident is not None and incident.status == "closed"
    assert (f.size, f.customers, f.by_channel) == (6, 6, {"x-acme": 4, "mastodon-acme": 2})
    assert f.started == START  # the first member's message
    assert f.first_reply == 13 * MINUTE and f.resolution == 50 * MINUTE
    assert f.median_first_response is not None and f.deliveries == {"sent": 12}


def test_an_agent_answered_customer_is_skipped_and_agents_may_not_declare(
    engine: Engine, nets: Networks, classifier: Any, maya: User
) -> None:
    incident_id = _declared(engine, nets, classifier, maya)
    hugo = conversation_of(engine, "hugo")
    with Session(engine) as s, s.begin():  # an agent already answered Hugo
        conv = s.get(Conversation, hugo.id)
        assert conv is not None
        conv.last_outbound_at = conv.first_response_at = START + 11 * MINUTE
        conv.sla_due_at = None
    _approve(engine, incident_id, texts.REPLY, REPLY, maya)
    assert sending.queue_all(engine, texts.REPLY, START + 13 * MINUTE) == {"queued": 5, "skipped": 1}
    nets.drain(engine, START + 13 * MINUTE)
    assert "hugo" not in nets.replies_to()
    agent = manager(engine, "alice", "agent")
    with Session(engine) as s, s.begin():
        with pytest.raises(PermissionDenied):
            lifecycle.declare(s, agent, title="x", since=START, now=START + MINUTE)
        with pytest.raises(PermissionDenied):
            texts.approve(s, incident_id, texts.REPLY, REPLY, agent, START + MINUTE)
    with Session(engine) as s:
        joined = s.exec(select(AuditEvent).where(AuditEvent.action == "incident.joined")).all()
    assert {e.target_id for e in joined} == {str(i) for i in _member_ids(engine, incident_id)}


def test_the_brands_own_contact_details_pass_as_approved_and_a_customers_data_never_does(
    engine: Engine, nets: Networks, classifier: Any, maya: User
) -> None:
    incident_id = _declared(engine, nets, classifier, maya)
    allowed = PiiPatterns.build(("FR",), {}, allowed=["aide@acme.example"])
    chosen = {pair: f"{text} Écrivez-nous : aide@acme.example" for pair, text in REPLY.items()}
    with Session(engine) as s, s.begin():
        refused = texts.approve(
            s, incident_id, texts.REPLY, {("fr", "public"): "Écrivez à jean@gmail.com"}, maya, START, allowed
        )
        assert list(refused) == [("fr", "public")] and "Personal data" in refused[("fr", "public")][0]
        assert texts.approve(s, incident_id, texts.REPLY, chosen, maya, START + 12 * MINUTE, allowed) == {}
    assert sending.queue_all(engine, texts.REPLY, START + 13 * MINUTE) == {"queued": 6}
