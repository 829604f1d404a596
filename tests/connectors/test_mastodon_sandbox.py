"""The Mastodon sandbox keeps Mastodon's contract, checked with plain requests over loopback HTTP."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from connectors.sandbox._sample import load_sample
from connectors.sandbox.mastodon.server import TOKEN, MastodonSandbox
from tests.conftest import ROOT

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ISO_MICROS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def sandbox() -> Iterator[MastodonSandbox]:
    with MastodonSandbox("AcmeCare") as sb:
        yield sb


def get(sandbox: MastodonSandbox, path: str, **params: object) -> requests.Response:
    return requests.get(sandbox.url + path, params=params, headers=AUTH, timeout=5)  # type: ignore[arg-type]


def test_entities_have_mastodons_shape(sandbox: MastodonSandbox) -> None:
    sandbox.add_user("jane@piaille.fr", name="Jane")
    status_id = sandbox.add_mention("hello https://example.com/x #Help", author="jane@piaille.fr")
    resp = get(sandbox, "/api/v1/notifications", **{"types[]": "mention"})
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/json")
    (notification,) = resp.json()
    assert set(notification) >= {"id", "type", "created_at", "account", "status", "group_key"}
    status = notification["status"]
    assert status["id"] == status_id and ISO_MILLIS.match(status["created_at"])
    assert status["account"]["acct"] == "jane@piaille.fr" and status["account"]["username"] == "jane"
    assert [m["acct"] for m in status["mentions"]] == ["AcmeCare"]
    assert status["content"].startswith("<p>") and 'class="u-url mention"' in status["content"]
    assert '<span class="invisible">https://</span>' in status["content"]
    assert status["tags"] == [{"name": "help", "url": "https://mastodon.sandbox/tags/help"}]
    assert status["visibility"] == "public" and status["in_reply_to_id"] is None


def test_link_headers_and_id_parameters(sandbox: MastodonSandbox) -> None:
    ids = [sandbox.add_mention(f"m{i}", author="kim") for i in range(5)]
    notes = [n["id"] for n in get(sandbox, "/api/v1/notifications").json()]
    assert len(notes) == 5 and notes == sorted(notes, key=lambda i: (len(i), i), reverse=True)
    page = get(sandbox, "/api/v1/notifications", limit=2, **{"types[]": "mention"})
    assert [n["status"]["id"] for n in page.json()] == [ids[4], ids[3]]
    assert (
        page.links["next"]["url"].endswith(f"max_id={notes[1]}")
        and "types%5B%5D=mention" in page.links["next"]["url"]
    )
    assert page.links["prev"]["url"].endswith(f"min_id={notes[0]}")
    older = requests.get(page.links["next"]["url"], headers=AUTH, timeout=5).json()
    assert [n["status"]["id"] for n in older] == [ids[2], ids[1]]
    since = get(sandbox, "/api/v1/notifications", since_id=notes[4], limit=2).json()
    assert [n["id"] for n in since] == notes[:2]  # the newest above since_id
    above = get(sandbox, "/api/v1/notifications", min_id=notes[4], limit=2).json()
    assert [n["id"] for n in above] == notes[2:4]  # just above min_id
    empty = get(sandbox, "/api/v1/notifications", since_id=notes[0])
    assert empty.json() == [] and "Link" not in empty.headers


def test_rate_limit_headers_on_every_answer_and_429_when_spent() -> None:
    with MastodonSandbox(rate_limits={"api": (2, 300.0)}) as sandbox:
        first = get(sandbox, "/api/v1/accounts/verify_credentials")
        assert first.headers["X-RateLimit-Limit"] == "2" and first.headers["X-RateLimit-Remaining"] == "1"
        assert ISO_MICROS.match(first.headers["X-RateLimit-Reset"])
        get(sandbox, "/api/v1/notifications")
        spent = get(sandbox, "/api/v1/notifications")
        assert spent.status_code == 429 and spent.json() == {"error": "Too many requests"}
        assert spent.headers["X-RateLimit-Remaining"] == "0"
        reset = datetime.fromisoformat(spent.headers["X-RateLimit-Reset"].replace("Z", "+00:00"))
        assert 290 < (reset - datetime.now(UTC)).total_seconds() <= 300


def test_auth_errors_have_mastodons_body(sandbox: MastodonSandbox) -> None:
    none = requests.get(sandbox.url + "/api/v1/notifications", timeout=5)
    assert none.status_code == 401 and none.json() == {"error": "The access token is invalid"}
    wrong = requests.get(
        sandbox.url + "/api/v1/notifications", headers={"Authorization": "Bearer x"}, timeout=5
    )
    assert wrong.status_code == 401
    missing = get(sandbox, "/api/v1/statuses/123")
    assert missing.status_code == 404 and missing.json() == {"error": "Record not found"}
    instance = requests.get(sandbox.url + "/api/v2/instance", timeout=5).json()  # public
    assert instance["configuration"]["statuses"]["max_characters"] == 500


def test_posting_honours_idempotency_key_and_the_limit(sandbox: MastodonSandbox) -> None:
    target = sandbox.add_mention("help", author="lou")
    url = sandbox.url + "/api/v1/statuses"
    body = {"status": "@lou hello", "in_reply_to_id": target, "visibility": "public"}
    one = requests.post(url, json=body, headers={**AUTH, "Idempotency-Key": "abc"}, timeout=5)
    two = requests.post(url, json=body, headers={**AUTH, "Idempotency-Key": "abc"}, timeout=5)
    assert one.status_code == two.status_code == 200 and one.json()["id"] == two.json()["id"]
    form = requests.post(
        url, data={"status": "@lou again"}, headers={**AUTH, "Idempotency-Key": "def"}, timeout=5
    )
    assert form.status_code == 200 and form.json()["id"] != one.json()["id"]
    assert [s["idempotency_key"] for s in sandbox.sent] == ["abc", "def"]
    long = requests.post(url, json={"status": "x" * 501}, headers=AUTH, timeout=5)
    assert long.status_code == 422
    assert long.json() == {"error": "Validation failed: Text character limit of 500 exceeded"}
    urls = requests.post(url, json={"status": "https://example.com/" + "y" * 600}, headers=AUTH, timeout=5)
    assert urls.status_code == 200  # a URL counts 23
    lost = requests.post(url, json={"status": "hi", "in_reply_to_id": "42"}, headers=AUTH, timeout=5)
    assert lost.status_code == 404 and "does not appear to exist" in lost.json()["error"]


def test_control_api_adds_traffic_and_injects_faults(sandbox: MastodonSandbox) -> None:
    control = sandbox.url + "/_sandbox"
    mention = requests.post(control + "/mentions", json={"text": "bonjour", "author": "ana"}, timeout=5)
    dm = requests.post(control + "/dms", json={"text": "privé", "sender": "ana", "language": "fr"}, timeout=5)
    post = requests.post(control + "/posts", json={"text": "AcmeCare rocks", "author": "ben"}, timeout=5)
    assert mention.status_code == dm.status_code == post.status_code == 201
    assert requests.post(control + "/mentions", json={"author": "x"}, timeout=5).status_code == 400
    conversations = get(sandbox, "/api/v1/conversations").json()
    assert (
        conversations[0]["last_status"]["id"] == dm.json()["id"]
        and conversations[0]["accounts"][0]["acct"] == "ana"
    )
    found = get(sandbox, "/api/v2/search", q="AcmeCare", type="statuses").json()
    assert [s["id"] for s in found["statuses"]][0] == post.json()["id"]
    requests.post(control + "/faults", json={"path": "/api/v1/conversations", "status": 503}, timeout=5)
    assert get(sandbox, "/api/v1/conversations").status_code == 503
    assert get(sandbox, "/api/v1/conversations").status_code == 200
    state = requests.get(control + "/state", timeout=5).json()
    assert state["statuses"] == 3 and state["brand"]["acct"] == "AcmeCare"
    assert requests.get(control + "/sent", timeout=5).json() == {"statuses": []}


def test_replay_speaks_english_and_french_from_many_instances(sandbox: MastodonSandbox) -> None:
    sandbox.replay(backlog=60, interval=0)
    statuses = list(sandbox.store.statuses.values())
    languages = Counter(s.language for s in statuses)
    assert len(statuses) == 60 and languages["fr"] >= 10 and languages["en"] >= 30
    assert any(s.visibility == "direct" for s in statuses)
    assert any(a.domain for a in sandbox.store.accounts.values())  # remote accounts: user@domain
    listening = [s for s in statuses if sandbox.brand_id not in s.mentions]
    assert listening and all("AcmeCare" in s.text for s in listening)


def test_replayed_texts_are_as_written_not_escaped_as_x_sends_them(sandbox: MastodonSandbox) -> None:
    """The sample keeps X's escaping ("&amp;"); a toot says "&" (the sandbox escapes it in its HTML)."""
    sandbox.replay(backlog=len(load_sample()), interval=0)
    texts = [s.text for s in sandbox.store.statuses.values()]
    assert any("&" in t for t in texts) and not [t for t in texts if re.search(r"&(amp|lt|gt);", t)]


def test_main_serves_until_terminated() -> None:
    command = [
        sys.executable,
        "-m",
        "connectors.sandbox.mastodon.server",
        "--port",
        "0",
        "--backlog",
        "5",
        "--interval",
        "0",
    ]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            url = re.search(r"on (http://127\.0\.0\.1:\d+)", line)
            assert url, line
            state = requests.get(url.group(1) + "/_sandbox/state", timeout=5).json()
            assert state["statuses"] == 5 and state["replay"]["released"] == 5
        finally:
            proc.terminate()
            assert proc.wait(timeout=10) == 0
