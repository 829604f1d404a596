"""A comment whose deletion reaches the inbox before the comment itself is never stored (real parts: the
webhook receiver under uvicorn, the Meta connectors and sandbox events, SQLite).

Meta does not promise the order of its deliveries: the comment's ``add`` retried after the receiver was
down can come after its ``remove``. Before, the deletion of an id not stored yet was ignored, and the
comment the customer had deleted was stored with its words and waited for an answer.
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.meta.webhook import sign
from connectors.sandbox.meta.events import comment_edited_event, comment_event
from connectors.sandbox.meta.server import APP_SECRET, MetaSandbox
from inbox.ingest.channels import Runtime
from inbox.store.tables import QuarantinedItem
from tests.support.webhooks import events, messages, now, post, wait_processed


@pytest.mark.parametrize("late", ["add", "edited"])
def test_a_comment_deleted_before_it_was_read_is_never_stored(
    receiver_url: str, engine: Engine, meta: MetaSandbox, runtimes: list[Runtime], late: str
) -> None:
    comment = meta.add_comment("refund to FR76 3000 6000 0112 3456 7890 189", author="Jo", push=False)
    with meta.lock:
        stored = meta.store.comments[comment]
        add = comment_event(meta.store, stored)
        edited = comment_edited_event(meta.store, stored, now() + timedelta(seconds=5))
    remove = copy.deepcopy(add)
    remove["entry"][0]["changes"][0]["value"]["verb"] = "remove"
    for count, event in enumerate((remove, add if late == "add" else edited), 1):
        body = json.dumps(event).encode()
        assert post(receiver_url, "fb-acme", body, {"X-Hub-Signature-256": sign(body, APP_SECRET)}).ok
        assert [e.status for e in wait_processed(engine, count)] == ["done"] * count
    assert messages(engine) == []
    assert events(engine)[-1].body == b"{}"  # the late delivery's words are not kept either
    with Session(engine) as s:
        (remembered,) = s.exec(select(QuarantinedItem))
    assert remembered.external_id == comment and "deleted on the platform" in remembered.error
