"""The webhook receiver under real uvicorn on a loopback port: handshakes, routing and signatures (Meta,
X, Telegram); anything unsigned or mis-signed is refused and nothing of it is stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import requests
from sqlalchemy import Engine

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from connectors.x.webhook import sign as x_sign
from tests.conftest import X_ENV
from tests.support.webhooks import (  # noqa: F401  (fixtures: meta, receiver, runtimes, url)
    ENV,
    META_CREDS,
    channel_configs,
    events,
    messages,
    messenger_body,
    meta,
    now,
    post,
    receiver,
    runtimes,
    serve,
    url,
    wait_processed,
)


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
