"""The webhook receiver stores each raw event before acknowledging it, then feeds the same ingestion as
polling: replay after a failure or a crash, one message whether it came by webhook or by polling."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.events import comment_event
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from inbox.charter.deadlines import default_due
from inbox.cli.main import main as cli_main
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_stream
from inbox.ingest.webhooks.app import webhook_app
from inbox.ingest.webhooks.receiver import Receiver
from inbox.outbox import delivery as outbox
from inbox.store.tables import Conversation, ListeningCursor, OutboundReply
from tests.conftest import ROOT
from tests.support.webhooks import (
    events,
    messages,
    messenger_body,
    now,
    post,
    private_answer,
    serve,
    wait_processed,
)


# --- storage and ingestion ----------------------------------------------------------------------------
def test_sandbox_pushes_signed_messages_that_are_stored_then_ingested(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    meta.set_webhook(f"{receiver_url}/webhooks/fb-acme", platform="facebook")
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
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
    with serve(webhook_app(receiver)) as base:
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
    with serve(webhook_app(receiver)):
        pass  # startup replays what is pending
    assert [e.status for e in events(engine)] == ["done"] and len(messages(engine, "m_crash")) == 1


def test_a_comment_by_webhook_and_by_polling_is_stored_once(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    fb = next(rt for rt in runtimes if rt.name == "fb-acme")
    meta.set_webhook(f"{receiver_url}/webhooks/fb-acme", platform="facebook")
    first = meta.add_comment("Is the shop open on Sunday?", created_at=now() - timedelta(minutes=2))
    wait_processed(engine)
    assert len(messages(engine, first)) == 1
    report = poll_stream(engine, fb, "comments", clock=now, due=default_due)
    assert (report.error, report.new, report.duplicates) == (None, 0, 1)
    second = meta.add_comment("And on Monday?", created_at=now() - timedelta(minutes=1), push=False)
    report = poll_stream(engine, fb, "comments", clock=now, due=default_due)
    assert report.new == 1
    body = json.dumps(comment_event(meta.store, meta.store.comments[second])).encode()
    assert (
        post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}).status_code
        == 200
    )
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
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime]
) -> None:
    """Meta's two-step refusal: text outside the window is accepted, then a `failed` status (131047) comes."""
    meta.api.async_window_errors = True
    meta.set_webhook(f"{receiver_url}/webhooks/wa-acme", platform="whatsapp")
    reply_id = private_answer(engine, meta, said="Toujours rien", answer="Bonjour !", age=timedelta(hours=30))
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


def test_a_tapped_menu_button_waits_for_an_answer_like_a_message(receiver_url: str, engine: Engine) -> None:
    """A Messenger menu button ("Parler à un conseiller") comes as a postback: it used to be dropped."""
    tap = {
        "sender": {"id": "7002"},
        "recipient": {"id": "104000000000001"},
        "timestamp": int(now().timestamp() * 1000),
        "postback": {"title": "Parler à un conseiller", "payload": "AGENT", "mid": "m_tap"},
    }
    body = json.dumps({"object": "page", "entry": [{"id": "104000000000001", "time": 1, "messaging": [tap]}]})
    raw = body.encode()
    for _ in range(2):  # Meta may send it twice
        post(receiver_url, "fb-acme", raw, {"X-Hub-Signature-256": sign(raw, APP_SECRET)})
    wait_processed(engine, 2)
    [message] = messages(engine, "m_tap")
    assert (message.text, message.direction, message.author_platform_id) == (
        "Parler à un conseiller",
        "in",
        "7002",
    )
    with Session(engine) as session:
        conv = session.get(Conversation, message.conversation_id)
        assert conv is not None and conv.status == "open" and conv.sla_due_at is not None
