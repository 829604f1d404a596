"""The Telegram connector against the loopback Bot API sandbox, through real requests over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from typing import Any

import pytest

from connectors.base import AuthFailed, RateLimited, Rejected, Unavailable, WebhookRejected
from connectors.sandbox._server import LoopbackServer, Reply, Request
from connectors.sandbox.telegram.server import DEFAULT_TOKEN, TelegramSandbox
from connectors.telegram.connector import TelegramConnector
from connectors.telegram.parse import telegram_length
from tests.support.eventually import eventually

BOT_ID = DEFAULT_TOKEN.split(":")[0]


@pytest.fixture
def tg() -> Iterator[TelegramSandbox]:
    with TelegramSandbox() as sandbox:
        yield sandbox


def connector(tg: TelegramSandbox, **kwargs: object) -> TelegramConnector:
    options: dict[str, object] = {"bot_token": DEFAULT_TOKEN, "base_url": tg.url, "poll_seconds": 0}
    options.update(kwargs)
    return TelegramConnector("tg-acme", **options)  # type: ignore[arg-type]


def bodies(tg: TelegramSandbox, method: str) -> list[dict[str, object]]:
    return [json.loads(r.body) for r in tg.requests if r.path.endswith(f"/{method}")]


def test_updates_are_read_page_by_page_with_the_offset(tg: TelegramSandbox) -> None:
    for i in range(5):
        tg.add_message(f"question {i}", first_name="Léa", user_id=42)
    conn = connector(tg, page_size=2)
    seen, cursor, pages = [], None, 0
    while True:
        batch = conn.fetch("updates", cursor)
        seen += [item.text for item in batch.items]
        cursor, pages = batch.next_cursor, pages + 1
        if not batch.more:
            break
    assert seen == [f"question {i}" for i in range(5)] and pages == 3
    offsets = [b.get("offset") for b in bodies(tg, "getUpdates")]
    first = 500_000_001
    assert offsets == [None, first + 2, first + 4]
    assert all(b["allowed_updates"] == ["message", "edited_message"] for b in bodies(tg, "getUpdates"))
    assert conn.fetch("updates", cursor).items == []  # confirms the last page
    assert tg.state()["pending_updates"] == 0 and tg.state()["confirmed_updates"] == 5


def test_a_page_not_committed_comes_again(tg: TelegramSandbox) -> None:
    tg.add_message("hello", user_id=7)
    conn = connector(tg)
    first = conn.fetch("updates", None)
    again = conn.fetch("updates", None)  # the cursor was not saved: Telegram has not forgotten the update
    assert [i.external_id for i in first.items] == [i.external_id for i in again.items] == ["7:1"]


def test_items_are_private_threads_per_chat_with_authors_and_edits(tg: TelegramSandbox) -> None:
    first = tg.add_message("Bonjour, ma commande ?", first_name="Camille", last_name="Durand", user_id=42)
    tg.add_message("Hi there", first_name="Jonas", username="jonas_k", user_id=43)
    tg.add_message("précision", user_id=42, first_name="Camille", reply_to=first["message"]["message_id"])
    edited = tg.edit_message(42, 1, "Bonjour, ma commande n°48213 ?")
    items = connector(tg).fetch("updates", None).items
    by_id = {i.external_id: i for i in items}
    edit_id = f"42:1:edit:{edited['edited_message']['edit_date']}"
    assert set(by_id) == {"42:1", "43:1", "42:2", edit_id}
    camille = by_id["42:1"]
    assert (camille.thread_key, camille.kind, camille.visibility, camille.direction) == (
        "42",
        "dm",
        "private",
        "in",
    )
    assert camille.author.platform_id == "42" and camille.author.display_name == "Camille Durand"
    assert by_id["43:1"].author.handle == "jonas_k" and by_id["43:1"].thread_key == "43"
    assert by_id["42:2"].reply_to == "42:1"
    edit = by_id[edit_id]
    assert edit.text == "Bonjour, ma commande n°48213 ?" and edit.reply_to == "42:1"
    assert all(i.created_at.tzinfo is UTC for i in items)


def test_messages_from_the_bot_itself_are_outbound(tg: TelegramSandbox) -> None:
    tg.add_message("hi", user_id=42)
    bot = {"id": int(BOT_ID), "is_bot": True, "first_name": "Acme Care", "username": "AcmeCareBot"}
    chat = {"id": 42, "type": "private", "first_name": "Customer"}
    tg.add_raw_update(
        {"message": {"message_id": 9, "from": bot, "chat": chat, "date": 1_790_000_000, "text": "yo"}}
    )
    items = connector(tg).fetch("updates", None).items
    assert {(i.external_id, i.direction) for i in items} == {("42:1", "in"), ("42:9", "out")}


def test_malformed_updates_are_kept_apart_and_the_offset_moves_past_them(tg: TelegramSandbox) -> None:
    tg.add_message("fine", user_id=5)
    bad = tg.add_raw_update({"message": {"message_id": 2, "chat": {"id": "5"}, "date": 1, "text": "x"}})
    tg.add_raw_update({"callback_query": {"id": "1"}})  # not in allowed_updates: never delivered
    batch = connector(tg).fetch("updates", None)
    assert [i.text for i in batch.items] == ["fine"]
    assert len(batch.malformed) == 1 and "'id'" in batch.malformed[0].error
    assert batch.malformed[0].external_id == f"update:{bad['update_id']}"
    assert batch.next_cursor == str(bad["update_id"] + 1) and batch.reads == 2


def test_long_polling_returns_a_message_that_arrives_while_waiting(tg: TelegramSandbox) -> None:
    conn = connector(tg, poll_seconds=50, timeout=(5.0, 20.0))  # the read gives up long before the poll ends
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(conn.fetch, "updates", None)
        eventually(lambda: bodies(tg, "getUpdates"), message="the long poll to reach the sandbox")
        tg.add_message("late", user_id=8)
        batch = waiting.result()  # Unavailable (read timed out) if the poll did not answer on arrival
    assert [i.text for i in batch.items] == ["late"]
    assert bodies(tg, "getUpdates")[0]["timeout"] == 50


def test_send_private_in_the_chat_quoting_a_message(tg: TelegramSandbox) -> None:
    tg.add_message("where is my parcel?", user_id=42)
    conn = connector(tg)
    sent = conn.send_private("42", "Bonjour, we are on it.", idempotency_key="k1")
    quoted = conn.send_private("42", "Here is the link.", idempotency_key="k2", reply_to="42:1")
    assert sent.external_id == "42:2" and sent.thread_key == "42" and quoted.external_id == "42:3"
    assert [(s["chat_id"], s["text"], s["reply_to"]) for s in tg.sent] == [
        (42, "Bonjour, we are on it.", None),
        (42, "Here is the link.", 1),
    ]
    assert bodies(tg, "sendMessage")[1]["reply_parameters"] == {
        "message_id": 1,
        "allow_sending_without_reply": True,
    }


def test_public_replies_are_refused_without_calling_telegram(tg: TelegramSandbox) -> None:
    with pytest.raises(Rejected, match="no public replies"):
        connector(tg).reply_public("42:1", "hello", idempotency_key="k")
    assert tg.requests == []


def test_length_limit_is_checked_before_the_call(tg: TelegramSandbox) -> None:
    tg.add_message("hi", user_id=42)
    conn = connector(tg)
    conn.send_private("42", "a" * 4096, idempotency_key="k1")
    for text in ("a" * 4097, "😀" * 2049, "   "):
        with pytest.raises(Rejected):
            conn.send_private("42", text, idempotency_key="k2")
    assert telegram_length("😀" * 2049) == 4098 and len(bodies(tg, "sendMessage")) == 1


def test_unknown_chat_is_rejected_by_telegram(tg: TelegramSandbox) -> None:
    with pytest.raises(Rejected, match="chat not found"):
        connector(tg).send_private("999", "hello", idempotency_key="k")


def test_429_becomes_rate_limited_with_retry_after(tg: TelegramSandbox) -> None:
    tg.inject_fault("/bot", status=429)
    with pytest.raises(RateLimited) as err:
        connector(tg).fetch("updates", None)
    assert err.value.retryable and err.value.retry_after == 5


def test_5xx_and_refused_connections_are_unavailable_and_never_show_the_token(tg: TelegramSandbox) -> None:
    tg.inject_fault("/bot", status=503)
    with pytest.raises(Unavailable):
        connector(tg).fetch("updates", None)
    tg.inject_fault("/bot", status=403)
    with pytest.raises(Rejected):
        connector(tg).send_private("42", "hi", idempotency_key="k")
    url = tg.url
    tg.stop()
    with pytest.raises(Unavailable) as err:
        TelegramConnector("tg-acme", bot_token=DEFAULT_TOKEN, base_url=url).fetch("updates", None)
    assert DEFAULT_TOKEN.split(":")[1] not in str(err.value)


@pytest.mark.parametrize("token", ["7000000001:wrong-secret", "7000000001:not.a.token"])
def test_a_refused_token_is_auth_failed_naming_the_channel(tg: TelegramSandbox, token: str) -> None:
    with pytest.raises(AuthFailed) as err:
        connector(tg, bot_token=token).whoami()
    assert "'tg-acme'" in str(err.value) and "bot_token" in str(err.value)
    assert token.split(":")[1] not in str(err.value)


def test_whoami_is_get_me(tg: TelegramSandbox) -> None:
    me = connector(tg).whoami()
    assert (me.platform_id, me.handle, me.display_name) == (BOT_ID, "AcmeCareBot", "Acme Care")


def test_webhook_secret_accepted_or_rejected(tg: TelegramSandbox) -> None:
    conn = connector(tg, webhook_secret="s3cret-token_1")
    update = tg.add_message("par webhook", user_id=42)
    body = json.dumps(update).encode()
    conn.verify_webhook({"X-Telegram-Bot-Api-Secret-Token": "s3cret-token_1"}, body)
    with pytest.raises(WebhookRejected) as missing:
        conn.verify_webhook({}, body)
    with pytest.raises(WebhookRejected) as wrong:
        conn.verify_webhook({"x-telegram-bot-api-secret-token": "s3cret-token_2"}, body)
    with pytest.raises(WebhookRejected) as unset:
        connector(tg).verify_webhook({"X-Telegram-Bot-Api-Secret-Token": "anything"}, body)
    assert (missing.value.status, wrong.value.status, unset.value.status) == (401, 403, 403)
    assert conn.webhook_handshake({"hub.mode": "subscribe"}) is None
    pushed = conn.parse_webhook(body)
    polled = conn.fetch("updates", None)
    assert pushed.items == polled.items and pushed.next_cursor is None
    garbage = conn.parse_webhook(b"{not json")
    assert garbage.items == [] and "not JSON" in garbage.malformed[0].error


def test_sandbox_pushes_updates_to_a_webhook_with_the_secret(tg: TelegramSandbox) -> None:
    received: list[tuple[dict[str, str], bytes]] = []
    failures = [503]  # the first delivery fails: Telegram retries it

    def hook(req: Request) -> Reply:
        received.append((req.headers, req.body))
        return Reply(failures.pop(), {}) if failures else Reply(200, {})

    conn = connector(tg, webhook_secret="s3cret")
    with LoopbackServer() as receiver:
        receiver.route("POST", "/webhooks/tg-acme", hook)
        assert conn.call("setWebhook", {"url": f"{receiver.url}/webhooks/tg-acme", "secret_token": "s3cret"})
        with pytest.raises(Rejected, match="409"):
            conn.fetch("updates", None)  # no polling while a webhook is set
        tg.add_message("par webhook", user_id=42)

        def retried_and_confirmed() -> dict[str, Any] | None:
            """getWebhookInfo once the second delivery was answered 200 and the sandbox confirmed it."""
            info: dict[str, Any] = conn.call("getWebhookInfo", {})
            return info if len(received) == 2 and info["pending_update_count"] == 0 else None

        info = eventually(retried_and_confirmed, message="the retried delivery to be confirmed")
        assert conn.call("deleteWebhook", {}) is True
    assert len(received) == 2 and received[0][1] == received[1][1]
    headers, body = received[1]
    conn.verify_webhook(headers, body)
    assert [i.text for i in conn.parse_webhook(body).items] == ["par webhook"]
    assert info["pending_update_count"] == 0 and "503" in info["last_error_message"]
    assert conn.fetch("updates", None).items == []  # delivered updates are confirmed
