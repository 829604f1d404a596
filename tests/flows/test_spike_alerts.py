"""Spike alerts through the automation tick to a loopback webhook: messages read from the X sandbox by the
real listener, a burst alerts exactly once (until it ends), a normal day at its usual level never, listening
queries are watched on their own, and two listeners ticking at once post one alert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.alerts.server import DEMO_PATH, AlertsSandbox
from connectors.sandbox.x.server import XSandbox
from inbox.automation.tick import run_automation
from inbox.privacy.erase import erase
from inbox.store.tables import TrafficSpike
from tests.support.clock import Clock
from tests.support.concurrency import at_once
from tests.support.enforcement import WebhookReceiver, charter
from tests.support.x_channel import poll, x_runtime

ENV = "INBOX_ESCALATION_WEBHOOK_URL"
QUIET = {  # only the spike alerts reach the webhook in these tests
    "escalation.alert_on_at_risk": False,
    "escalation.alert_on_breach": False,
    "escalation.alert_on_critical": False,
    "spikes.alert_peak_plan": False,
    "peak.enabled": False,
}
CHARTER = charter(**QUIET)
NOW = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(
    minutes=1
)  # the X search reads recent posts
HOUR = NOW.replace(minute=0)
SEC, MINUTE = timedelta(seconds=1), timedelta(minutes=1)
PER_HOUR = 40  # history: 40 mentions in this hour of the week, each of the last 4 weeks (10 per 15 minutes)


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        monkeypatch.setenv(ENV, receiver.url)
        yield receiver


def spikes(hook: WebhookReceiver) -> list[dict[str, Any]]:
    return [p["spike"] for p in hook.delivered()]


def history(sandbox: XSandbox) -> None:
    for week in range(1, 5):
        start = HOUR - timedelta(weeks=week)
        for n in range(PER_HOUR):
            sandbox.add_mention(
                f"@AcmeCare question {week}-{n}", author=f"h{n}", created_at=start + (30 + n * 89) * SEC
            )


def mentions(sandbox: XSandbox, count: int, end: datetime, text: str = "@AcmeCare my box is down") -> None:
    for n in range(count):
        sandbox.add_mention(f"{text} #{n}", author=f"c{n}", created_at=end - (n + 1) * 10 * SEC)


def test_a_burst_alerts_exactly_once_until_it_ends(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    rt = x_runtime(sandbox)
    history(sandbox)
    mentions(
        sandbox, 12, NOW - 5 * MINUTE, "@AcmeCare when does the shop open"
    )  # a normal quarter hour: usually 10
    mentions(sandbox, 33, NOW, "@AcmeCare URGENT no internet since this morning")  # 45 in all: a burst
    poll(engine, rt)
    assert run_automation(engine, CHARTER, NOW).spike_alerts == 1
    for minute in (1, 2, 5):
        assert run_automation(engine, CHARTER, NOW + minute * timedelta(minutes=1)).spike_alerts == 0
    [alert] = spikes(hook)
    assert (alert["scope"], alert["count"], alert["usual"], alert["level"]) == (
        "channel:x-acme",
        45,
        10.0,
        30,
    )
    assert alert["history_weeks"] == 4 and len(alert["messages"]) == 5
    text = hook.delivered()[0]["text"]
    assert "Spike on x-acme: 45 messages in the last 15 min" in text and "URGENT no internet" in text
    run_automation(engine, CHARTER, NOW + timedelta(minutes=30))  # the window is quiet again: the spike ends
    with Session(engine) as s:
        [row] = s.exec(select(TrafficSpike)).all()
        assert (
            row.closed_at == NOW + timedelta(minutes=30)
            and row.open_key is None
            and row.alert_status == "sent"
        )
        assert "text" not in row.payload and "messages" not in row.payload["spike"]  # figures only, once over
        assert row.payload["spike"]["count"] == 45
    later = NOW + timedelta(minutes=45)
    mentions(sandbox, 40, later, "@AcmeCare still down")
    poll(engine, rt, Clock(later))  # read 45 minutes on (a message is never dated after it is read)
    assert run_automation(engine, CHARTER, later).spike_alerts == 1  # a new spike, after the first ended
    assert [a["count"] for a in spikes(hook)] == [45, 40]


def test_a_normal_day_at_its_usual_level_never_alerts(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    rt = x_runtime(sandbox)
    history(sandbox)
    for quarter in range(4):  # the whole hour at the usual rate, ticked every 5 minutes
        mentions(sandbox, 10, HOUR + (quarter + 1) * timedelta(minutes=15), f"@AcmeCare question q{quarter}")
    poll(engine, rt, Clock(HOUR + timedelta(hours=1)))  # read at the hour's end
    for minute in range(0, 60, 5):
        run_automation(engine, CHARTER, HOUR + minute * timedelta(minutes=1))
    assert hook.posts == []


def test_without_history_the_minimum_count_decides(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    rt = x_runtime(sandbox)
    mentions(sandbox, 2, NOW - timedelta(hours=1))  # a quiet channel: 0 then 2 messages
    poll(engine, rt)
    run_automation(engine, CHARTER, NOW - timedelta(hours=1))
    assert hook.posts == []
    mentions(sandbox, 12, NOW)  # the same 12 that were usual above, on a channel with no history
    poll(engine, rt)
    assert run_automation(engine, CHARTER, NOW).spike_alerts == 1
    assert [(a["count"], a["level"], a["history_weeks"]) for a in spikes(hook)] == [(12, 10, 0)]


def test_the_alert_quotes_each_conversation_once(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    """Seen on the demo: one customer's two messages took two of the five quoted lines."""
    rt = x_runtime(sandbox)
    root = sandbox.add_mention("@AcmeCare I was charged twice", author="jonas", created_at=NOW - 9 * SEC)
    for n in range(7):  # the same customer, the same conversation, again and again
        root = sandbox.add_mention(
            f"@AcmeCare charged twice, refund me now {n}",
            author="jonas",
            in_reply_to=root,
            created_at=NOW - (8 - n) * SEC,  # the newest of the window
        )
    mentions(sandbox, 4, NOW, "@AcmeCare my box is down")
    poll(engine, rt)
    assert run_automation(engine, charter(**QUIET, **{"ui.default_language": "fr"}), NOW).spike_alerts == 1
    [alert] = spikes(hook)
    shown = [m["conversation_id"] for m in alert["messages"]]
    assert alert["count"] == 12 and len(shown) == 5 and len(set(shown)) == 5
    text = hook.delivered()[0]["text"]
    assert "Pic d'activité sur x-acme\u00a0: 12 messages" in text and text.count("@jonas") == 1


def test_before_a_week_is_stored_the_last_hours_are_the_usual_level(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    rt = x_runtime(sandbox)
    start = NOW - timedelta(hours=3, minutes=15)
    for n in range(480):  # a busy new install: 40 per quarter hour for the three hours before the window
        sandbox.add_mention(f"@AcmeCare question {n}", author=f"b{n % 50}", created_at=start + n * 22.5 * SEC)
    mentions(sandbox, 45, NOW)  # busy as usual: far over min_messages, no spike
    poll(engine, rt)
    assert run_automation(engine, CHARTER, NOW).spike_alerts == 0
    mentions(sandbox, 80, NOW + 5 * MINUTE, "@AcmeCare outage")  # 125 in the window: three times the usual
    poll(engine, rt)
    assert run_automation(engine, CHARTER, NOW + 5 * MINUTE).spike_alerts == 1
    [alert] = spikes(hook)
    # the 3 hours before this window hold 466 of the 480: 38.8 per quarter hour, three times that is 117
    assert (alert["count"], alert["baseline"], alert["usual"], alert["level"]) == (125, "recent", 38.83, 117)
    assert "per 15 min over the last hours" in hook.delivered()[0]["text"]


def test_a_listening_query_is_watched_on_its_own(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    rt = x_runtime(sandbox, listening=["Acme router", "#AcmeFibre"])
    for n in range(15):
        sandbox.add_post(f"my Acme router keeps rebooting {n}", author=f"r{n}", created_at=NOW - n * 20 * SEC)
    sandbox.add_post("#AcmeFibre est en panne", author="remi", created_at=NOW - 30 * SEC)
    poll(engine, rt)
    assert run_automation(engine, CHARTER, NOW).spike_alerts == 1
    [alert] = spikes(hook)
    assert (alert["scope"], alert["query"], alert["count"]) == (
        "listening:x-acme:Acme router",
        "Acme router",
        15,
    )
    assert "listening “Acme router” on x-acme" in hook.delivered()[0]["text"]


def test_two_listeners_ticking_at_once_post_one_alert(
    db_url: str, engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    rt = x_runtime(sandbox)
    mentions(sandbox, 30, NOW)
    poll(engine, rt)
    at_once(db_url, 2, lambda own: run_automation(own, CHARTER, NOW))
    assert len(spikes(hook)) == 1


def test_the_demo_story_a_burst_injected_over_http_reaches_the_alerts_webhook_once(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    rt = x_runtime(sandbox)
    with AlertsSandbox() as alerts:
        monkeypatch.setenv(ENV, alerts.url + DEMO_PATH)
        for n in range(20):  # what a person does in the demo: POST mentions to the X sandbox's control API
            body = {"text": f"@AcmeCare is the network down? #{n}", "author": f"d{n}"}
            assert requests.post(sandbox.url + "/_sandbox/mentions", json=body, timeout=5).status_code == 201
        poll(engine, rt)
        now = datetime.now(UTC)
        for tick in range(3):
            run_automation(engine, CHARTER, now + tick * MINUTE)
        received = requests.get(alerts.url + "/_sandbox/alerts", timeout=5).json()["alerts"]
    assert [(a["spike"]["scope"], a["spike"]["count"]) for a in received] == [("channel:x-acme", 20)]


def test_erasing_a_customer_empties_the_open_spike_that_quotes_them(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox, hook: WebhookReceiver
) -> None:
    rt = x_runtime(sandbox)
    mentions(sandbox, 12, NOW)
    poll(engine, rt)
    run_automation(engine, CHARTER, NOW)
    quoted = spikes(hook)[0]["messages"][0]["customer"]
    erase(engine, f"x-acme:{quoted}", actor="dpo", reason="request by e-mail", now=NOW + MINUTE)
    with Session(engine) as s:
        [row] = s.exec(select(TrafficSpike)).all()
    assert row.open_key == "channel:x-acme" and row.payload == {}
