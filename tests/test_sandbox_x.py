"""The X sandbox keeps X's contract: driven by real tweepy, answers checked against X's OpenAPI document."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
import tweepy
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from connectors._http import Rebase
from connectors.sandbox.x import XSandbox
from connectors.sandbox.x_replay import SAMPLE, dm_text, load_sample, plan, rewrite_brand
from tests.conftest import BRAND_ID, ROOT, SHARED

SPEC = SHARED / "specs" / "x-api-v2-openapi.json"
TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "lang",
    "public_metrics",
]
X_TIME = "%Y-%m-%dT%H:%M:%S.%f%z"


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    # X answers errors as application/problem+json, which openapi-core does not decode by itself.
    return OpenAPI.from_path(
        SPEC, config=Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    )


def conform(openapi: OpenAPI, resp: requests.Response) -> Any:
    """Validate a sandbox answer as if api.x.com had sent it; returns its JSON."""
    req = resp.request.copy()
    parts = urlsplit(req.url or "")
    req.url = urlunsplit(("https", "api.x.com", parts.path, parts.query, ""))
    openapi.validate_response(RequestsOpenAPIRequest(req), RequestsOpenAPIResponse(resp))
    return resp.json()


def make_client(
    url: str,
    *,
    consumer_key: str = "sandbox-consumer",
    access_token: str = f"{BRAND_ID}-tok",
    bearer: str = "sandbox-bearer",
    timeout: tuple[float, float] = (5, 30),
) -> tweepy.Client:
    client = tweepy.Client(
        bearer_token=bearer,
        consumer_key=consumer_key,
        consumer_secret="cs",
        access_token=access_token,
        access_token_secret="ts",
        return_type=requests.Response,
    )
    for host in ("https://api.twitter.com/", "https://api.x.com/"):
        client.session.mount(host, Rebase(url, timeout=timeout))
    return client


@pytest.fixture
def sandbox() -> Iterator[XSandbox]:
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sb:
        yield sb


@pytest.fixture
def client(sandbox: XSandbox) -> Iterator[tweepy.Client]:
    c = make_client(sandbox.url)
    yield c
    c.session.close()


def mentions(client: tweepy.Client, **kwargs: Any) -> requests.Response:
    return client.get_users_mentions(
        BRAND_ID,
        expansions=["author_id", "referenced_tweets.id"],
        tweet_fields=TWEET_FIELDS,
        user_fields=["username", "public_metrics"],
        **kwargs,
    )


def test_mentions_page_newest_first_with_next_token_until_the_last_page(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    sandbox.add_user("jane", followers=1200)
    root = sandbox.add_mention("@AcmeCare my parcel is lost", author="jane")
    reply = sandbox.add_mention("@AcmeCare any news?", author="jane", in_reply_to=root)
    deeper = sandbox.add_mention("@AcmeCare hello??", author="bob", in_reply_to=reply)
    quote = sandbox.add_mention("@AcmeCare look at this", author="bob", quote_of=root)
    rest = [sandbox.add_mention(f"@AcmeCare q{i}", author="cy") for i in range(3)]
    ids = [root, reply, deeper, quote, *rest]
    pages = [conform(openapi, r) for r in tweepy.Paginator(mentions, client, max_results=5)]
    assert [len(p["data"]) for p in pages] == [5, 2]
    assert "next_token" in pages[0]["meta"] and "next_token" not in pages[1]["meta"]
    got = [t["id"] for p in pages for t in p["data"]]
    assert got == ids[::-1] and [int(i) for i in got] == sorted(map(int, got), reverse=True)
    assert pages[0]["meta"]["newest_id"] == rest[-1] and pages[1]["meta"]["oldest_id"] == root
    by_id = {t["id"]: t for p in pages for t in p["data"]}
    assert by_id[deeper]["conversation_id"] == root and by_id[deeper]["referenced_tweets"] == [
        {"type": "replied_to", "id": reply}
    ]
    assert by_id[deeper]["in_reply_to_user_id"] == sandbox.user_id("jane")
    assert by_id[quote]["referenced_tweets"] == [{"type": "quoted", "id": root}]
    assert by_id[quote]["conversation_id"] == quote
    assert by_id[root]["edit_history_tweet_ids"] == [root] and by_id[root]["author_id"] == sandbox.user_id(
        "jane"
    )
    datetime.strptime(by_id[root]["created_at"], X_TIME)  # milliseconds, as tweepy parses them
    users = {u["username"]: u for p in pages for u in p["includes"]["users"]}
    assert users["jane"]["public_metrics"]["followers_count"] == 1200
    assert pages[1]["includes"]["tweets"][0]["id"] == root  # referenced_tweets.id expansion


def test_since_id_and_the_empty_page(sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI) -> None:
    old = [sandbox.add_mention(f"@AcmeCare old {i}", author="ann") for i in range(3)]
    new = [sandbox.add_mention(f"@AcmeCare new {i}", author="ann") for i in range(2)]
    page = conform(openapi, mentions(client, since_id=old[-1]))
    assert [t["id"] for t in page["data"]] == new[::-1]
    assert conform(openapi, mentions(client, until_id=new[0]))["meta"]["result_count"] == 3
    empty = conform(openapi, client.get_users_mentions(BRAND_ID, since_id=new[-1]))
    assert empty == {"meta": {"result_count": 0}}  # no "data" key at all
    with pytest.raises(tweepy.BadRequest) as err:
        client.get_users_mentions(BRAND_ID, max_results=4)
    body = conform(openapi, err.value.response)
    assert body["type"] == "https://api.x.com/2/problems/invalid-request"
    assert body["errors"][0]["parameters"] == {"max_results": ["4"]}


def test_fields_follow_the_request_and_post_fields_is_accepted(sandbox: XSandbox, openapi: OpenAPI) -> None:
    sandbox.add_mention("@AcmeCare bare", author="ann")
    url, auth = sandbox.url + f"/2/users/{BRAND_ID}/mentions", {"Authorization": "Bearer sandbox-bearer"}
    bare = conform(openapi, requests.get(url, headers=auth, timeout=5))["data"][0]
    assert set(bare) == {"id", "text", "edit_history_tweet_ids"}
    post = conform(
        openapi, requests.get(url, params={"post.fields": "created_at,lang"}, headers=auth, timeout=5)
    )
    assert set(post["data"][0]) == {"id", "text", "edit_history_tweet_ids", "created_at", "lang"}
    expanded = requests.get(url, params={"expansions": "author_id"}, headers=auth, timeout=5).json()
    assert "author_id" in expanded["data"][0] and expanded["includes"]["users"][0]["username"] == "ann"
    for params in ({"tweet.fields": "colour"}, {"since": "1"}, {"pagination_token": "nope"}):
        bad = requests.get(url, params=params, headers=auth, timeout=5)
        assert bad.status_code == 400 and conform(openapi, bad)["title"] == "Invalid Request", params


def test_dm_events_need_user_context_and_page_newest_first(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    first = sandbox.add_dm("my bill is wrong", sender="kim")
    ours = sandbox.add_dm("Hi Kim, which invoice?", sender="AcmeCare", recipient="kim")
    last = sandbox.add_dm("the one from May", sender="kim")
    kwargs: dict[str, Any] = {
        "dm_event_fields": ["created_at", "sender_id", "dm_conversation_id"],
        "expansions": ["sender_id", "participant_ids"],
        "user_fields": ["username", "public_metrics"],
        "user_auth": True,
    }
    page1 = conform(openapi, client.get_direct_message_events(max_results=2, **kwargs))
    token = page1["meta"]["next_token"]
    assert len(token) >= 16 and [e["id"] for e in page1["data"]] == [last, ours]
    page2 = conform(
        openapi, client.get_direct_message_events(max_results=2, pagination_token=token, **kwargs)
    )
    assert [e["id"] for e in page2["data"]] == [first] and "next_token" not in page2["meta"]
    kim = sandbox.user_id("kim")
    assert kim is not None
    low, high = sorted([kim, BRAND_ID], key=int)
    assert {e["dm_conversation_id"] for e in page1["data"]} == {f"{low}-{high}"}
    assert page1["data"][1]["sender_id"] == BRAND_ID and page1["data"][0]["event_type"] == "MessageCreate"
    assert {u["username"] for u in page1["includes"]["users"]} == {"kim", "AcmeCare"}
    with pytest.raises(tweepy.Forbidden) as err:  # app-only bearer tokens may not read DMs
        client.get_direct_message_events(user_auth=False)
    assert conform(openapi, err.value.response)["type"].endswith("/unsupported-authentication")
    with pytest.raises(tweepy.BadRequest):  # there is no since_id on DM events
        client.request("GET", "/2/dm_events", params={"since_id": first}, user_auth=True)


def test_users_me_and_refused_credentials(sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI) -> None:
    me = conform(openapi, client.get_me(user_fields=["public_metrics"]))
    assert me["data"]["id"] == BRAND_ID and me["data"]["username"] == "AcmeCare"
    assert me["data"]["public_metrics"]["followers_count"] > 0
    with pytest.raises(tweepy.Forbidden):
        client.get_me(user_auth=False)  # an app has no "me"
    bad_clients = [
        make_client(sandbox.url, consumer_key="someone-else"),
        make_client(sandbox.url, access_token="42-tok"),  # a token of another user
        make_client(sandbox.url, bearer="wrong"),
    ]
    for bad in bad_clients[:2]:
        with pytest.raises(tweepy.Unauthorized) as err:
            bad.get_me()
        assert conform(openapi, err.value.response)["title"] == "Unauthorized"
    with pytest.raises(tweepy.Unauthorized):
        bad_clients[2].get_users_mentions(BRAND_ID)
    assert bad_clients[2].get_me().status_code == 200  # its OAuth 1.0a credentials are still good
    for bad in bad_clients:
        bad.session.close()
    assert requests.get(sandbox.url + "/2/users/me", timeout=5).status_code == 401


def test_create_tweet_replies_in_the_thread_and_is_recorded(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    root = sandbox.add_mention("@AcmeCare my order is late", author="lou")
    follow = sandbox.add_mention("@AcmeCare still nothing", author="lou", in_reply_to=root)
    resp = client.create_tweet(text="@lou Sorry! Could you DM us?", in_reply_to_tweet_id=follow)
    assert resp.status_code == 201
    data = conform(openapi, resp)["data"]
    assert data == {
        "id": data["id"],
        "text": "@lou Sorry! Could you DM us?",
        "edit_history_tweet_ids": [data["id"]],
    }
    assert int(data["id"]) > int(follow)
    [sent] = sandbox.sent_tweets
    assert sent["in_reply_to"] == follow and sent["conversation_id"] == root and sent["id"] == data["id"]
    assert sandbox.tweet(data["id"]).author_id == BRAND_ID
    lookup = conform(openapi, client.get_tweet(data["id"], tweet_fields=["conversation_id", "author_id"]))
    assert lookup["data"]["conversation_id"] == root
    with pytest.raises(tweepy.Forbidden) as dup:
        client.create_tweet(text="@lou Sorry! Could you DM us?", in_reply_to_tweet_id=root)
    assert "duplicate" in conform(openapi, dup.value.response)["detail"]
    stranger = sandbox.add_mention("acme phones are bad", author="max")
    sandbox.tweet(stranger).mentions.clear()  # a search hit that never named the brand
    with pytest.raises(tweepy.Forbidden, match="not been mentioned"):
        client.create_tweet(text="@max we can help", in_reply_to_tweet_id=stranger)
    with pytest.raises(tweepy.Forbidden, match="too long"):
        client.create_tweet(text="x" * 281)
    with pytest.raises(tweepy.BadRequest):
        client.create_tweet(text="hi", in_reply_to_tweet_id="999")
    assert len(sandbox.sent_tweets) == 1


def test_create_dm_returns_the_one_to_one_conversation(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    sandbox.add_dm("my account is locked", sender="kim")
    kim = sandbox.user_id("kim")
    assert kim is not None
    resp = client.create_direct_message(participant_id=kim, text="Hi Kim, unlocked now.")
    assert resp.status_code == 201
    data = conform(openapi, resp)["data"]
    low, high = sorted([kim, BRAND_ID], key=int)
    assert data["dm_conversation_id"] == f"{low}-{high}"
    assert sandbox.sent_dms == [
        {
            "id": data["dm_event_id"],
            "text": "Hi Kim, unlocked now.",
            "recipient_id": kim,
            "recipient": "kim",
            "dm_conversation_id": f"{low}-{high}",
            "created_at": sandbox.sent_dms[0]["created_at"],
        }
    ]
    events = client.get_direct_message_events(dm_event_fields=["sender_id"]).json()["data"]
    assert events[0] == {
        "id": data["dm_event_id"],
        "event_type": "MessageCreate",
        "text": "Hi Kim, unlocked now.",
        "sender_id": BRAND_ID,
    }
    with pytest.raises(tweepy.BadRequest):
        client.create_direct_message(participant_id="12345", text="nobody")
    with pytest.raises(tweepy.Forbidden):
        client.create_direct_message(participant_id=kim, text="app-only", user_auth=False)


def test_search_recent_matches_terms_pages_with_next_token_and_drops_retweets(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    hits = [sandbox.add_mention(f"my #AcmePhone battery died {i}", author="zoe") for i in range(12)]
    sandbox.add_mention("RT my #AcmePhone battery died", author="yan", retweet_of=hits[0])
    sandbox.add_mention("battery of my car died", author="yan")
    sandbox.add_mention("@AcmeCare is the shop open?", author="yan")
    search = client.search_recent_tweets
    pages = [conform(openapi, r) for r in tweepy.Paginator(search, "#acmephone battery", max_results=10)]
    assert [t["id"] for p in pages for t in p["data"]] == hits[::-1]
    calls = [r for r in sandbox.requests if r.path == "/2/tweets/search/recent"]
    assert any("next_token" in r.query for r in calls)
    newer = conform(openapi, search("#AcmePhone", since_id=hits[9], max_results=10))
    assert [t["id"] for t in newer["data"]] == hits[:9:-1]
    assert [t["text"] for t in search("@AcmeCare").json()["data"]] == ["@AcmeCare is the shop open?"]
    assert search("from:zoe -battery").json()["meta"]["result_count"] == 0
    assert search("car OR shop").json()["meta"]["result_count"] == 2
    with pytest.raises(tweepy.BadRequest) as err:
        search("battery", max_results=5)
    assert conform(openapi, err.value.response)["errors"][0]["parameters"] == {"max_results": ["5"]}


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
        [sys.executable, "-m", "connectors.sandbox.x", "--port", "0", "--backlog", "5", "--interval", "60"],
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
