"""The Bluesky connector against the loopback PDS sandbox, through real requests over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from connectors.base import AuthFailed, RateLimited, Rejected, Unavailable
from connectors.bluesky.connector import BlueskyConnector
from connectors.bluesky.parse import (
    bluesky_length,
    post_time,
    text_problem,
)
from connectors.bluesky.send import reply
from connectors.sandbox.bluesky.server import DEFAULT_HANDLE, DEFAULT_PASSWORD, BlueskySandbox

BRAND = "@" + DEFAULT_HANDLE


@pytest.fixture
def bsky() -> Iterator[BlueskySandbox]:
    with BlueskySandbox() as sandbox:
        yield sandbox


def connector(bsky: BlueskySandbox, **kwargs: object) -> BlueskyConnector:
    options: dict[str, object] = {
        "handle": DEFAULT_HANDLE,
        "app_password": DEFAULT_PASSWORD,
        "base_url": bsky.url,
        "page_size": 3,
        "listening": ["parcel"],
    }
    options.update(kwargs)
    return BlueskyConnector("bsky-acme", **options)  # type: ignore[arg-type]


def read_all(
    conn: BlueskyConnector, stream: str, cursor: str | None = None
) -> tuple[list[str], str | None, int]:
    texts, pages = [], 0
    while True:
        batch = conn.fetch(stream, cursor)
        texts += [i.text for i in batch.items]
        cursor, pages = batch.next_cursor, pages + 1
        if not batch.more:
            return texts, cursor, pages


def calls(bsky: BlueskySandbox, nsid: str) -> list[dict[str, list[str]]]:
    return [r.query for r in bsky.requests if r.path == f"/xrpc/{nsid}"]


@pytest.mark.parametrize(
    ("text", "graphemes"),
    [("abc", 3), ("👨‍👩‍👧‍👦", 1), ("🇫🇷🇬🇧", 2), ("e\u0301te\u0301", 3), ("👍🏽 ok", 4), ("", 0)],
)
def test_length_counts_grapheme_clusters(text: str, graphemes: int) -> None:
    assert bluesky_length(text) == graphemes


def test_text_limits_are_300_graphemes_and_3000_bytes() -> None:
    assert text_problem("👨‍👩‍👧‍👦" * 100) is None  # 100 graphemes, 2,500 bytes
    assert "300" in str(text_problem("a" * 301))
    assert "3000 bytes" in str(text_problem("👨‍👩‍👧‍👦" * 121))  # 121 graphemes but 3,025 bytes
    assert text_problem("  ") is not None


def test_notifications_page_back_to_the_watermark(bsky: BlueskySandbox) -> None:
    first = [bsky.add_post(f"{BRAND} question {i}", author="jane.bsky.social") for i in range(7)]
    conn = connector(bsky)
    texts, cursor, pages = read_all(conn, "notifications")
    assert sorted(texts) == sorted(f"{BRAND} question {i}" for i in range(7)) and pages == 3
    listed = calls(bsky, "app.bsky.notification.listNotifications")
    assert listed[0]["reasons"] == ["mention", "reply", "quote"] and "cursor" in listed[1]
    assert read_all(conn, "notifications", cursor)[0] == []  # nothing new: nothing read twice
    bsky.add_post(f"{BRAND} one more", author="kim.bsky.social")
    assert read_all(conn, "notifications", cursor)[0] == [f"{BRAND} one more"]
    assert len(first) == 7


def test_mentions_replies_and_quotes_with_threads(bsky: BlueskySandbox) -> None:
    root = bsky.add_post(f"{BRAND} my order is late", author="jane.bsky.social")
    conn = connector(bsky)
    ours = conn.reply_public(root, "Sorry Jane, checking now.", idempotency_key="r1").external_id
    follow = bsky.add_post("still nothing", author="jane.bsky.social", reply_to=ours, mention_brand=False)
    quote = bsky.add_post("look at this answer", author="max.bsky.social", quote_of=ours, mention_brand=False)
    bsky.add_post("no mention here", author="max.bsky.social", mention_brand=False)
    items = {i.external_id: i for i in conn.fetch("notifications", None).items}
    assert set(items) == {root, follow, quote}
    assert (items[root].kind, items[follow].kind, items[quote].kind) == ("mention", "reply", "mention")
    assert items[follow].thread_key == root and items[follow].reply_to == ours
    assert items[quote].thread_key == quote and items[root].author.handle == "jane.bsky.social"
    assert all(i.visibility == "public" and i.direction == "in" for i in items.values())


def test_a_reply_carries_root_and_parent_strong_refs(bsky: BlueskySandbox) -> None:
    root = bsky.add_post(f"{BRAND} help", author="jane.bsky.social")
    child = bsky.add_post(f"{BRAND} more details", author="jane.bsky.social", reply_to=root)
    sent = connector(bsky).reply_public(child, "On it!", idempotency_key="r2")
    record = bsky.sent_posts[0]["record"]
    posts = bsky.store.posts
    assert record["reply"]["parent"] == {"uri": child, "cid": posts[child].cid}
    assert record["reply"]["root"] == {"uri": root, "cid": posts[root].cid}
    assert sent.external_id == bsky.sent_posts[0]["uri"] and record["text"] == "On it!"


def test_reply_length_is_checked_before_any_call(bsky: BlueskySandbox) -> None:
    post = bsky.add_post(f"{BRAND} hello", author="jane.bsky.social")
    conn = connector(bsky)
    with pytest.raises(Rejected, match="300"):
        conn.reply_public(post, "a" * 301, idempotency_key="long")
    conn.reply_public(post, "👨‍👩‍👧‍👦" * 100, idempotency_key="ok")  # 100 graphemes, 2,500 bytes: allowed
    assert len([r for r in bsky.requests if r.path.endswith("createRecord")]) == 1


def test_a_reply_to_a_deleted_post_is_rejected(bsky: BlueskySandbox) -> None:
    gone = f"at://{bsky.add_account('jane.bsky.social')}/app.bsky.feed.post/3kabcdefghij2"
    with pytest.raises(Rejected, match="gone"):
        connector(bsky).reply_public(gone, "hello", idempotency_key="k")


def test_dms_are_read_per_convo_and_own_messages_are_outbound(bsky: BlueskySandbox) -> None:
    bsky.add_account("lea.bsky.social", "Léa Martin")
    bsky.add_dm("Bonjour, une question", sender="lea.bsky.social")
    bsky.add_dm("Bonjour Léa, oui ?", sender=DEFAULT_HANDLE, to="lea.bsky.social")
    bsky.add_dm("Hi, refund please", sender="sam.bsky.social")
    conn = connector(bsky)
    texts, cursor, _ = read_all(conn, "dms")
    assert sorted(texts) == ["Bonjour Léa, oui ?", "Bonjour, une question", "Hi, refund please"]
    items = conn.fetch("dms", None).items
    lea = [i for i in items if i.thread_key == items[0].thread_key]
    assert {(i.direction, i.author.handle) for i in items if i.author.handle == "lea.bsky.social"} == {
        ("in", "lea.bsky.social")
    }
    assert any(i.direction == "out" for i in items) and all(i.kind == "dm" for i in lea)
    assert all(
        r.headers.get("atproto-proxy") == "did:web:api.bsky.chat#bsky_chat"
        for r in bsky.requests
        if "chat." in r.path
    )
    bsky.add_dm("encore une chose", sender="lea.bsky.social")
    assert read_all(conn, "dms", cursor)[0] == ["encore une chose"]


def test_send_private_uses_the_convo_and_is_not_sent_twice(bsky: BlueskySandbox) -> None:
    did = bsky.add_account("lea.bsky.social")
    conn = connector(bsky)
    sent = conn.send_private(did, "Bonjour Léa", idempotency_key="d1")
    again = conn.send_private(did, "Bonjour Léa", idempotency_key="d1")
    assert sent == again and sent.thread_key and [m["text"] for m in bsky.sent_messages] == ["Bonjour Léa"]
    with pytest.raises(Rejected, match="1000"):
        conn.send_private(did, "a" * 1001, idempotency_key="d2")


def test_a_recipient_with_dms_closed_is_rejected_clearly(bsky: BlueskySandbox) -> None:
    did = bsky.add_account("closed.bsky.social", dms_open=False)
    with pytest.raises(Rejected, match="MessagesDisabled"):
        connector(bsky).send_private(did, "hello", idempotency_key="k")


def test_an_app_password_without_dm_access_fails_only_the_dm_stream() -> None:
    with BlueskySandbox(dm_access=False) as bsky:
        bsky.add_post(f"{BRAND} public question", author="jane.bsky.social")
        conn = connector(bsky)
        with pytest.raises(AuthFailed, match="direct-message access"):
            conn.fetch("dms", None)
        assert [i.text for i in conn.fetch("notifications", None).items] == [f"{BRAND} public question"]
        assert "dms" not in connector(bsky, dms=False).streams


def test_search_finds_keywords_without_the_brands_own_posts(bsky: BlueskySandbox) -> None:
    for i in range(4):
        bsky.add_post(f"my parcel {i} is lost", author="max.bsky.social", mention_brand=False)
    bsky.add_post("parcel tracking tips from us", author=DEFAULT_HANDLE, mention_brand=False)
    bsky.add_post("nothing relevant", author="max.bsky.social", mention_brand=False)
    conn = connector(bsky)
    assert conn.streams == ("notifications", "dms", "search:parcel")
    texts, cursor, pages = read_all(conn, "search:parcel")
    assert sorted(texts) == [f"my parcel {i} is lost" for i in range(4)] and pages == 2
    assert all(
        q["q"] == ["parcel"] and q["sort"] == ["latest"] for q in calls(bsky, "app.bsky.feed.searchPosts")
    )
    bsky.add_post("another parcel story", author="zoe.bsky.social", mention_brand=False)
    batch = conn.fetch("search:parcel", cursor)
    assert [(i.text, i.kind) for i in batch.items] == [("another parcel story", "listening")]
    with pytest.raises(ValueError):
        conn.fetch("search:unknown", None)


def test_malformed_notifications_are_quarantined_and_the_rest_kept(bsky: BlueskySandbox) -> None:
    good = bsky.add_post(f"{BRAND} fine", author="jane.bsky.social")
    bad_author = {"did": 7, "handle": "x"}
    now = datetime.now(UTC).isoformat()
    bsky.add_raw_notification(
        {
            "uri": "at://did:plc:x/app.bsky.feed.post/1",
            "cid": "bafy",
            "reason": "mention",
            "author": bad_author,
            "record": {"text": "hi", "createdAt": now},
            "indexedAt": now,
        }
    )
    bsky.add_raw_notification(
        {
            "uri": "at://did:plc:y/app.bsky.feed.post/2",
            "cid": "bafy",
            "reason": "reply",
            "author": {"did": "did:plc:y"},
            "record": {"createdAt": now},
            "indexedAt": now,
        }
    )
    batch = connector(bsky, page_size=10).fetch("notifications", None)
    assert [i.external_id for i in batch.items] == [good]
    assert sorted(m.error for m in batch.malformed) == [
        "field 'did' should be a non-empty string, got 7",
        "field 'text' should be a string, got None",
    ]


def test_expired_access_token_is_refreshed_not_logged_in_again(bsky: BlueskySandbox) -> None:
    conn = connector(bsky)
    conn.whoami()
    bsky.expire_sessions()
    assert conn.whoami().handle == DEFAULT_HANDLE
    assert bsky.state()["sessions"] == {"created": 1, "refreshed": 1}


def test_wrong_app_password_is_auth_failed_naming_the_channel(bsky: BlueskySandbox) -> None:
    with pytest.raises(AuthFailed) as err:
        connector(bsky, app_password="wrong-pass-word-0000").fetch("notifications", None)
    assert "'bsky-acme'" in str(err.value) and "app_password" in str(err.value)
    assert "wrong-pass" not in str(err.value)


def test_429_is_rate_limited_until_the_reset_header(bsky: BlueskySandbox) -> None:
    conn = connector(bsky)
    conn.whoami()
    bsky.inject_fault("/xrpc/app.bsky.notification", status=429)
    with pytest.raises(RateLimited) as err:
        conn.fetch("notifications", None)
    assert err.value.retry_after is not None and 1 <= err.value.retry_after <= 6


def test_a_spent_window_answers_429_with_ratelimit_headers() -> None:
    with BlueskySandbox(rate_limit=(3, 300)) as bsky:
        conn = connector(bsky)
        conn.fetch("notifications", None)  # createSession + listNotifications
        conn.whoami()  # getProfile: the third call
        with pytest.raises(RateLimited) as err:
            conn.fetch("notifications", None)
        assert err.value.retry_after is not None and 200 < err.value.retry_after <= 300


def test_server_errors_are_unavailable(bsky: BlueskySandbox) -> None:
    bsky.inject_fault("/xrpc/", status=503)
    with pytest.raises(Unavailable):
        connector(bsky).fetch("notifications", None)


def test_find_delivery_finds_what_was_sent(bsky: BlueskySandbox) -> None:
    post = bsky.add_post(f"{BRAND} hello", author="jane.bsky.social")
    did = bsky.add_account("lea.bsky.social")
    conn = connector(bsky)
    start = datetime.now(UTC)
    assert conn.find_delivery("public", post, None, "Hi Jane", start) is None
    public = conn.reply_public(post, "Hi Jane", idempotency_key="p")
    private = conn.send_private(did, "Hi Léa", idempotency_key="q")
    assert conn.find_delivery("public", post, None, "Hi Jane", start) == public
    assert conn.find_delivery("private", None, did, "Hi Léa", start.replace(tzinfo=None)) == private
    assert conn.find_delivery("private", None, did, "Other text", start) is None


def test_mentions_and_links_in_a_reply_become_facets_with_byte_offsets(bsky: BlueskySandbox) -> None:
    jane = bsky.add_account("jane.bsky.social")
    post = bsky.add_post(f"{BRAND} où est mon colis ?", author="jane.bsky.social")
    text = "Désolé @jane.bsky.social, suivi : https://acme.example/t?id=1. Merci @ghost.bsky.social"
    connector(bsky).reply_public(post, text, idempotency_key="f")
    facets = bsky.sent_posts[0]["record"]["facets"]
    raw = text.encode()
    spans = [
        (raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(), f["features"][0]) for f in facets
    ]
    assert spans == [
        ("@jane.bsky.social", {"$type": "app.bsky.richtext.facet#mention", "did": jane}),
        (
            "https://acme.example/t?id=1",
            {"$type": "app.bsky.richtext.facet#link", "uri": "https://acme.example/t?id=1"},
        ),
    ]  # the unknown @ghost handle stays plain text


def test_a_thread_closed_to_the_brand_is_refused_before_posting(bsky: BlueskySandbox) -> None:
    post = bsky.add_post(f"{BRAND} no replies please", author="jane.bsky.social", replies_closed=True)
    with pytest.raises(Rejected, match="limits who can reply"):
        connector(bsky).reply_public(post, "Hello", idempotency_key="gated")
    assert bsky.sent_posts == []


def test_find_delivery_reaches_past_the_traffic_that_followed(bsky: BlueskySandbox) -> None:
    """A reply posted five minutes ago, then 250 other brand posts; a DM, then 250 messages in that
    conversation: the look pages back through the attempt's time window, not among the latest 100."""
    post = bsky.add_post(f"{BRAND} hello", author="jane.bsky.social")
    lea = bsky.add_account("lea.bsky.social")
    conn = connector(bsky)
    attempt = datetime.now(UTC) - timedelta(minutes=5)  # the rkey window then lies wholly in the past
    public = reply(conn.xrpc, post, "Hi Jane", "lost-1", now=attempt)
    private = conn.send_private(lea, "Hi Léa", idempotency_key="lost-2")
    for i in range(250):
        bsky.add_post(f"Brand news {i}", author=DEFAULT_HANDLE, mention_brand=False)
        bsky.add_dm(f"and another thing {i}", sender="lea.bsky.social")
    assert conn.find_delivery("public", post, None, "Hi Jane", attempt) == public
    assert conn.find_delivery("private", None, lea, "Hi Léa", attempt) == private
    pages = calls(bsky, "com.atproto.repo.listRecords")
    assert len(pages) >= 3 and all(q.get("limit") == ["100"] for q in pages)


def test_find_delivery_stops_at_the_window_and_finds_nothing_older(bsky: BlueskySandbox) -> None:
    """The same words posted before the window are not this attempt's reply, and the look stops paging
    once it reaches records older than the window."""
    post = bsky.add_post(f"{BRAND} hello", author="jane.bsky.social")
    conn = connector(bsky)
    reply(conn.xrpc, post, "Same words", "old", now=datetime.now(UTC) - timedelta(minutes=5))
    for i in range(250):
        bsky.add_post(f"Brand news {i}", author=DEFAULT_HANDLE, mention_brand=False)
    before = len(calls(bsky, "com.atproto.repo.listRecords"))
    later = datetime.now(UTC) + timedelta(minutes=10)
    assert conn.find_delivery("public", post, None, "Same words", later) is None
    assert len(calls(bsky, "com.atproto.repo.listRecords")) - before == 1


def test_a_post_is_timed_no_later_than_the_network_saw_it() -> None:
    seen = "2026-03-01T10:00:00.000Z"
    assert post_time("2031-01-01T00:00:00Z", seen) == datetime(2026, 3, 1, 10, tzinfo=UTC)  # set ahead
    assert post_time("2026-03-01T09:59:58Z", seen) == datetime(2026, 3, 1, 9, 59, 58, tzinfo=UTC)
    assert post_time(None, seen) == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert post_time("2026-03-01T09:00:00Z", None) == datetime(2026, 3, 1, 9, tzinfo=UTC)
