"""The X sandbox keeps X's contract: driven by real tweepy, answers checked against X's OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
import requests
import tweepy
from openapi_core import OpenAPI

from connectors.sandbox.x.server import XSandbox
from connectors.x.text import weighted_length
from tests.conftest import BRAND_ID
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


LONG_POST = "@AcmeCare " + " ".join(
    f"Étape {i} : j'ai rappelé le service client, sans réponse." for i in range(1, 9)
)


def test_the_sandbox_sends_a_long_post_as_x_does(
    sandbox: XSandbox, client: tweepy.Client, openapi: OpenAPI
) -> None:
    """Without ``note_tweet`` asked for, only the cut text; with it, the whole text beside it (X's schema)."""

    def lookup(tweet_id: str, fields: list[str]) -> dict[str, Any]:
        data: dict[str, Any] = conform(openapi, client.get_tweet(tweet_id, tweet_fields=fields))["data"]
        return data

    tweet_id = sandbox.add_mention(LONG_POST, author="jane")
    short = lookup(tweet_id, ["created_at"])
    assert weighted_length(short["text"]) <= 280 and short["text"] != LONG_POST
    assert LONG_POST.startswith(short["text"].removesuffix("…"))
    assert "note_tweet" not in short
    full = lookup(tweet_id, ["note_tweet"])
    assert full["note_tweet"]["text"] == LONG_POST and full["text"] == short["text"]
    a_short_one = sandbox.add_mention("@AcmeCare where is my parcel?", author="bob")
    assert "note_tweet" not in lookup(a_short_one, ["note_tweet"])
