"""A webhook POST with one malformed event among valid ones (issue #12.3): the valid ones are stored, the bad
one quarantined with its error, the event marked done; JSON nested too deep is refused at the door."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET
from connectors.x.webhook import sign as x_sign
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.webhooks.app import webhook_app
from inbox.ingest.webhooks.receiver import Receiver
from inbox.store.records import ensure_channel
from inbox.store.tables import QuarantinedItem
from inbox.store.tables.webhook_events import WebhookEvent
from tests.conftest import BRAND_ID, X_ENV
from tests.support.webhooks import events, messages, now, post, serve, wait_processed

PAGE = "104000000000001"


def _messenger(mid: str, text: str, timestamp: Any) -> dict[str, Any]:
    return {
        "sender": {"id": "7001"},
        "recipient": {"id": PAGE},
        "timestamp": timestamp,
        "message": {"mid": mid, "text": text},
    }


def _quarantined(engine: Engine) -> list[QuarantinedItem]:
    with Session(engine) as s:
        return list(s.exec(select(QuarantinedItem).order_by(col(QuarantinedItem.id))))


def _send(receiver: Receiver, channel: str, body: bytes, headers: dict[str, str]) -> int:
    with serve(webhook_app(receiver)) as base:
        return post(base, channel, body, headers).status_code


def test_thirty_valid_messages_beside_bad_ones_are_stored_and_the_event_done(
    engine: Engine, runtimes: list[Runtime]
) -> None:
    ms = int(now().timestamp() * 1000)
    good = [_messenger(f"m_{i}", f"question {i}", ms + i) for i in range(30)]
    bad = [
        _messenger("m_year", "from year 3170843", 10**17 * 1000),  # ValueError: year is out of range
        _messenger("m_errno", "from far away", 10**20 * 1000),  # OSError: [Errno 75]
        _messenger("m_time", "what time?", "yesterday"),
    ]
    surrogate = _messenger("m_half", "broken \ud83d emoji", ms + 99)  # stored, the half emoji replaced
    entry = {"id": PAGE, "time": 1, "messaging": [*good[:10], *bad, surrogate, *good[10:]]}
    body = json.dumps({"object": "page", "entry": [entry]}).encode()
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    assert _send(receiver, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}) == 200
    [event] = wait_processed(engine)
    assert (event.status, event.error, event.items) == ("done", None, 31)
    stored = {m.platform_id: m.text for m in messages(engine)}
    assert {f"m_{i}" for i in range(30)} <= set(stored) and len(stored) == 31
    assert stored["m_half"] == "broken \ufffd emoji"
    quarantined = _quarantined(engine)
    assert [q.external_id for q in quarantined] == ["m_year", "m_errno", "m_time"]
    assert all(q.stream == "webhook" and "time" in q.error for q in quarantined)


def test_x_dm_events_with_a_bad_timestamp_keep_their_siblings(
    engine: Engine, runtimes: list[Runtime]
) -> None:
    def dm(ident: str, stamp: str, text: str) -> dict[str, Any]:
        create = {"target": {"recipient_id": BRAND_ID}, "sender_id": "2002", "message_data": {"text": text}}
        return {"type": "message_create", "id": ident, "created_timestamp": stamp, "message_create": create}

    ms = str(int(now().timestamp() * 1000))
    payload = {
        "for_user_id": BRAND_ID,
        "direct_message_events": [
            dm("9001", ms, "hello"),
            dm("9002", str(10**20), "far future"),
            dm("9003", "soon", "no time"),
            dm("9004", ms, "half \udc00 an emoji"),
            dm("9005", ms, "bye"),
        ],
        "users": {"2002": {"screen_name": "jane", "name": "Jane"}},
    }
    body = json.dumps(payload).encode()
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    signature = x_sign(body, X_ENV["X_CONSUMER_SECRET"])
    assert _send(receiver, "x-acme", body, {"x-twitter-webhooks-signature": signature}) == 200
    [event] = wait_processed(engine)
    assert (event.status, event.error) == ("done", None)
    stored = {m.platform_id: m.text for m in messages(engine)}
    assert stored == {"9001": "hello", "9004": "half \ufffd an emoji", "9005": "bye"}
    assert [q.external_id for q in _quarantined(engine)] == ["9002", "9003"]


def test_deeply_nested_json_is_refused_before_parsing(engine: Engine, runtimes: list[Runtime]) -> None:
    body = b'{"object": "page", "entry": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    with serve(webhook_app(receiver, max_body=1024 * 1024)) as base:
        answer = post(base, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})
        assert answer.status_code == 400 and "nested" in answer.text
        unsigned = post(base, "fb-acme", body)
        assert unsigned.status_code == 401  # the signature is still checked first
        shallow = json.dumps({"object": "page", "entry": [{"id": PAGE, "messaging": [{"a": [[[[1]]]]}]}]})
        ok = post(
            base, "fb-acme", shallow.encode(), {"X-Hub-Signature-256": sign(shallow.encode(), APP_SECRET)}
        )
        assert ok.status_code == 200
    assert len(events(engine)) == 1  # only the shallow one was stored


def test_a_stored_deep_event_is_quarantined_on_replay_not_failed(
    engine: Engine, runtimes: list[Runtime]
) -> None:
    body = b'{"object": "page", "entry": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    receiver = Receiver(engine, runtimes, due=default_due, clock=now)
    with Session(engine) as s, s.begin():  # as stored before the door refused such bodies
        channel = ensure_channel(s, "fb-acme", "facebook", "acme")
        event = WebhookEvent(channel_id=channel.id or 0, received_at=now(), headers={}, body=body)
        s.add(event)
        s.flush()
        event_id = event.id or 0
    assert receiver.process(event_id) == "done"
    [bad] = _quarantined(engine)
    assert "nested deeper than 64" in bad.error
