"""End to end in a real browser, issue 6's "done means": an agent answers a Mastodon mention publicly, a
Telegram message and an Instagram DM inside its 24-hour window, and sees the composer refuse a WhatsApp
free-text reply outside the window and offer the approved template; the webhook receiver rejects a forged
Meta signature.

Real processes on loopback: the Mastodon, Telegram and Meta sandboxes, `inbox webhooks` (the Meta sandbox
pushes its events there, signed as Meta signs them), `inbox listen` and `streamlit run app.py`; headless
Debian Chromium driven by Playwright. Screenshots go to test-artifacts/channels-*.png.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from inbox.jobs.demo import SANDBOX_ENV, seed_demo_users
from inbox.store.engine import open_engine
from inbox.store.tables import Channel, Conversation, Message
from inbox.store.tables.webhook_events import WebhookEvent
from tests.conftest import ROOT
from tests.support.e2e import (
    ARTIFACTS,
    BROWSER_ARGS,
    CHROMIUM,
    Processes,
    app_ready,
    free_port,
    get_json,
    http_ok,
    launch_app,
    needs_chromium,
    post_json,
    post_raw,
    sign_in,
)
from tests.support.e2e_composer import (
    in_thread,
    only,
    open_conversation,
    pick_template,
    selected_mode,
    send,
    shot,
)
from tests.support.eventually import eventually

pytestmark = needs_chromium

CHANNELS = {"mastodon-acme": "mastodon", "tg-acme": "telegram", "ig-acme": "meta", "wa-acme": "meta"}
SHIPPED_PORTS = {"mastodon": 8702, "telegram": 8704, "meta": 8705}
MENTION = "@AcmeCare my order 4412 was due last week and the tracking page says nothing. Any news?"
TELEGRAM = "Hello, I can't log in to my account since this morning"
INSTAGRAM = "Hi! Can I still change the delivery address of the order I placed an hour ago?"
WHATSAPP = "Hello, any news about my refund request?"
IG_ANSWER = "Yes, of course: send us the new address here and we will update the order before it ships."
IG_ACCOUNT = "178400000000001"
FORGED_MID = "m_forged-0001"


def keep_channels(channels_toml: str, urls: dict[str, str]) -> str:
    """The shipped channels.toml cut to ``CHANNELS``, each pointed at its sandbox, polling every second."""
    header, *tables = channels_toml.split("\n[[channels]]\n")
    kept = []
    for table in tables:
        name = re.search(r'^name = "([^"]+)"', table, re.M)
        if name is None or name[1] not in CHANNELS:
            continue
        platform = CHANNELS[name[1]]
        table = table.split("\n\n#", 1)[0]  # the comment block introducing the next table
        table = table.replace(f"http://127.0.0.1:{SHIPPED_PORTS[platform]}", urls[platform])
        table = re.sub(r"poll_interval_seconds = \d+", "poll_interval_seconds = 1", table)
        kept.append(table)
    assert len(kept) == len(CHANNELS), f"config/channels.toml lacks one of {sorted(CHANNELS)}"
    return "\n[[channels]]\n".join([header, *kept]) + "\n"


def config_dir(tmp_path: Path, urls: dict[str, str]) -> Path:
    cfg = tmp_path / "config"
    shutil.copytree(ROOT / "config", cfg)
    channels = (cfg / "channels.toml").read_text(encoding="utf-8")
    (cfg / "channels.toml").write_text(keep_channels(channels, urls), encoding="utf-8")
    return cfg


def start_sandboxes(procs: Processes, ports: dict[str, int], receiver: str) -> None:
    for platform in ("mastodon", "telegram"):
        procs.start(
            platform,
            "-m",
            "inbox.cli.main",
            "sandbox",
            platform,
            "--port",
            str(ports[platform]),
            "--no-replay",
        )
    hooks = [
        arg
        for platform, channel in (("instagram", "ig-acme"), ("whatsapp", "wa-acme"))
        for arg in ("--webhook-url", f"{platform}={receiver}/webhooks/{channel}")
    ]
    procs.start(
        "meta", "-m", "inbox.cli.main", "sandbox", "meta", "--port", str(ports["meta"]), "--no-replay", *hooks
    )
    states = [f"http://127.0.0.1:{ports[p]}/_sandbox/state" for p in ("mastodon", "telegram", "meta")]
    procs.eventually(lambda: all(http_ok(url) for url in states), timeout=30, message="the three sandboxes")


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Three sandboxes, `inbox webhooks`, `inbox listen` and the app on free ports, fresh database."""
    ports = {name: free_port() for name in ("mastodon", "telegram", "meta", "receiver", "app")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    db_url = f"sqlite:///{tmp_path / 'inbox.db'}"
    env = {
        **os.environ,
        **SANDBOX_ENV,
        "INBOX_DATABASE_URL": db_url,
        "INBOX_DEMO": "1",
        "INBOX_CONFIG_DIR": str(config_dir(tmp_path, urls)),
    }
    assert seed_demo_users(db_url) == ["agent", "manager", "admin"]  # also migrates the schema
    procs = Processes(env, tmp_path)
    try:
        launch_app(procs, ports["app"])  # the slowest to start: first
        procs.start("webhooks", "-m", "inbox.cli.main", "webhooks", "--port", str(ports["receiver"]))
        start_sandboxes(procs, ports, urls["receiver"])
        procs.start("listen", "-m", "inbox.cli.main", "listen", "--no-automation")  # the agent's path only
        procs.eventually(
            lambda: http_ok(f"{urls['receiver']}/healthz"), timeout=60, message="the webhook receiver"
        )
        app_ready(procs, urls["app"])
        yield {**urls, "db": db_url, "procs": procs}
    finally:
        procs.stop()


def seed_traffic(stack: dict[str, Any]) -> dict[str, Any]:
    """One customer item per channel through the sandboxes' control APIs; what the test checks against."""
    mention = post_json(f"{stack['mastodon']}/_sandbox/mentions", {"text": MENTION, "author": "nina_k"})
    update = post_json(
        f"{stack['telegram']}/_sandbox/messages",
        {"text": TELEGRAM, "first_name": "Lea", "username": "lea_m", "language_code": "en"},
    )
    ig = post_json(
        f"{stack['meta']}/_sandbox/message",
        {"text": INSTAGRAM, "platform": "instagram", "name": "Ines Moreau"},
    )
    long_ago = (datetime.now(UTC) - timedelta(hours=30)).isoformat()
    wa = post_json(
        f"{stack['meta']}/_sandbox/message",
        {"text": WHATSAPP, "platform": "whatsapp", "name": "Marc Dubois", "created_at": long_ago},
    )
    customers = {m["id"]: m for m in get_json(f"{stack['meta']}/_sandbox/messages")["messages"]}
    return {
        "status_id": mention["id"],
        "chat_id": update["message"]["chat"]["id"],
        "ig_sender": customers[ig["id"]]["customer_id"],
        "wa_id": customers[wa["id"]]["customer_id"],
    }


def conversations(db_url: str) -> dict[str, int]:
    """Channel name -> its one conversation's id (the test expects one per channel)."""
    engine = open_engine(db_url)
    with Session(engine) as session:
        rows = session.exec(
            select(Channel.name, Conversation.id).join(Channel, col(Channel.id) == Conversation.channel_id)
        ).all()
    engine.dispose()
    found: dict[str, int] = {}
    for name, conv_id in rows:
        assert name not in found, f"{name} has more than one conversation"
        found[name] = conv_id or 0
    return found


def stored(db_url: str) -> tuple[int, int, int]:
    """(webhook events, messages, those carrying the forged event's mid) in the database."""
    engine = open_engine(db_url)
    with Session(engine) as session:
        counts = (
            session.exec(select(func.count()).select_from(WebhookEvent)).one(),
            session.exec(select(func.count()).select_from(Message)).one(),
            len(session.exec(select(Message.id).where(Message.platform_id == FORGED_MID)).all())
            + sum(FORGED_MID.encode() in body for body in session.exec(select(WebhookEvent.body)).all()),
        )
    engine.dispose()
    return counts


def answer_mastodon(page: Any, stack: dict[str, Any], conv_id: int, status_id: str) -> None:
    """A public reply from the "Acknowledge" template, threaded under the customer's status."""
    from playwright.sync_api import expect

    open_conversation(page, "mastodon-acme", conv_id)
    expect(in_thread(page, MENTION)).to_be_visible()
    expect(selected_mode(page, conv_id)).to_have_text(re.compile("Public reply"))
    pick_template(page, conv_id, "Acknowledge", r"thanks for reaching out! .* \^Alex$")  # a name, no role
    send(page, conv_id, "Public reply queued")
    sent = eventually(
        lambda: get_json(f"{stack['mastodon']}/_sandbox/sent")["statuses"],
        timeout=30,
        message="the reply status",
    )
    status = only(sent, "Mastodon status")
    assert status["in_reply_to_id"] == status_id and status["visibility"] == "unlisted"  # the default
    assert "thanks for reaching out" in status["text"] and status["mentions"] == ["nina_k"]
    shot(page, "mastodon")


def answer_telegram(page: Any, stack: dict[str, Any], conv_id: int, chat_id: int) -> None:
    """A private message in the customer's chat, from the account-access template."""
    from playwright.sync_api import expect

    open_conversation(page, "tg-acme", conv_id)
    expect(in_thread(page, TELEGRAM)).to_be_visible()
    expect(selected_mode(page, conv_id)).to_have_text(re.compile("Private message"))
    pick_template(page, conv_id, "account access", "We will never ask for your password")
    send(page, conv_id, "Private message queued")
    sent = eventually(
        lambda: get_json(f"{stack['telegram']}/_sandbox/sent")["messages"], timeout=30, message="sendMessage"
    )
    message = only(sent, "Telegram message")
    assert message["chat_id"] == chat_id and "We will never ask for your password" in message["text"]
    shot(page, "telegram")


def answer_instagram(page: Any, stack: dict[str, Any], conv_id: int, sender: str) -> None:
    """A free-text DM written by the agent, inside the 24-hour window."""
    from playwright.sync_api import expect

    open_conversation(page, "ig-acme", conv_id)
    expect(in_thread(page, INSTAGRAM)).to_be_visible()
    draft = page.locator(f".st-key-composer-{conv_id}-draft textarea")
    draft.fill(IG_ANSWER)
    # Leaving the box commits its value (Streamlit reruns with it). Not Ctrl+Enter: that is the send
    # shortcut, which would race the click below (seen in CI: the shortcut sent, the click met a
    # disabled button).
    draft.press("Tab")  # the Send button is enabled once the app has the text (send() waits for it)
    send(page, conv_id, "Private message queued")
    sent = eventually(
        lambda: get_json(f"{stack['meta']}/_sandbox/sent")["sent"], timeout=30, message="the Instagram DM"
    )
    message = only(sent, "Meta message")
    assert (message["kind"], message["platform"], message["to"]) == ("message", "instagram", sender)
    assert message["text"] == IG_ANSWER and message["messaging_type"] == "RESPONSE"
    shot(page, "instagram")


def whatsapp_refused(page: Any, stack: dict[str, Any], conv_id: int, wa_id: str) -> None:
    """Outside the window: the reason, no free-text Send, the approved template offered; it goes out."""
    from playwright.sync_api import expect

    open_conversation(page, "wa-acme", conv_id)
    expect(in_thread(page, WHATSAPP)).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"The 24-hour window closed at .* only an approved template"))
    ).to_be_visible()
    expect(
        page.get_by_text("Outside the window, only a template approved by WhatsApp may be sent")
    ).to_be_visible()
    expect(page.locator(f".st-key-send-template-{conv_id} button")).to_be_visible()
    assert page.locator(f".st-key-send-{conv_id}").count() == 0, "no free-text Send outside the window"
    assert page.locator(f".st-key-composer-{conv_id}-draft").count() == 0, "no free-text draft either"
    expect(
        page.get_by_text(re.compile(r"^Hello Marc Dubois, we have news about your request"))
    ).to_be_visible()
    shot(page, "whatsapp")
    before = len(get_json(f"{stack['meta']}/_sandbox/sent")["sent"])
    page.locator(f".st-key-send-template-{conv_id} button").click()
    expect(page.get_by_text("Template queued")).to_be_visible()
    sent = eventually(
        lambda: get_json(f"{stack['meta']}/_sandbox/sent")["sent"][before:],
        timeout=30,
        message="the WhatsApp template",
    )
    message = only(sent, "WhatsApp template")
    assert (message["kind"], message["platform"], message["to"]) == ("template", "whatsapp", wa_id)
    assert message["template"]["name"] == "order_update" and message["failed"] is None
    expect(page.get_by_text("Delivered").first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Hello Marc Dubois, we have news about your request").first).to_be_visible()
    shot(page, "whatsapp-template")


def forged_event() -> bytes:
    now_ms = int(datetime.now(UTC).timestamp() * 1000)
    event = {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT,
                "time": now_ms,
                "messaging": [
                    {
                        "sender": {"id": "7000000000000666"},
                        "recipient": {"id": IG_ACCOUNT},
                        "timestamp": now_ms,
                        "message": {"mid": FORGED_MID, "text": "Your account is locked, log in here"},
                    }
                ],
            }
        ],
    }
    return json.dumps(event, separators=(",", ":")).encode()


def receiver_rejects_forgeries(stack: dict[str, Any]) -> None:
    """A wrong X-Hub-Signature-256 gets 403, none gets 401, and neither leaves anything stored."""
    url, body = f"{stack['receiver']}/webhooks/ig-acme", forged_event()
    deliveries = f"{stack['meta']}/_sandbox/deliveries"
    eventually(  # the sandbox's own signed pushes (messages, echoes, statuses) are all in: counts stay still
        lambda: all(d["status"] == 200 for d in get_json(deliveries)["deliveries"]),
        timeout=30,
        message="the Meta sandbox's webhook deliveries",
    )
    before = stored(stack["db"])
    assert before[0] >= 2 and before[2] == 0, "the sandbox's genuinely signed events were stored"
    wrong = hmac.new(b"not-the-app-secret", body, hashlib.sha256).hexdigest()
    assert post_raw(url, body, {"X-Hub-Signature-256": f"sha256={wrong}"}) == 403
    assert post_raw(url, body, {}) == 401
    assert stored(stack["db"]) == before


def test_agent_answers_on_mastodon_telegram_instagram_and_meets_the_whatsapp_window(
    stack: dict[str, Any],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    db, procs = stack["db"], stack["procs"]
    seeded = seed_traffic(stack)
    convs = procs.eventually(
        lambda: (found := conversations(db)) and len(found) == len(CHANNELS) and found,
        timeout=60,
        message="a conversation on each channel",
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1100})
            page.set_default_timeout(30_000)
            page.goto(stack["app"])
            sign_in(page, "agent", "agent")
            expect(page.locator("div[class*='st-key-open-']")).to_have_count(len(CHANNELS))
            shot(page, "queue")
            try:
                answer_mastodon(page, stack, convs["mastodon-acme"], seeded["status_id"])
                answer_telegram(page, stack, convs["tg-acme"], seeded["chat_id"])
                answer_instagram(page, stack, convs["ig-acme"], seeded["ig_sender"])
                whatsapp_refused(page, stack, convs["wa-acme"], seeded["wa_id"])
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "channels-failure.png"), full_page=True)
                raise
        finally:
            browser.close()
    procs.alive()
    assert len(get_json(f"{stack['mastodon']}/_sandbox/sent")["statuses"]) == 1  # still exactly one each
    assert len(get_json(f"{stack['telegram']}/_sandbox/sent")["messages"]) == 1
    assert len(get_json(f"{stack['meta']}/_sandbox/sent")["sent"]) == 2  # the DM and the template
    receiver_rejects_forgeries(stack)
