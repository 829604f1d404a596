"""The X sandbox's test controls: rate limits, injected faults, raw payloads, its HTTP control API, replay of
real tweets and running as a process."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
import tweepy
from openapi_core import OpenAPI

from connectors.sandbox._sample import SAMPLE, dm_text, load_sample, plan, rewrite_brand
from connectors.sandbox.x.server import XSandbox
from tests.conftest import BRAND_ID, ROOT
from tests.support.x_sandbox import (  # noqa: F401 - fixtures are requested by name
    TWEET_FIELDS,
    X_TIME,
    client,
    conform,
    make_client,
    mentions,
    openapi,
    sandbox,
)


def test_rate_limit_headers_count_down_then_429_until_reset(openapi: OpenAPI) -> None:
    with XSandbox(brand_id=BRAND_ID, rate_limits={"mentions": (2, 900), "GET /2/users/me": (1, 60)}) as sb:
        client = make_client(sb.url)
        before = time.time()
        remaining = [client.get_users_mentions(BRAND_ID).headers["x-rate-limit-remaining"] for _ in range(2)]
        assert remaining == ["1", "0"]
        with pytest.raises(tweepy.TooManyRequests) as err:
            client.get_users_mentions(BRAND_ID)
        body = conform(openapi, err.value.response)
        assert body["type"] == "https://api.x.com/2/problems/rate-limit-exceeded" and body["status"] == 429
        headers = err.value.response.headers
        assert headers["x-rate-limit-limit"] == "2" and headers["x-rate-limit-remaining"] == "0"
        assert before + 899 <= int(headers["x-rate-limit-reset"]) <= time.time() + 901
        assert client.get_me().headers["x-rate-limit-limit"] == "1"  # its own window
        search = client.search_recent_tweets("x")
        assert search.headers["x-rate-limit-limit"] == "10000"  # the relaxed default
        client.session.close()
    with pytest.raises(ValueError, match="unknown endpoint"):
        XSandbox(rate_limits={"GET /2/nowhere": (1, 1)})


def test_injected_faults_fail_or_slow_the_next_matching_requests(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    sandbox.inject_fault("/2/users/", status=503, count=2)
    for _ in range(2):
        with pytest.raises(tweepy.TwitterServerError) as err:
            mentions(client)
        assert err.value.response.status_code == 503 and "x-rate-limit-reset" in err.value.response.headers
    assert mentions(client).status_code == 200
    sandbox.inject_fault("/2/tweets", status=429)
    with pytest.raises(tweepy.TooManyRequests) as limited:
        client.create_tweet(text="hello")
    conform(openapi, limited.value.response)
    reset = int(limited.value.response.headers["x-rate-limit-reset"])
    assert time.time() < reset <= time.time() + 10  # near future: clients wait seconds, not minutes
    sandbox.inject_fault("/2/dm_events", delay=1.0)
    slow = make_client(sandbox.url, timeout=(1, 0.3))
    with pytest.raises(requests.ReadTimeout):
        slow.get_direct_message_events()
    slow.session.close()
    sandbox.inject_fault("/2/", status=500, count=5)
    sandbox.inject_fault("/2/", count=0)  # removes it
    assert sandbox.faults() == [] and client.get_me().status_code == 200


def test_raw_mentions_are_served_verbatim_and_the_spec_check_catches_them(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    good = sandbox.add_mention("@AcmeCare fine", author="eve")
    wrong_type = sandbox.add_raw_mention({"author_id": 5, "text": "@AcmeCare wrong type"})
    no_text = sandbox.add_raw_mention({"id": "77", "author_id": "77"})
    undated = sandbox.add_raw_mention({"id": "78", "text": "@AcmeCare when?", "author_id": "78"}, fill=False)
    resp = client.get_users_mentions(BRAND_ID, tweet_fields=["created_at"], expansions=["author_id"])
    data = resp.json()["data"]
    assert [t["id"] for t in data] == [undated, no_text, wrong_type, good] == ["78", "77", wrong_type, good]
    assert data[2]["author_id"] == 5 and "text" not in data[1] and "created_at" not in data[0]
    assert "created_at" in data[2] and data[2]["edit_history_tweet_ids"] == [wrong_type]
    with pytest.raises(Exception, match="is not of type 'string'"):
        conform(openapi, resp)  # the contract check is not a rubber stamp


def test_http_control_api(sandbox: XSandbox, client: tweepy.Client) -> None:
    base = sandbox.url + "/_sandbox"
    uid = requests.post(f"{base}/users", json={"handle": "vip", "followers": 250_000}, timeout=5).json()["id"]
    root = requests.post(f"{base}/mentions", json={"text": "@AcmeCare hi", "author": "vip"}, timeout=5)
    assert root.status_code == 201
    reply = requests.post(
        f"{base}/mentions",
        json={"text": "@AcmeCare ??", "author": "vip", "in_reply_to": root.json()["id"]},
        timeout=5,
    ).json()
    assert sandbox.tweet(reply["id"]).conversation_id == root.json()["id"]
    raw = requests.post(f"{base}/mentions", json={"raw": {"text": "odd", "author_id": 9}}, timeout=5).json()
    stored = sandbox.tweet(raw["id"]).raw or {}
    assert (
        stored["author_id"] == 9
        and stored["edit_history_tweet_ids"] == [raw["id"]]
        and "created_at" in stored
    )
    dm = requests.post(f"{base}/dms", json={"text": "private", "sender": "vip"}, timeout=5)
    assert dm.status_code == 201
    fault = requests.post(f"{base}/faults", json={"path_prefix": "/2/users/", "status": 503}, timeout=5)
    assert fault.json()["faults"][0]["status"] == 503
    assert requests.get(f"{base}/state", timeout=5).status_code == 200  # never faulted
    with pytest.raises(tweepy.TwitterServerError):
        client.get_users_mentions(BRAND_ID)
    client.create_direct_message(participant_id=uid, text="hello vip")
    sent = requests.get(f"{base}/sent", timeout=5).json()
    assert sent["tweets"] == [] and [d["text"] for d in sent["dms"]] == ["hello vip"]
    state = requests.get(f"{base}/state", timeout=5).json()
    assert state["mentions"] == 3 and state["dms"] == 2 and state["sent_dms"] == 1 and state["faults"] == []
    assert state["requests"] == 2 and all(not r.path.startswith("/_sandbox") for r in sandbox.requests)
    assert requests.post(f"{base}/mentions", json={"author": "x"}, timeout=5).status_code == 400
    assert requests.post(f"{base}/dms", data=b"not json", timeout=5).status_code == 400


def test_replay_seeds_a_timed_backlog_then_drips_real_tweets_addressed_to_the_brand(
    sandbox: XSandbox,
) -> None:
    started = datetime.now(UTC)
    replayer = sandbox.replay(backlog=60, interval=0.05)
    deadline = time.monotonic() + 5
    while replayer.released < 64 and time.monotonic() < deadline:
        time.sleep(0.02)
    replayer.stop()
    released = replayer.released
    time.sleep(0.15)
    assert released >= 64 and replayer.released == released  # stopped means stopped
    store = sandbox.store
    tweets = list(store.tweets.values())
    assert len(tweets) + len(store.dms) == released
    assert 4 <= len(store.dms) <= released // 3  # about one in six as DMs
    backlog = sorted([t.created_at for t in tweets] + [d.created_at for d in store.dms])[:60]
    assert started - timedelta(hours=2, minutes=1) <= backlog[0] <= started - timedelta(minutes=110)
    assert started - timedelta(minutes=10) <= backlog[59] <= started  # breached, at-risk and fresh items
    assert all(t.text.startswith("@AcmeCare") or "@AcmeCare" in t.text for t in tweets)
    assert not any("@SpotifyCares" in t.text or "@AmazonHelp" in t.text for t in tweets)
    assert not any(d.text.startswith("@") and d.text.split()[0][1:].isdigit() for d in store.dms)
    replies = [t for t in tweets if t.ref("replied_to")]
    assert replies, "the sample's threads are replayed as threads"
    for t in replies:
        parent = store.tweets[t.ref("replied_to") or ""]
        assert t.conversation_id == parent.conversation_id and t.author_id == parent.author_id
        assert t.created_at > parent.created_at
    followers = sorted(u.followers for u in store.users.values() if u.id != BRAND_ID)
    assert followers[0] >= 10 and followers[-1] >= 20_000 and followers[len(followers) // 2] < 5_000


def test_sample_threads_rewrites_and_licence() -> None:
    rows = load_sample()
    assert 300 <= len(rows) <= 400 and len({r.tweet_id for r in rows}) == len(rows)
    assert all(f"@{r.brand}".lower() in r.text.lower() for r in rows)
    planned = plan(rows)
    order = [p.row.tweet_id for p in planned]
    assert sorted(order) == sorted(r.tweet_id for r in rows)
    assert all(order.index(r.reply_to) < order.index(r.tweet_id) for r in rows if r.reply_to)
    private = {p.row.thread for p in planned if p.as_dm}
    assert all(p.as_dm == (p.row.thread in private) for p in planned)  # a thread stays on one side
    assert 0.12 <= sum(p.as_dm for p in planned) / len(planned) <= 0.22
    assert rewrite_brand("@AmazonHelp where is it? cc @amazonhelp", "AmazonHelp", "AcmeCare") == (
        "@AcmeCare where is it? cc @AcmeCare"
    )
    assert rewrite_brand("no handle here", "Tesco", "AcmeCare") == "@AcmeCare no handle here"
    assert dm_text("@SpotifyCares @431325 my playlist vanished") == "my playlist vanished"
    licence = (SAMPLE.parent / "LICENSE-twcs.md").read_text()
    assert "CC BY-NC-SA 4.0" in licence and "Axelbrooke" in licence and "anonymised" in licence


def test_runs_as_a_process_until_sigterm() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "connectors.sandbox.x.server",
            "--port",
            "0",
            "--backlog",
            "5",
            "--interval",
            "60",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split(" on ")[1].split()[0]
        state = requests.get(f"{url}/_sandbox/state", timeout=5).json()
        assert state["brand"]["username"] == "AcmeCare" and state["mentions"] + state["dms"] == 5
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out


def test_an_edit_is_a_new_post_chaining_the_old_and_timelines_show_the_newest(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    base = sandbox.url + "/_sandbox"
    first = requests.post(
        f"{base}/mentions", json={"text": "@AcmeCare order 4821", "author": "ana"}, timeout=5
    )
    edit = requests.post(
        f"{base}/edits", json={"tweet_id": first.json()["id"], "text": "@AcmeCare order 4812"}, timeout=5
    )
    assert edit.status_code == 201
    resp = client.get_users_mentions(BRAND_ID, tweet_fields=["conversation_id"])
    conform(openapi, resp)  # as X's OpenAPI description says
    [tweet] = resp.json()["data"]
    assert (tweet["id"], tweet["text"]) == (edit.json()["id"], "@AcmeCare order 4812")
    assert tweet["edit_history_tweet_ids"] == [first.json()["id"], edit.json()["id"]]
    assert tweet["conversation_id"] == first.json()["id"]  # the same thread
    again = requests.post(f"{base}/edits", json={"tweet_id": first.json()["id"], "text": "x"}, timeout=5)
    assert again.status_code == 400  # only the newest version can be edited
