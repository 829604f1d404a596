"""The webhook receiver under real uvicorn on a loopback port: signatures, handshakes, raw storage before the
acknowledgement, ingestion shared with polling. Meta events come signed from the Meta sandbox."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.meta_webhook import sign
from connectors.sandbox.meta import APP_SECRET, PAGE_TOKEN, WHATSAPP_TOKEN, MetaSandbox
from connectors.sandbox.meta_events import comment_event
from connectors.x_webhook import sign as x_sign
from inbox import outbox
from inbox.channels import Runtime, build_runtimes
from inbox.cli import main as cli_main
from inbox.config.channels import ChannelConfig
from inbox.deadlines import default_due
from inbox.listen import poll_stream
from inbox.models import Conversation, ListeningCursor, Message, OutboundReply
from inbox.webhooks.app import WebhookApp
from inbox.webhooks.models import WebhookEvent
from inbox.webhooks.receiver import Receiver
from tests.conftest import ROOT, X_ENV

ENV = {
    "META_PAGE_TOKEN": PAGE_TOKEN,
    "META_APP_SECRET": APP_SECRET,
    "META_VERIFY_TOKEN": "verify-me",
    "WA_TOKEN": WHATSAPP_TOKEN,
    "TG_BOT_TOKEN": "123456:sandbox",
    "TG_SECRET": "tg-secret_1",
    **X_ENV,
}
META_CREDS = {
    "page_token": "META_PAGE_TOKEN",
    "app_secret": "META_APP_SECRET",
    "verify_token": "META_VERIFY_TOKEN",
}


def now() -> datetime:
    return datetime.now(UTC)


def channel_configs(meta: MetaSandbox) -> list[ChannelConfig]:
    s, url, nowhere = meta.store, meta.url, "http://127.0.0.1:9"
    wa_creds = {
        "access_token": "WA_TOKEN",
        "app_secret": "META_APP_SECRET",
        "verify_token": "META_VERIFY_TOKEN",
    }
    tables: list[dict[str, Any]] = [
        {
            "name": "fb-acme",
            "platform": "facebook",
            "credentials": META_CREDS,
            "options": {"page_id": s.page_id},
        },
        {
            "name": "ig-acme",
            "platform": "instagram",
            "credentials": META_CREDS,
            "options": {"ig_user_id": s.ig_user_id, "page_id": s.page_id},
        },
        {
            "name": "wa-acme",
            "platform": "whatsapp",
            "credentials": wa_creds,
            "options": {"phone_number_id": s.phone_number_id},
        },
        {
            "name": "x-acme",
            "platform": "x",
            "base_url": nowhere,
            "credentials": {k.lower()[2:]: k for k in X_ENV},
        },
        {
            "name": "tg-acme",
            "platform": "telegram",
            "base_url": nowhere,
            "credentials": {"bot_token": "TG_BOT_TOKEN", "webhook_secret": "TG_SECRET"},
        },
    ]
    return [ChannelConfig.model_validate({"account": "acme", "base_url": url, **t}) for t in tables]


@pytest.fixture
def meta() -> Iterator[MetaSandbox]:
    with MetaSandbox() as sandbox:
        yield sandbox


@pytest.fixture
def runtimes(meta: MetaSandbox, monkeypatch: pytest.MonkeyPatch) -> list[Runtime]:
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    built, problems = build_runtimes(channel_configs(meta))
    assert problems == []
    return built


@contextmanager
def serve(app: WebhookApp) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free loopback port; yields its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, lifespan="on", log_level="warning", http="h11", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture
def receiver(engine: Engine, runtimes: list[Runtime]) -> Receiver:
    return Receiver(engine, runtimes, due=default_due, clock=now)


@pytest.fixture
def url(receiver: Receiver) -> Iterator[str]:
    with serve(WebhookApp(receiver, max_body=64 * 1024)) as base:
        yield base


def events(engine: Engine) -> list[WebhookEvent]:
    with Session(engine) as session:
        return list(session.exec(select(WebhookEvent).order_by(col(WebhookEvent.id))))


def wait_processed(engine: Engine, count: int = 1) -> list[WebhookEvent]:
    deadline = time.monotonic() + 10
    while True:
        found = events(engine)
        if len(found) >= count and all(e.status != "pending" for e in found):
            return found
        assert time.monotonic() < deadline, f"events not processed: {[(e.id, e.status) for e in found]}"
        time.sleep(0.05)


def messages(engine: Engine, platform_id: str | None = None) -> list[Message]:
    with Session(engine) as session:
        stmt = select(Message)
        if platform_id is not None:
            stmt = stmt.where(Message.platform_id == platform_id)
        return list(session.exec(stmt))


def post(base: str, channel: str, body: bytes, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.post(f"{base}/webhooks/{channel}", data=body, headers=headers or {}, timeout=10)


def messenger_body(mid: str = "m_1", text: str = "Hello?") -> bytes:
    event = {
        "sender": {"id": "7001"},
        "recipient": {"id": "104000000000001"},
        "timestamp": int(now().timestamp() * 1000),
        "message": {"mid": mid, "text": text},
    }
    return json.dumps(
        {"object": "page", "entry": [{"id": "104000000000001", "time": 1, "messaging": [event]}]}
    ).encode()


# --- handshakes and routing -------------------------------------------------------------------------
def test_meta_subscribe_handshake(url: str) -> None:
    ok = requests.get(
        f"{url}/webhooks/wa-acme",
        params={"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"},
        timeout=10,
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert ok.headers["content-type"].startswith("text/plain")
    wrong = requests.get(
        f"{url}/webhooks/wa-acme",
        params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
        timeout=10,
    )
    assert wrong.status_code == 403 and wrong.text == "hub.verify_token does not match"
    assert requests.get(f"{url}/webhooks/fb-acme", timeout=10).status_code == 400


def test_unknown_channels_methods_and_health(url: str) -> None:
    assert requests.post(f"{url}/webhooks/nope", data=b"{}", timeout=10).status_code == 404
    assert requests.post(f"{url}/elsewhere", data=b"{}", timeout=10).status_code == 404
    assert requests.put(f"{url}/webhooks/fb-acme", data=b"{}", timeout=10).status_code == 405
    health = requests.get(f"{url}/healthz", timeout=10)
    assert health.json() == {"channels": ["fb-acme", "ig-acme", "tg-acme", "wa-acme", "x-acme"]}


# --- signatures ---------------------------------------------------------------------------------------
def test_forged_meta_signature_is_403_and_missing_is_401(url: str, engine: Engine) -> None:
    body = messenger_body()
    forged = post(url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, "not-the-app-secret")})
    assert forged.status_code == 403
    tampered = post(
        url, "fb-acme", body.replace(b"Hello", b"Hallo"), {"X-Hub-Signature-256": sign(body, APP_SECRET)}
    )
    assert tampered.status_code == 403
    assert post(url, "fb-acme", body).status_code == 401
    assert events(engine) == [] and messages(engine) == []


def test_body_over_the_limit_is_413(url: str, engine: Engine) -> None:
    body = messenger_body(text="x" * 70_000)
    assert post(url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}).status_code == 413
    assert events(engine) == []


def test_x_crc_and_signature(url: str, engine: Engine) -> None:
    secret = X_ENV["X_CONSUMER_SECRET"]
    crc = requests.get(f"{url}/webhooks/x-acme", params={"crc_token": "challenge-123"}, timeout=10)
    expected = base64.b64encode(hmac.new(secret.encode(), b"challenge-123", hashlib.sha256).digest()).decode()
    assert crc.status_code == 200 and crc.json() == {"response_token": f"sha256={expected}"}
    body = json.dumps({"for_user_id": "1000000000000000001", "tweet_create_events": []}).encode()
    assert (
        post(url, "x-acme", body, {"x-twitter-webhooks-signature": x_sign(body, "wrong")}).status_code == 403
    )
    assert post(url, "x-acme", body).status_code == 401
    assert (
        post(url, "x-acme", body, {"x-twitter-webhooks-signature": x_sign(body, secret)}).status_code == 200
    )
    [event] = wait_processed(engine)
    assert (event.status, event.body, event.items) == ("done", body, 0)  # stored raw; polling reads X


def test_telegram_secret_token(url: str, engine: Engine) -> None:
    update = {
        "update_id": 7,
        "message": {
            "message_id": 5,
            "date": int(now().timestamp()),
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 42, "is_bot": False, "first_name": "Ann"},
            "text": "Bonjour",
        },
    }
    body = json.dumps(update).encode()
    assert post(url, "tg-acme", body, {"X-Telegram-Bot-Api-Secret-Token": "guess"}).status_code == 403
    assert post(url, "tg-acme", body).status_code == 401
    assert post(url, "tg-acme", body, {"X-Telegram-Bot-Api-Secret-Token": "tg-secret_1"}).status_code == 200
    [event] = wait_processed(engine)
    assert event.status == "done" and [m.text for m in messages(engine)] == ["Bonjour"]


# --- storage and ingestion ----------------------------------------------------------------------------
def test_sandbox_pushes_signed_messages_that_are_stored_then_ingested(
    url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    meta.set_webhook(f"{url}/webhooks/fb-acme", platform="facebook")
    meta.set_webhook(f"{url}/webhooks/wa-acme", platform="whatsapp")
    mid = meta.add_message("My order never came", name="Bob")
    wamid = meta.add_message("Bonjour, une question", platform="whatsapp", name="Cam")
    assert [d["status"] for d in meta.pusher.deliveries] == [200, 200]
    stored = wait_processed(engine, 2)
    assert [e.status for e in stored] == ["done", "done"] and all(
        "x-hub-signature-256" in e.headers for e in stored
    )
    [bob] = messages(engine, mid)
    [cam] = messages(engine, wamid)
    assert (bob.direction, bob.kind, bob.visibility, bob.text) == (
        "in",
        "dm",
        "private",
        "My order never came",
    )
    assert cam.author_platform_id == meta.customer_id("whatsapp", "Cam")
    fb = next(rt.connector for rt in runtimes if rt.name == "fb-acme")
    sent = fb.send_private(meta.customer_id("messenger", "Bob"), "On it, Bob", idempotency_key="k")
    wait_processed(engine, 3)
    [echo] = messages(engine, sent.external_id)
    assert (echo.direction, echo.text, echo.conversation_id) == ("out", "On it, Bob", bob.conversation_id)


class Exploding:
    """A classifier that fails, so ingestion fails after the event is stored."""

    def classify(self, texts: Any, *, followers: Any = None) -> Any:
        raise RuntimeError("classifier crashed")


def test_raw_event_is_stored_before_the_ack_and_replayed_after_a_failure(
    engine: Engine, runtimes: list[Runtime]
) -> None:
    receiver = Receiver(engine, runtimes, due=default_due, clock=now, classifier=Exploding())
    body = messenger_body("m_fail", "Still waiting")
    with serve(WebhookApp(receiver)) as base:
        answer = post(base, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})
        assert answer.status_code == 200  # acknowledged: the raw event is safe in the database
        [event] = wait_processed(engine)
    assert (event.status, event.body, event.attempts) == ("failed", body, 1)
    assert event.error == "RuntimeError: classifier crashed" and messages(engine) == []
    receiver.classifier = None
    report = receiver.replay_pending()
    assert (report.done, report.failed) == (1, 0)
    [message] = messages(engine, "m_fail")
    assert message.text == "Still waiting" and events(engine)[0].status == "done"
    assert receiver.replay_pending().done == 0  # nothing left


def test_an_event_left_pending_by_a_crash_is_ingested_on_start(
    engine: Engine, runtimes: list[Runtime]
) -> None:
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    body = messenger_body("m_crash", "Anyone?")
    receiver.store("fb-acme", {"x-hub-signature-256": sign(body, APP_SECRET)}, body)  # stored, then killed
    assert [e.status for e in events(engine)] == ["pending"]
    with serve(WebhookApp(receiver)):
        pass  # startup replays what is pending
    assert [e.status for e in events(engine)] == ["done"] and len(messages(engine, "m_crash")) == 1


def test_a_comment_by_webhook_and_by_polling_is_stored_once(
    url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    fb = next(rt for rt in runtimes if rt.name == "fb-acme")
    meta.set_webhook(f"{url}/webhooks/fb-acme", platform="facebook")
    first = meta.add_comment("Is the shop open on Sunday?", created_at=now() - timedelta(minutes=2))
    wait_processed(engine)
    assert len(messages(engine, first)) == 1
    report = poll_stream(engine, fb, "comments", clock=now, due=default_due)
    assert (report.error, report.new, report.duplicates) == (None, 0, 1)
    second = meta.add_comment("And on Monday?", created_at=now() - timedelta(minutes=1), push=False)
    report = poll_stream(engine, fb, "comments", clock=now, due=default_due)
    assert report.new == 1
    body = json.dumps(comment_event(meta.store, meta.store.comments[second])).encode()
    assert post(url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}).status_code == 200
    assert wait_processed(engine, 2)[-1].items == 0
    assert [len(messages(engine, c)) for c in (first, second)] == [1, 1]
    with Session(engine) as session:
        cursors = {c.stream: c.cursor for c in session.exec(select(ListeningCursor))}
    assert cursors["webhook"] is None and json.loads(cursors["comments"] or "{}").get("since")


def test_cli_replay_pending(
    engine: Engine, db_url: str, runtimes: list[Runtime], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    shutil.copytree(ROOT / "config", config)
    wa = next(rt for rt in runtimes if rt.name == "wa-acme").config
    (config / "channels.toml").write_text(
        "[[channels]]\n"
        f'name = "wa-acme"\nplatform = "whatsapp"\naccount = "acme"\nbase_url = "{wa.base_url}"\n'
        '[channels.credentials]\naccess_token = "WA_TOKEN"\napp_secret = "META_APP_SECRET"\n'
        f'[channels.options]\nphone_number_id = "{wa.options["phone_number_id"]}"\n'
    )
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    value = {
        "metadata": {"phone_number_id": wa.options["phone_number_id"]},
        "contacts": [{"profile": {"name": "Cam"}, "wa_id": "336"}],
        "messages": [
            {
                "from": "336",
                "id": "wamid.Z",
                "timestamp": str(int(now().timestamp())),
                "type": "text",
                "text": {"body": "Allô"},
            }
        ],
    }
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
        }
    ).encode()
    receiver.store("wa-acme", {}, body)
    assert cli_main(["webhooks", "--replay-pending", "--no-nlp"]) == 0
    assert [m.text for m in messages(engine, "wamid.Z")] == ["Allô"]


def test_a_whatsapp_failed_status_marks_the_sent_reply_failed(
    url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    """Meta's two-step refusal: text outside the window is accepted, then a `failed` status (131047) comes."""
    meta.api.async_window_errors = True
    meta.set_webhook(f"{url}/webhooks/wa-acme", platform="whatsapp")
    wamid = meta.add_message(
        "Toujours rien", platform="whatsapp", name="Old", created_at=now() - timedelta(hours=30)
    )
    wait_processed(engine)
    [inbound] = messages(engine, wamid)
    with Session(engine) as session, session.begin():
        conv = session.get(Conversation, inbound.conversation_id)
        assert conv is not None
        reply_id = outbox.enqueue(
            session, conv, visibility="private", text="Bonjour !", actor="agent", now=now()
        ).id
    connectors = {rt.name: rt.connector for rt in runtimes}
    assert outbox.send_one(engine, connectors, now)
    with Session(engine) as session:
        assert session.get(OutboundReply, reply_id).status == "sent"  # type: ignore[union-attr]
    wait_processed(engine, 2)
    with Session(engine) as session:
        reply = session.get(OutboundReply, reply_id)
        assert reply is not None and reply.status == "failed"
        assert reply.last_error == "WhatsApp could not deliver it: (#131047) Re-engagement message"
    assert meta.sent[-1]["failed"] == 131047
