"""The Mastodon connector against the Mastodon sandbox, through real requests over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from connectors.base import (
    AuthFailed,
    Batch,
    Connector,
    ConnectorSpec,
    RateLimited,
    Rejected,
    Unavailable,
)
from connectors.mastodon.connector import MastodonConnector, build
from connectors.sandbox.mastodon.server import TOKEN, MastodonSandbox


@pytest.fixture
def sandbox() -> Iterator[MastodonSandbox]:
    with MastodonSandbox("AcmeCare") as sb:
        yield sb


def connector(sandbox: MastodonSandbox, **kwargs: object) -> MastodonConnector:
    args: dict[str, object] = {
        "base_url": sandbox.url,
        "access_token": sandbox.token,
        "account": "AcmeCare",
        "page_size": 5,
    }
    args.update(kwargs)
    return MastodonConnector("mastodon-acme", **args)  # type: ignore[arg-type]


def sweep(conn: MastodonConnector, stream: str, cursor: str | None) -> tuple[list[Batch], str | None]:
    """Fetch pages until the stream says nothing more is waiting."""
    pages = []
    for _ in range(20):
        batch = conn.fetch(stream, cursor)
        pages.append(batch)
        cursor = batch.next_cursor
        if not batch.more:
            break
    return pages, cursor


def calls(sandbox: MastodonSandbox, path: str) -> list[dict[str, list[str]]]:
    return [r.query for r in sandbox.requests if r.path == path]


def test_build_needs_the_instance_url() -> None:
    spec = ConnectorSpec("m", "mastodon", "AcmeCare", {"access_token": "t"}, base_url=None)
    with pytest.raises(ValueError, match="needs base_url"):
        build(spec)


def test_build_gives_a_connector_with_a_search_stream_per_query(sandbox: MastodonSandbox) -> None:
    spec = ConnectorSpec(
        "mastodon-acme",
        "mastodon",
        "@AcmeCare",
        {"access_token": sandbox.token},
        base_url=sandbox.url,
        listening=("AcmeCare", "#acme"),
        options={"reply_visibility": "public", "timeout_seconds": 3},
    )
    conn: Connector = build(spec)
    assert conn.streams == ("mentions", "dms", "search:AcmeCare", "search:#acme")
    assert conn.whoami().handle == "AcmeCare"
    with pytest.raises(ValueError, match="reply_visibility"):
        build(replace(spec, options={"reply_visibility": "direct"}))


def test_whoami_checks_the_token_belongs_to_the_configured_account(sandbox: MastodonSandbox) -> None:
    me = connector(sandbox).whoami()
    assert me.platform_id == sandbox.brand_id and me.handle == "AcmeCare"
    with pytest.raises(AuthFailed, match="mastodon-acme.*belongs to @AcmeCare, not to @OtherBrand"):
        connector(sandbox, account="OtherBrand").whoami()


def test_mentions_page_through_link_headers_then_poll_from_since_id(sandbox: MastodonSandbox) -> None:
    first = [sandbox.add_mention(f"question {i}", author="jane") for i in range(12)]
    conn = connector(sandbox)
    pages, cursor = sweep(conn, "mentions", None)
    assert [len(p.items) for p in pages] == [5, 5, 2]
    assert sorted(i.external_id for p in pages for i in p.items) == sorted(first)
    followed = calls(sandbox, "/api/v1/notifications")
    assert followed[1]["max_id"] and followed[1]["types[]"] == ["mention", "quote"]  # from rel="next"
    later = [sandbox.add_mention("one more", author="jane") for _ in range(2)]
    pages, cursor = sweep(conn, "mentions", cursor)
    assert [i.external_id for p in pages for i in p.items] == later  # oldest first
    last_call = calls(sandbox, "/api/v1/notifications")[-1]
    assert last_call["since_id"] and last_call["include_filtered"] == ["true"]
    pages, _ = sweep(conn, "mentions", cursor)
    assert pages[0].items == [] and not pages[0].more


def test_a_sweep_resumes_from_its_cursor_after_a_stop(sandbox: MastodonSandbox) -> None:
    ids = [sandbox.add_mention(f"m{i}", author="kim") for i in range(7)]
    conn = connector(sandbox)
    first = conn.fetch("mentions", None)
    assert first.more and json.loads(first.next_cursor or "{}")["next"]["max_id"]
    newer = sandbox.add_mention("arrived mid-sweep", author="kim")
    rest, cursor = sweep(connector(sandbox), "mentions", first.next_cursor)  # a new process
    assert sorted(i.external_id for b in [first, *rest] for i in b.items) == sorted(ids)
    pages, _ = sweep(conn, "mentions", cursor)
    assert [i.external_id for p in pages for i in p.items] == [newer]


def test_statuses_become_items_with_text_author_and_direction(sandbox: MastodonSandbox) -> None:
    sandbox.add_user("jane@piaille.fr", name="Jane D.", followers=321)
    root = sandbox.add_mention("my order <#1234> & the bill\n\nare wrong", author="jane@piaille.fr")
    ours = sandbox.add_post("@jane@piaille.fr we are on it", author="AcmeCare", in_reply_to=root)
    reply = sandbox.add_mention(
        "still waiting https://example.com/orders/1234/tracking", "jane@piaille.fr", ours
    )
    items = connector(sandbox).fetch("mentions", None).items
    first, last = items
    assert first.text == "@AcmeCare my order <#1234> & the bill\n\nare wrong"
    assert first.author.handle == "jane@piaille.fr" and first.author.display_name == "Jane D."
    assert first.author.followers == 321 and first.direction == "in" and first.kind == "mention"
    assert first.created_at.tzinfo is not None and first.raw["status"]["content"].startswith("<p>")
    assert last.text == "@AcmeCare still waiting https://example.com/orders/1234/tracking"
    assert last.external_id == reply and last.reply_to == ours
    assert last.thread_key == root == first.thread_key  # the root of the thread, through /context


def test_dms_from_conversations_and_mentions_join_one_private_thread(sandbox: MastodonSandbox) -> None:
    first = sandbox.add_dm("my card was charged twice", sender="dan")
    ours = sandbox.add_dm("sorry Dan, checking", sender="AcmeCare", recipient="dan", in_reply_to=first)
    conn = connector(sandbox)
    dms = conn.fetch("dms", None)
    assert [(i.external_id, i.direction, i.visibility, i.kind) for i in dms.items] == [
        (ours, "out", "private", "dm")
    ]
    mentions = conn.fetch("mentions", None)  # a private mention, filtered by default since 4.3
    assert [(i.external_id, i.visibility) for i in mentions.items] == [(first, "private")]
    dan = sandbox.account("dan").id
    assert dms.items[0].thread_key == mentions.items[0].thread_key == f"dm:{dan}"
    again = conn.fetch("dms", dms.next_cursor)
    assert again.items == []
    newer = sandbox.add_dm("any news?", sender="dan", in_reply_to=ours)
    assert [i.external_id for i in conn.fetch("dms", dms.next_cursor).items] == [newer]


def test_dms_page_through_conversations(sandbox: MastodonSandbox) -> None:
    ids = [sandbox.add_dm(f"question {i}", sender=f"customer{i}") for i in range(7)]
    pages, cursor = sweep(connector(sandbox), "dms", None)
    assert [len(p.items) for p in pages] == [5, 2]
    assert sorted(i.external_id for p in pages for i in p.items) == sorted(ids)
    assert calls(sandbox, "/api/v1/conversations")[1]["max_id"]
    pages, _ = sweep(connector(sandbox), "dms", cursor)
    assert pages[0].items == []


def test_search_finds_public_posts_without_the_brands_own(sandbox: MastodonSandbox) -> None:
    old = sandbox.add_post("AcmeCare was fine last year", author="eve")
    conn = connector(sandbox, listening=["AcmeCare"])
    assert conn.streams == ("mentions", "dms", "search:AcmeCare")
    first = conn.fetch("search:AcmeCare", None)  # listening starts now: the newest page
    assert [i.external_id for i in first.items] == [old] and first.items[0].kind == "listening"
    ours = sandbox.add_post("AcmeCare summer sale!", author="AcmeCare")
    hits = [sandbox.add_post(f"is AcmeCare down? #{i}", author=f"fan{i}") for i in range(7)]
    sandbox.add_post("AcmeCare in my followers-only post", author="gus", visibility="private")
    sandbox.add_post("nothing to see", author="hal")
    mention = sandbox.add_mention("AcmeCare help", author="ida")  # the mentions stream reads it
    pages, cursor = sweep(conn, "search:AcmeCare", first.next_cursor)
    found = [i for p in pages for i in p.items]
    assert sorted(i.external_id for i in found) == sorted(hits)
    assert ours not in [i.external_id for i in found] and mention not in [i.external_id for i in found]
    assert all(i.visibility == "public" and i.direction == "in" for i in found)
    assert any(q.get("offset") == ["5"] for q in calls(sandbox, "/api/v2/search"))
    assert calls(sandbox, "/api/v2/search")[-1]["min_id"] == [json.loads(first.next_cursor or "")["min_id"]]
    pages, _ = sweep(conn, "search:AcmeCare", cursor)
    assert pages[0].items == []


def test_reply_public_mentions_the_author_and_a_retry_posts_once(sandbox: MastodonSandbox) -> None:
    status = sandbox.add_mention("where is my parcel?", author="jane@piaille.fr")
    conn = connector(sandbox)
    sent = conn.reply_public(status, "Sorry! Could you DM us the order number?", idempotency_key="reply-1")
    again = conn.reply_public(status, "Sorry! Could you DM us the order number?", idempotency_key="reply-1")
    assert sent == again and len(sandbox.sent) == 1
    posted = sandbox.sent[0]
    assert posted["text"] == "@jane@piaille.fr Sorry! Could you DM us the order number?"
    assert posted["in_reply_to_id"] == status and posted["visibility"] == "unlisted"
    assert posted["idempotency_key"] == "reply-1" and posted["mentions"] == ["jane@piaille.fr"]
    conn.reply_public(status, "@jane@piaille.fr one more thing", idempotency_key="reply-2")
    assert sandbox.sent[1]["text"] == "@jane@piaille.fr one more thing"


def test_reply_never_opens_up_a_followers_only_post(sandbox: MastodonSandbox) -> None:
    status = sandbox.add_mention("my account", author="ivy", visibility="private")
    connector(sandbox, reply_visibility="public").reply_public(status, "On it", idempotency_key="k")
    assert sandbox.sent[0]["visibility"] == "private"


def test_send_private_is_a_direct_status_in_the_customers_conversation(sandbox: MastodonSandbox) -> None:
    first = sandbox.add_dm("my account is locked", sender="kim")
    kim = sandbox.account("kim").id
    conn = connector(sandbox)
    sent = conn.send_private(kim, "Hi Kim, it is unlocked now.", idempotency_key="dm-1")
    assert conn.send_private(kim, "Hi Kim, it is unlocked now.", idempotency_key="dm-1") == sent
    assert sent.thread_key == f"dm:{kim}" and len(sandbox.sent) == 1
    posted = sandbox.sent[0]
    assert posted["visibility"] == "direct" and posted["text"] == "@kim Hi Kim, it is unlocked now."
    assert posted["in_reply_to_id"] == first and posted["mentions"] == ["kim"]
    back = conn.fetch("dms", None).items  # what we sent comes back as the brand's own, same thread
    assert [(i.external_id, i.direction, i.thread_key) for i in back] == [
        (sent.external_id, "out", f"dm:{kim}")
    ]


def test_text_over_500_is_rejected_before_calling(sandbox: MastodonSandbox) -> None:
    status = sandbox.add_mention("hi", author="lou")
    conn = connector(sandbox)
    before = len(sandbox.requests)
    with pytest.raises(Rejected, match="mastodon-acme.*501 characters.*limit of 500"):
        conn.reply_public(status, "x" * 501, idempotency_key="long")
    assert len(sandbox.requests) == before  # nothing reached the instance
    fits = "see " + "https://example.com/" + "a" * 600  # 627 characters, 27 as Mastodon counts
    conn.reply_public(status, fits, idempotency_key="url")
    assert sandbox.sent[-1]["text"].endswith(fits)
    with pytest.raises(Rejected, match="over the limit"):  # the @mention we add counts too
        conn.reply_public(status, "y" * 496, idempotency_key="edge")


def test_the_instance_limit_is_enforced_by_the_sandbox_too(sandbox: MastodonSandbox) -> None:
    status = sandbox.add_mention("hi", author="lou")
    with pytest.raises(Rejected, match="422.*character limit of 500"):
        connector(sandbox, max_characters=1000).reply_public(status, "z" * 600, idempotency_key="k")
    assert sandbox.sent == []


def test_429_carries_the_reset_time_and_503_is_unavailable(sandbox: MastodonSandbox) -> None:
    sandbox.add_mention("hi", author="max")
    conn = connector(sandbox)
    sandbox.inject_fault("/api/v1/notifications", status=429)
    with pytest.raises(RateLimited) as limited:
        conn.fetch("mentions", None)
    assert limited.value.retryable and limited.value.retry_after is not None
    assert 0 < limited.value.retry_after <= 5.5 and "mastodon-acme" in str(limited.value)
    sandbox.inject_fault("/api/v1/notifications", status=503)
    with pytest.raises(Unavailable, match="mastodon-acme.*503"):
        conn.fetch("mentions", None)
    assert len(conn.fetch("mentions", None).items) == 1


def test_spent_window_reports_the_instances_reset() -> None:
    with MastodonSandbox(rate_limits={"api": (3, 120.0)}) as sandbox:
        conn = connector(sandbox)
        conn.fetch("mentions", None)  # verify_credentials, then notifications
        conn.fetch("mentions", None)
        with pytest.raises(RateLimited) as limited:
            conn.fetch("mentions", None)
        assert limited.value.retry_after is not None and 110 < limited.value.retry_after <= 120
        assert conn.rate_limit is not None and conn.rate_limit.remaining == 0


def test_slow_instance_times_out_as_unavailable(sandbox: MastodonSandbox) -> None:
    sandbox.inject_fault("/api/v1/notifications", delay=1.5)
    conn = connector(sandbox, timeout=(2.0, 0.3))
    conn.whoami()
    with pytest.raises(Unavailable, match="mastodon-acme.*could not be reached"):
        conn.fetch("mentions", None)


def test_refused_token_names_the_channel() -> None:
    with MastodonSandbox(tokens={TOKEN: ("read", "write"), "read-only": ("read",)}) as sandbox:
        with pytest.raises(AuthFailed, match="mastodon-acme.*401.*The access token is invalid"):
            connector(sandbox, access_token="wrong").fetch("mentions", None)
        status = sandbox.add_mention("hi", author="ned")
        with pytest.raises(AuthFailed, match="mastodon-acme.*403.*outside the authorized scopes"):
            connector(sandbox, access_token="read-only").reply_public(status, "hello", idempotency_key="k")


def test_unknown_targets_are_rejected(sandbox: MastodonSandbox) -> None:
    conn = connector(sandbox)
    with pytest.raises(Rejected, match="404"):
        conn.reply_public("999", "hello", idempotency_key="k")
    with pytest.raises(Rejected, match="404"):
        conn.send_private("999", "hello", idempotency_key="k")


def test_malformed_statuses_are_quarantined_and_the_page_goes_on(sandbox: MastodonSandbox) -> None:
    good = sandbox.add_mention("fine", author="olga")
    sandbox.add_raw_mention(
        {"id": "bad-1", "created_at": "yesterday", "account": {"id": "5"}, "content": "x"}
    )
    sandbox.add_raw_mention(
        {"id": "bad-2", "created_at": "2026-01-01T00:00:00.000Z", "content": "no account"}
    )
    sandbox.add_raw_mention({"id": 3, "content": "id is a number"})
    batch = connector(sandbox).fetch("mentions", None)
    assert [i.external_id for i in batch.items] == [good]
    errors = {m.external_id: m.error for m in batch.malformed}
    assert set(errors) == {"bad-1", "bad-2", "3"}
    assert "created_at" in errors["bad-1"] and "account" in errors["bad-2"] and "'id'" in errors["3"]
    raw = next(m.raw for m in batch.malformed if m.external_id == "bad-1")
    assert raw["type"] == "mention" and raw["status"]["created_at"] == "yesterday"  # kept as it came


def test_find_delivery_finds_what_was_sent(sandbox: MastodonSandbox) -> None:
    start = datetime.now(UTC)
    status = sandbox.add_mention("where is it?", author="jane@piaille.fr")
    sandbox.add_dm("my account is locked", sender="kim")
    kim = sandbox.account("kim").id
    conn = connector(sandbox)
    assert conn.find_delivery("public", status, None, "On it", start) is None
    public = conn.reply_public(status, "On it", idempotency_key="a")
    private = conn.send_private(kim, "Unlocked now", idempotency_key="b")
    assert conn.find_delivery("public", status, None, "On it", start) == public
    assert conn.find_delivery("private", None, kim, "Unlocked now", start) == private
    assert conn.find_delivery("private", None, kim, "Another text", start) is None
    assert conn.find_delivery("public", status, None, "On it", start + timedelta(minutes=5)) is None


def test_first_sweep_leaves_history_older_than_the_backfill(sandbox: MastodonSandbox) -> None:
    long_ago = datetime.now(UTC) - timedelta(days=10)
    for i in range(12):
        sandbox.add_mention(f"old {i}", author="pat", created_at=long_ago + timedelta(minutes=i))
    recent = [sandbox.add_mention(f"new {i}", author="pat") for i in range(3)]
    conn = connector(sandbox)
    pages, cursor = sweep(conn, "mentions", None)
    assert len(pages) == 1 and [i.external_id for i in pages[0].items][-3:] == recent
    later = sandbox.add_mention("and now", author="pat")
    assert [i.external_id for i in conn.fetch("mentions", cursor).items] == [later]
    everything, _ = sweep(connector(sandbox, backfill_days=30), "mentions", None)
    assert sum(len(p.items) for p in everything) == 16
