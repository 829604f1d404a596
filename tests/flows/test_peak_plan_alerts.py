"""The peak plan's start and end, each alerted once to a loopback webhook by the automation tick."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, col

from connectors.sandbox.x.server import XSandbox
from inbox.automation.tick import run_automation
from inbox.ingest.channels import Runtime
from inbox.store.tables import Conversation
from tests.support.enforcement import MINUTE, PARIS_MONDAY_10, WebhookReceiver, charter, poll

QUIET = {
    "escalation.alert_on_at_risk": False,
    "escalation.alert_on_breach": False,
    "escalation.alert_on_critical": False,
    "peak.backlog_at_least": 3,
}


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        monkeypatch.setenv("INBOX_ESCALATION_WEBHOOK_URL", receiver.url)
        yield receiver


def kinds(hook: WebhookReceiver) -> list[Any]:
    return [(p["spike"]["kind"], p["spike"]["backlog"]) for p in hook.delivered()]


def test_the_peak_plan_start_and_end_are_alerted_once_each(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    plan = charter(**QUIET)
    for n in range(3):
        sandbox.add_mention(f"@AcmeCare hello {n}", author=f"c{n}", created_at=PARIS_MONDAY_10 + n * MINUTE)
    poll(engine, rt, PARIS_MONDAY_10 + 5 * MINUTE, plan)
    for minute in (5, 6, 7):
        run_automation(engine, plan, PARIS_MONDAY_10 + minute * MINUTE)
    assert kinds(hook) == [("peak.started", 3)]
    assert "Peak plan on: 3 conversations waiting" in hook.delivered()[0]["text"]
    with Session(engine) as s, s.begin():
        s.execute(update(Conversation).where(col(Conversation.id).is_not(None)).values(status="resolved"))
    for minute in (20, 21):
        run_automation(engine, plan, PARIS_MONDAY_10 + minute * MINUTE)
    assert kinds(hook) == [("peak.started", 3), ("peak.ended", 0)]
    assert "Peak plan off after 15 min" in hook.delivered()[1]["text"]


def test_no_peak_alert_when_the_charter_says_so(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    plan = charter(**QUIET, **{"spikes.alert_peak_plan": False})
    for n in range(3):
        sandbox.add_mention(f"@AcmeCare hello {n}", author=f"c{n}", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, plan)
    assert run_automation(engine, plan, PARIS_MONDAY_10 + 2 * MINUTE).peak_active
    assert hook.posts == []


def test_alerts_speak_the_team_language(
    engine: Engine, sandbox: XSandbox, rt: Runtime, hook: WebhookReceiver
) -> None:
    plan = charter(**QUIET, **{"ui.default_language": "fr"})
    for n in range(3):
        sandbox.add_mention(f"@AcmeCare bonjour {n}", author=f"c{n}", created_at=PARIS_MONDAY_10)
    poll(engine, rt, PARIS_MONDAY_10 + MINUTE, plan)
    run_automation(engine, plan, PARIS_MONDAY_10 + 2 * MINUTE)
    assert hook.delivered()[0]["text"].startswith(
        ":rotating_light: Plan de pic activé\u00a0: 3 conversations en attente"
    )
