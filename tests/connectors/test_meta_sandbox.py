"""The Meta sandbox's own contract: Graph error and paging shapes, the control API, signed webhook pushes with
retries, the replayed traffic, and ``inbox sandbox meta`` as a process."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from connectors.meta.webhook import sign
from connectors.sandbox._sample import load_sample, persona
from connectors.sandbox._server import LoopbackServer, Reply, Request
from connectors.sandbox.meta.replay import ROTATION
from connectors.sandbox.meta.server import PAGE_TOKEN, WHATSAPP_TOKEN, MetaSandbox
from inbox.cli.main import main as cli_main
from tests.conftest import ROOT

PAGE = {"Authorization": f"Bearer {PAGE_TOKEN}"}
WA = {"Authorization": f"Bearer {WHATSAPP_TOKEN}"}


@pytest.fixture
def meta() -> Iterator[MetaSandbox]:
    with MetaSandbox() as sandbox:
        yield sandbox


class Receiver(LoopbackServer):
    """A webhook receiver that fails its first ``failures`` deliveries, then records them."""

    def __init__(self, failures: int = 0) -> None:
        super().__init__()
        self.failures, self.got = failures, list[Request]()
        self.route("POST", "/hook", self.hook)

    def hook(self, req: Request) -> Reply:
        if self.failures > 0:
            self.failures -= 1
            return Reply(500, {"error": "down"})
        self.got.append(req)
        return Reply(200, b"EVENT_RECEIVED", content_type="text/plain")


def wait_for(check: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not callable(check) or not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_graph_error_bodies(meta: MetaSandbox) -> None:
    missing = requests.get(f"{meta.url}/v25.0/{meta.store.page_id}", timeout=5)
    assert missing.status_code == 400 and missing.json()["error"]["code"] == 104
    wrong = requests.get(
        f"{meta.url}/v25.0/{meta.store.page_id}", headers={"Authorization": "Bearer x"}, timeout=5
    )
    error = wrong.json()["error"]
    assert (error["code"], error["type"]) == (190, "OAuthException") and error["fbtrace_id"]
    unknown = requests.get(f"{meta.url}/v25.0/123456/comments", headers=PAGE, timeout=5).json()["error"]
    assert (unknown["code"], unknown["error_subcode"], unknown["type"]) == (100, 33, "GraphMethodException")
    page_token_on_whatsapp = requests.get(
        f"{meta.url}/v25.0/{meta.store.phone_number_id}", headers=PAGE, timeout=5
    )
    assert page_token_on_whatsapp.json()["error"]["code"] == 190


def test_cursor_paging_and_comment_filters(meta: MetaSandbox) -> None:
    now = datetime.now(UTC)
    post = meta.add_post("p", created_at=now - timedelta(days=1))
    tops = [
        meta.add_comment(f"c{i}", created_at=now - timedelta(minutes=10 - i), push=False) for i in range(3)
    ]
    meta.add_comment("reply", reply_to=tops[0], created_at=now, push=False)
    url = f"{meta.url}/v25.0/{post}/comments"
    first = requests.get(url, params={"limit": 2}, headers=PAGE, timeout=5).json()
    assert [c["id"] for c in first["data"]] == tops[:2] and "next" in first["paging"]
    after = first["paging"]["cursors"]["after"]
    second = requests.get(url, params={"limit": 2, "after": after}, headers=PAGE, timeout=5).json()
    assert [c["id"] for c in second["data"]] == tops[2:] and "next" not in second["paging"]
    stream = requests.get(
        url, params={"filter": "stream", "order": "reverse_chronological"}, headers=PAGE, timeout=5
    )
    data = stream.json()["data"]
    assert [c["message"] for c in data] == ["reply", "c2", "c1", "c0"] and data[0]["parent"] == {
        "id": tops[0]
    }
    since = str(int((now - timedelta(minutes=8, seconds=30)).timestamp()))
    recent = requests.get(url, params={"filter": "stream", "since": since}, headers=PAGE, timeout=5).json()[
        "data"
    ]
    assert [c["message"] for c in recent] == ["c2", "reply"]


def test_whatsapp_contract_errors(meta: MetaSandbox) -> None:
    url = f"{meta.url}/v25.0/{meta.store.phone_number_id}/messages"
    no_product = requests.post(
        url, json={"to": "1", "type": "text", "text": {"body": "x"}}, headers=WA, timeout=5
    )
    assert no_product.json()["error"]["code"] == 100
    stranger = {
        "messaging_product": "whatsapp",
        "to": "33600000000",
        "type": "text",
        "text": {"body": "Hello"},
    }
    refused = requests.post(url, json=stranger, headers=WA, timeout=5).json()["error"]
    assert refused["code"] == 131047 and refused["error_data"]["messaging_product"] == "whatsapp"
    assert "24 hours" in refused["error_data"]["details"]
    read = {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.X"}
    assert requests.post(url, json=read, headers=WA, timeout=5).json() == {"success": True}


def test_pushes_are_signed_and_retried_until_delivered() -> None:
    with Receiver(failures=1) as hook, MetaSandbox(app_secret="s3cret") as meta:
        meta.set_webhook(f"{hook.url}/hook", platform="whatsapp")
        created = requests.post(
            f"{meta.url}/_sandbox/message",
            json={"text": "Bonjour", "platform": "whatsapp", "name": "Cam"},
            timeout=5,
        )
        assert created.status_code == 201

        def deliveries() -> list[dict[str, Any]]:
            return requests.get(f"{meta.url}/_sandbox/deliveries", timeout=5).json()["deliveries"]

        # the sandbox records the delivery after the receiver answered: wait for the record, not the push
        wait_for(lambda: bool(hook.got) and any(d["status"] == 200 for d in deliveries()))
        [delivery] = deliveries()
    assert (delivery["status"], delivery["attempts"]) == (200, 2)
    got = hook.got[0]
    assert got.headers["x-hub-signature-256"] == sign(got.body, "s3cret")
    value = json.loads(got.body)["entry"][0]["changes"][0]["value"]
    assert (
        value["messages"][0]["id"] == created.json()["id"]
        and value["contacts"][0]["profile"]["name"] == "Cam"
    )


def test_replay_seeds_every_platform_and_one_stale_whatsapp_customer(meta: MetaSandbox) -> None:
    meta.replay(backlog=10, interval=0)
    state = requests.get(f"{meta.url}/_sandbox/state", timeout=5).json()
    assert (state["posts"], state["media"], state["comments"], state["replay"]["released"]) == (1, 1, 4, 10)
    platforms = {c.platform for c in meta.store.customers.values()}
    assert platforms == {"messenger", "instagram", "whatsapp"}
    stale = [
        c
        for c in meta.store.customers.values()
        if c.last_inbound and c.last_inbound < datetime.now(UTC) - timedelta(hours=24)
    ]
    assert [c.platform for c in stale] == ["whatsapp"]


def test_replayed_texts_name_the_page_not_the_samples_brands(meta: MetaSandbox) -> None:
    """The sample's tweets were written to other companies: on the page they tag the page by its name."""
    rows = load_sample()
    meta.replay(backlog=len(rows), interval=0)
    texts = [c.text for c in meta.store.comments.values()] + [str(m["text"]) for m in meta.store.messages]
    brands = re.compile("|".join(rf"@{re.escape(b)}\b" for b in {r.brand for r in rows}), re.IGNORECASE)
    assert len(texts) > len(rows) and not [t for t in texts if brands.search(t)]
    assert any("&" in t for t in texts) and not [t for t in texts if re.search(r"&(amp|lt|gt);", t)]
    assert any("Acme Care" in t for t in texts)


def test_replayed_people_are_told_apart_by_who_they_are_not_by_their_name(meta: MetaSandbox) -> None:
    """Two of the sample's authors can get the same made-up name ("Vera H."): on Messenger they stay two
    people (two PSIDs), as on the real platform, not one customer the inbox would merge."""
    rows = load_sample()
    meta.replay(backlog=len(rows), interval=0)
    on_messenger = {rows[i].author_id for i in range(len(rows)) if ROTATION[i % len(ROTATION)] == "messenger"}
    assert len({persona(a)[1] for a in on_messenger}) < len(on_messenger)  # some share a name
    senders = {m["customer_id"] for m in meta.store.messages if m["platform"] == "messenger"}
    assert len(senders) == len(on_messenger)


def test_the_sandbox_runs_as_a_process() -> None:
    argv = [sys.executable, "-m", "connectors.sandbox.meta.server", "--port", "0", "--no-replay"]
    with Receiver() as hook:
        argv += ["--webhook-url", f"facebook={hook.url}/hook", "--app-secret", "demo-secret"]
        with subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
            try:
                assert proc.stdout is not None
                url = proc.stdout.readline().split(" on ", 1)[1].split(" ", 1)[0]
                requests.post(
                    f"{url}/_sandbox/comment", json={"text": "Hello page"}, timeout=5
                ).raise_for_status()
                wait_for(lambda: bool(hook.got))
                assert hook.got[0].headers["x-hub-signature-256"] == sign(hook.got[0].body, "demo-secret")
            finally:
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=10) == 0


def test_inbox_sandbox_meta_dispatches_to_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["sandbox", "meta", "--help-sandbox"]) == 0
    assert "--webhook-url" in capsys.readouterr().out
