"""A signed Meta webhook entry of another Page or Instagram account is quarantined, never stored as this
channel's (real parts: the webhook receiver under uvicorn, the Meta connectors, SQLite).

An app subscribed to several Pages has Meta post every Page's events to one address. Before, a message to
another Page arriving at ``/webhooks/fb-acme`` became a message of fb-acme's customers, whom the agents
would answer from the wrong Page.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from inbox.ingest.channels import Runtime
from inbox.store.tables import QuarantinedItem
from tests.support.webhooks import messages, now, post, wait_processed

OTHER = "555000000000999"


def _message(account: str, mid: str, text: str) -> dict[str, object]:
    event = {
        "sender": {"id": "7001"},
        "recipient": {"id": account},
        "timestamp": int(now().timestamp() * 1000),
        "message": {"mid": mid, "text": text},
    }
    return {"id": account, "time": 1, "messaging": [event]}


@pytest.mark.parametrize("name", ["fb-acme", "ig-acme"])
def test_an_entry_of_another_account_is_quarantined_and_its_sibling_stored(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], name: str
) -> None:
    ours, kind = (meta.store.page_id, "page") if name == "fb-acme" else (meta.store.ig_user_id, "instagram")
    entries = [_message(OTHER, "m_other", "for another Page"), _message(ours, "m_ours", "my parcel is lost")]
    body = json.dumps({"object": kind, "entry": entries}).encode()
    answer = post(receiver_url, name, body, {"X-Hub-Signature-256": sign(body, APP_SECRET)})
    assert answer.status_code == 200
    assert [e.status for e in wait_processed(engine)] == ["done"]
    assert [m.platform_id for m in messages(engine)] == ["m_ours"]
    with Session(engine) as s:
        (bad,) = s.exec(select(QuarantinedItem))
    assert OTHER in bad.error and bad.stream == "webhook"
