"""Escalation alerts posted once each to a loopback webhook receiver (real HTTP, no mock of requests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.alerts import WebhookConnector
from connectors.base import AuthFailed, RateLimited, Rejected, Unavailable
from connectors.sandbox.x.server import XSandbox
from inbox.automation.tick import run_automation
from inbox.ingest.channels import Runtime
from inbox.store.engine import open_engine
from inbox.store.tables import Conversation
from inbox.store.tables.enforcement import EscalationAlert
from tests.support.enforcement import (
    MINUTE,
    PARIS_MONDAY_10,
    WebhookReceiver,
    agent_reply,
    charter,
    conversation,
    drain,
    poll,
)

ENV = "INBOX_ESCALATION_WEBHOOK_URL"
CHARTER = charter()


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        monkeypatch.setenv(ENV, receiver.url)
        yield receiver


def kinds(receiver: WebhookReceiver) -> list[str]:
    return [p["alert"]["key"] for p in receiver.delivered()]


def alerts(engine: Engine) -> list[EscalationAlert]:
    with Session(engine) as s:
        return list(s.exec(select(EscalationAlert).order_by(EscalationAlert.id)))  # type: ignore[arg-type]


def test_passing_75_percent_of_the_target_posts_exactly_one_alert_then_one_when_breached(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    tweet = sandbox.add_mention(
        "@AcmeCare <!channel> my order <https://evil.example|click>",
        author="jane",
        created_at=PARIS_MONDAY_10,
    )
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
    assert conversation(engine, tweet).sla_due_at == PARIS_MONDAY_10 + 60 * MINUTE  # business hours, open
    for minute in (10, 44):
        assert run_automation(engine, CHARTER, PARIS_MONDAY_10 + minute * MINUTE).alerts_sent == 0
    assert hook.posts == []
    at_risk = run_automation(engine, CHARTER, PARIS_MONDAY_10 + 45 * MINUTE)  # 45 of 60 minutes: 75%
    assert (at_risk.webhook, at_risk.alerts_sent) == (True, 1)
    for minute in (46, 50, 59, 60):
        assert run_automation(engine, CHARTER, PARIS_MONDAY_10 + minute * MINUTE).alerts_sent == 0
    assert kinds(hook) == ["at_risk"]
    body = hook.delivered()[0]
    assert body["alert"]["conversation_id"] == conversation(engine, tweet).id
    assert body["alert"]["elapsed_minutes"] == 45.0 and body["alert"]["target_minutes"] == 60
    assert "<!channel>" not in body["text"] and "&lt;!channel&gt;" in body["text"]
    assert "@jane" in body["text"] and hook.paths == ["/services/T000/B000/secret-token"]
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 61 * MINUTE)
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 70 * MINUTE)
    assert kinds(hook) == ["at_risk", "breached"]


def test_no_alert_once_the_conversation_is_answered(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    tweet = sandbox.add_mention("@AcmeCare where is my parcel", author="jane", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 46 * MINUTE)
    conv_id = conversation(engine, tweet).id or 0
    agent_reply(engine, conv_id, "@jane looking into it now", PARIS_MONDAY_10 + 50 * MINUTE)
    drain(engine, rt, PARIS_MONDAY_10 + 50 * MINUTE)
    for minute in (61, 120, 300):
        run_automation(engine, CHARTER, PARIS_MONDAY_10 + minute * MINUTE)
    assert kinds(hook) == ["at_risk"]


def test_a_critical_message_alerts_at_once_and_only_once(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    tweet = sandbox.add_mention("@AcmeCare fraud on my card", author="kim", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.thread_key == tweet)).one()
        conv.urgency = "critical"  # as the classifier tags it
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 2 * MINUTE)
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 3 * MINUTE)
    assert kinds(hook) == ["critical"]
    assert hook.delivered()[0]["alert"]["target_minutes"] == 15  # sla.urgency.critical


def test_a_reason_the_charter_makes_critical_alerts_like_a_critical_message(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    bumped = charter(**{"reasons.account_access.urgency": "critical"})
    tweet = sandbox.add_mention("@AcmeCare cannot log in", author="kim", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, bumped)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.thread_key == tweet)).one()
        conv.urgency, conv.reason = "normal", "account_access"  # calm words, a hacked-account reason
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 2 * MINUTE)
    assert kinds(hook) == []  # the repository's charter raises account_access to high only
    run_automation(engine, bumped, PARIS_MONDAY_10 + 2 * MINUTE)
    run_automation(engine, bumped, PARIS_MONDAY_10 + 3 * MINUTE)
    assert kinds(hook) == ["critical"]
    alert = hook.delivered()[0]["alert"]
    assert (alert["urgency"], alert["reason"], alert["target_minutes"]) == ("critical", "account_access", 15)


def test_two_listeners_racing_post_each_alert_once(
    db_url: str, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    for n in range(3):
        sandbox.add_mention(f"@AcmeCare souci {n}", author=f"user{n}", created_at=PARIS_MONDAY_10)
    one, two = open_engine(db_url), open_engine(db_url)
    try:
        poll(one, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def listener(engine: Engine) -> None:
            try:
                for minute in (46, 47, 48):
                    barrier.wait(timeout=10)
                    run_automation(engine, CHARTER, PARIS_MONDAY_10 + minute * MINUTE)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=listener, args=(e,)) for e in (one, two)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        run_automation(one, CHARTER, PARIS_MONDAY_10 + 49 * MINUTE)
        assert kinds(hook) == ["at_risk"] * 3
        assert sorted(p["alert"]["conversation_id"] for p in hook.delivered()) == [1, 2, 3]
    finally:
        one.dispose()
        two.dispose()


def test_a_failed_post_is_retried_until_delivered_but_not_after_an_answer(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    first = sandbox.add_mention("@AcmeCare one", author="ann", created_at=PARIS_MONDAY_10)
    second = sandbox.add_mention("@AcmeCare two", author="ben", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
    hook.statuses = [503, 503]
    report = run_automation(engine, CHARTER, PARIS_MONDAY_10 + 45 * MINUTE)
    assert (report.alerts_sent, report.alerts_failed) == (0, 2)
    assert {a.status for a in alerts(engine)} == {"pending"}
    soon = PARIS_MONDAY_10 + 45 * MINUTE + timedelta(seconds=20)
    agent_reply(engine, conversation(engine, second).id or 0, "@ben on it", soon)
    drain(engine, rt, soon)
    run_automation(engine, CHARTER, soon)  # the retry waits 30 s
    assert hook.delivered() == [] and len(hook.posts) == 2
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 47 * MINUTE)
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 48 * MINUTE)
    assert [p["alert"]["conversation_id"] for p in hook.delivered()] == [conversation(engine, first).id]
    by_conv = {a.conversation_id: a.status for a in alerts(engine)}
    assert by_conv == {conversation(engine, first).id: "sent", conversation(engine, second).id: "cancelled"}
    assert len(hook.posts) == 3  # two failed posts, one delivered


def test_without_a_webhook_nothing_is_recorded(
    engine: Engine, sandbox: XSandbox, rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV, raising=False)
    sandbox.add_mention("@AcmeCare hello", author="ann", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
    report = run_automation(engine, CHARTER, PARIS_MONDAY_10 + 50 * MINUTE)
    assert not report.webhook and "no webhook" in report.line() and alerts(engine) == []


@pytest.mark.parametrize(
    ("status", "error"), [(429, RateLimited), (500, Unavailable), (403, AuthFailed), (404, Rejected)]
)
def test_webhook_status_codes_become_typed_errors_without_the_secret_url(status: int, error: type) -> None:
    with WebhookReceiver(statuses=[status]) as receiver:
        hook = WebhookConnector(receiver.url)
        try:
            with pytest.raises(error) as raised:
                hook.post({"text": "test"})
        finally:
            hook.close()
    assert "secret-token" not in str(raised.value)


def test_an_unreachable_webhook_is_unavailable_and_its_url_stays_secret() -> None:
    with WebhookReceiver() as receiver:
        url = receiver.url
    hook = WebhookConnector(url, timeout=(1.0, 1.0))
    try:
        with pytest.raises(Unavailable) as raised:
            hook.post({"text": "test"})
    finally:
        hook.close()
    assert raised.value.retryable and "secret-token" not in str(raised.value)


def test_the_alert_links_to_the_conversation_when_the_app_address_is_set(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBOX_PUBLIC_URL", "https://care.acme.example/")
    tweet = sandbox.add_mention("@AcmeCare fraud on my card", author="kim", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, CHARTER)
    with Session(engine) as s, s.begin():
        conv = s.exec(select(Conversation).where(Conversation.thread_key == tweet)).one()
        conv.urgency = "critical"
        conv_id = conv.id
    run_automation(engine, CHARTER, PARIS_MONDAY_10 + 2 * MINUTE)
    [body] = hook.delivered()
    url = f"https://care.acme.example/conversation?id={conv_id}"
    assert body["alert"]["url"] == url and f"<{url}|conversation #{conv_id}>" in body["text"]


def test_sla_alerts_speak_the_team_language(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    """A French team reads its SLA alerts in French, as its spike and peak-plan alerts."""
    french = charter(**{"ui.default_language": "fr"})
    sandbox.add_mention("@AcmeCare ma commande n'arrive pas", author="jane", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, french)
    run_automation(engine, french, PARIS_MONDAY_10 + 45 * MINUTE)
    run_automation(engine, french, PARIS_MONDAY_10 + 61 * MINUTE)
    risk, late = (body["text"] for body in hook.delivered())
    assert risk.startswith(
        ":hourglass_flowing_sand: Délai menacé\u00a0: @jane sur x-acme (mention publique), "
    )
    quoted = "«\u00a0@AcmeCare ma commande n'arrive pas\u00a0»"
    assert f"Échéance 8 juin 11:00 (encore 15 min, objectif 60 min). {quoted}" in risk
    assert late.startswith(":red_circle: Délai dépassé\u00a0: @jane")
    assert "(1 min de retard, objectif 60 min)" in late
    assert [body["alert"]["kind"] for body in hook.delivered()] == [
        "at_risk",
        "breached",
    ]  # keys stay English
