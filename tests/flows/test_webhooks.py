"""The webhook receiver under real uvicorn on a loopback port: handshakes, routing and signatures (Meta,
X, Telegram); anything unsigned, mis-signed or too large is refused with a 4xx and nothing of it is stored;
a verified event is acknowledged only once it is stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
import requests
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from connectors.x.webhook import sign as x_sign
from inbox.store.tables import QuarantinedItem
from tests.conftest import X_ENV
from tests.support.webhooks import events, messages, messenger_body, now, post, wait_processed


# --- handshakes and routing -------------------------------------------------------------------------
def test_meta_subscribe_handshake(receiver_url: str) -> None:
    ok = requests.get(
        f"{receiver_url}/webhooks/wa-acme",
        params={"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"},
        timeout=10,
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert ok.headers["content-type"] == "text/plain; charset=utf-8"
    wrong = requests.get(
        f"{receiver_url}/webhooks/wa-acme",
        params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
        timeout=10,
    )
    assert wrong.status_code == 403 and wrong.text == "hub.verify_token does not match"
    assert requests.get(f"{receiver_url}/webhooks/fb-acme", timeout=10).status_code == 400


def test_unknown_channels_methods_and_health(receiver_url: str) -> None:
    unknown = requests.post(f"{receiver_url}/webhooks/nope", data=b"{}", timeout=10)
    assert (unknown.status_code, unknown.text) == (404, "unknown webhook channel")
    assert requests.post(f"{receiver_url}/elsewhere", data=b"{}", timeout=10).status_code == 404
    put = requests.put(f"{receiver_url}/webhooks/fb-acme", data=b"{}", timeout=10)
    assert (put.status_code, put.text) == (405, "use GET (subscription check) or POST (events)")
    health = requests.get(f"{receiver_url}/healthz", timeout=10)
    assert health.json() == {"channels": ["fb-acme", "ig-acme", "tg-acme", "wa-acme", "x-acme"]}
    assert health.headers["content-type"] == "application/json; charset=utf-8"


def test_a_trailing_slash_is_the_same_channel(receiver_url: str, engine: Engine) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "42"}
    ok = requests.get(f"{receiver_url}/webhooks/wa-acme/", params=params, timeout=10, allow_redirects=False)
    assert (ok.status_code, ok.text) == (200, "42")
    body = messenger_body()
    signed = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
    answer = requests.post(
        f"{receiver_url}/webhooks/fb-acme/", data=body, headers=signed, timeout=10, allow_redirects=False
    )
    assert (answer.status_code, answer.text) == (200, "EVENT_RECEIVED")
    assert [e.status for e in wait_processed(engine)] == ["done"]


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"),
    [
        ("POST", "/webhooks/fb-acme", b"", {}, 401),
        ("POST", "/webhooks/fb-acme", b"\xff\xfe not json", {"X-Hub-Signature-256": "sha256=\xe9t\xe9"}, 403),
        ("POST", "/webhooks/wa-acme", b"{}", {"X-Hub-Signature-256": "md5=0"}, 403),
        ("POST", "/webhooks/tg-acme", b"{}", {"X-Telegram-Bot-Api-Secret-Token": "\xe9"}, 403),
        ("POST", "/webhooks/x-acme", b"[]", {"x-twitter-webhooks-signature": "sha256="}, 403),
        ("GET", "/webhooks/fb-acme?hub.mode=subscribe&hub.verify_token=%FF&hub.challenge=1", b"", {}, 403),
        ("GET", "/webhooks/fb-acme?hub.mode=unsubscribe", b"", {}, 403),
        ("GET", "/webhooks/wa-acme?hub.mode=subscribe&hub.verify_token=verify-me", b"", {}, 400),
        ("GET", "/webhooks/x-acme?crc_token=", b"", {}, 400),
        ("GET", "/webhooks/tg-acme?crc_token=1", b"", {}, 400),
        ("GET", "/webhooks/FB-ACME", b"", {}, 404),
        ("OPTIONS", "/webhooks/fb-acme", b"", {}, 405),
        ("PUT", "/webhooks/nope", b"{}", {}, 404),
        ("POST", "/healthz", b"{}", {}, 404),
        ("DELETE", "/webhooks/", b"", {}, 404),
    ],
)
def test_bad_input_is_a_4xx_and_stores_nothing(
    receiver_url: str,
    engine: Engine,
    method: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    status: int,
) -> None:
    answer = requests.request(method, receiver_url + path, data=body, headers=headers, timeout=10)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert events(engine) == []


# --- signatures ---------------------------------------------------------------------------------------
def test_forged_meta_signature_is_403_and_missing_is_401(receiver_url: str, engine: Engine) -> None:
    body = messenger_body()
    forged = post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, "not-the-app-secret")})
    assert forged.status_code == 403
    tampered = post(
        receiver_url,
        "fb-acme",
        body.replace(b"Hello", b"Hallo"),
        {"X-Hub-Signature-256": sign(body, APP_SECRET)},
    )
    assert tampered.status_code == 403
    assert post(receiver_url, "fb-acme", body).status_code == 401
    assert events(engine) == [] and messages(engine) == []


def test_body_over_the_limit_is_413_declared_or_streamed(receiver_url: str, engine: Engine) -> None:
    body = messenger_body(text="x" * 70_000)
    signed = {"X-Hub-Signature-256": sign(body, APP_SECRET)}
    declared = post(receiver_url, "fb-acme", body, signed)
    assert (declared.status_code, declared.text) == (413, "Content Too Large")
    chunks = iter([body[i : i + 8192] for i in range(0, len(body), 8192)])
    streamed = requests.post(f"{receiver_url}/webhooks/fb-acme", data=chunks, headers=signed, timeout=10)
    assert streamed.request.headers["Transfer-Encoding"] == "chunked"  # no length declared
    assert streamed.status_code == 413
    assert events(engine) == []


def test_a_signed_body_that_is_not_json_is_stored_and_quarantined(receiver_url: str, engine: Engine) -> None:
    body = b"<html>not an event</html>"
    answer = post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert (answer.status_code, answer.text) == (200, "EVENT_RECEIVED")
    [event] = wait_processed(engine)
    assert (event.status, event.body, event.items) == ("done", body, 0)
    with Session(engine) as session:
        [item] = session.exec(select(QuarantinedItem)).all()
    assert (item.stream, item.error) == ("webhook", "body is not a JSON object")


def test_an_event_that_cannot_be_stored_is_503_not_acknowledged(
    receiver_url: str, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE webhook_event"))  # the database refuses the write
    body = messenger_body()
    answer = post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert (answer.status_code, answer.text) == (503, "event not stored; deliver it again")
    assert "webhook for fb-acme could not be stored" in caplog.text


def test_x_crc_and_signature(receiver_url: str, engine: Engine) -> None:
    secret = X_ENV["X_CONSUMER_SECRET"]
    crc = requests.get(f"{receiver_url}/webhooks/x-acme", params={"crc_token": "challenge-123"}, timeout=10)
    expected = base64.b64encode(hmac.new(secret.encode(), b"challenge-123", hashlib.sha256).digest()).decode()
    assert crc.status_code == 200 and crc.json() == {"response_token": f"sha256={expected}"}
    body = json.dumps({"for_user_id": "1000000000000000001", "tweet_create_events": []}).encode()
    assert (
        post(
            receiver_url, "x-acme", body, {"x-twitter-webhooks-signature": x_sign(body, "wrong")}
        ).status_code
        == 403
    )
    assert post(receiver_url, "x-acme", body).status_code == 401
    assert (
        post(receiver_url, "x-acme", body, {"x-twitter-webhooks-signature": x_sign(body, secret)}).status_code
        == 200
    )
    [event] = wait_processed(engine)
    assert (event.status, event.body, event.items) == ("done", body, 0)  # stored raw; polling reads X


def test_telegram_secret_token(receiver_url: str, engine: Engine) -> None:
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
    assert (
        post(receiver_url, "tg-acme", body, {"X-Telegram-Bot-Api-Secret-Token": "guess"}).status_code == 403
    )
    assert post(receiver_url, "tg-acme", body).status_code == 401
    assert (
        post(receiver_url, "tg-acme", body, {"X-Telegram-Bot-Api-Secret-Token": "tg-secret_1"}).status_code
        == 200
    )
    [event] = wait_processed(engine)
    assert event.status == "done" and [m.text for m in messages(engine)] == ["Bonjour"]
