"""The Meta connectors (Facebook, Instagram, WhatsApp) against the loopback Graph sandbox, over requests."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connectors import registry
from connectors.base import AuthFailed, ConnectorSpec, RateLimited, Rejected, Unavailable
from connectors.meta.graph import OutsideWindow
from connectors.sandbox.meta.server import MetaSandbox
from tests.support.meta import facebook, instagram, spec, whatsapp

NOW = datetime.now(UTC)


def drain(conn: Any, cursor: str | None = None) -> tuple[list[Any], str | None, int]:
    """Fetch until the stream has nothing more; (items, cursor, pages)."""
    items, pages = [], 0
    while True:
        batch = conn.fetch("comments", cursor)
        items += batch.items
        cursor, pages = batch.next_cursor, pages + 1
        if not batch.more:
            return items, cursor, pages


# --- reading -------------------------------------------------------------------------------------
def test_facebook_comments_are_paged_with_an_opaque_cursor_and_read_once(meta: MetaSandbox) -> None:
    post = meta.add_post("Spring collection", created_at=NOW - timedelta(days=1))
    hours_ago = NOW - timedelta(hours=2)  # older than the watermark less LATE_MARGIN: never read again
    ids = [
        meta.add_comment(f"question {i}", created_at=hours_ago - timedelta(minutes=30 - i)) for i in range(7)
    ]
    reply = meta.add_comment("a follow-up", reply_to=ids[0], created_at=NOW - timedelta(minutes=5))
    conn = facebook(meta, page_size=5)

    items, cursor, pages = drain(conn)
    assert pages == 2  # 8 comments in pages of 5
    assert sorted(i.external_id for i in items) == sorted([*ids, reply])
    first = next(i for i in items if i.external_id == ids[0])
    follow = next(i for i in items if i.external_id == reply)
    assert (first.kind, first.visibility, first.direction, first.thread_key) == (
        "comment",
        "public",
        "in",
        ids[0],
    )
    assert first.reply_to == post and first.author.display_name == "Jeanne Client"
    assert (follow.thread_key, follow.reply_to) == (ids[0], ids[0])
    assert cursor is not None and "since" in json.loads(cursor)

    again, cursor, _ = drain(conn, cursor)
    assert {i.external_id for i in again} <= {reply}  # only the comments within LATE_MARGIN of the watermark
    fresh = meta.add_comment("new one", created_at=datetime.now(UTC) + timedelta(seconds=2))
    later, _, _ = drain(conn, cursor)
    assert fresh in {i.external_id for i in later} and not {i.external_id for i in later} & set(ids)


def test_the_pages_own_comment_comes_back_outbound(meta: MetaSandbox) -> None:
    customer = meta.add_comment("Where is my order?", created_at=NOW - timedelta(minutes=3))
    conn = facebook(meta)
    sent = conn.reply_public(customer, "We are looking into it.", idempotency_key="k1")
    items, _, _ = drain(conn)
    own = next(i for i in items if i.external_id == sent.external_id)
    assert (own.direction, own.thread_key, own.reply_to) == ("out", customer, customer)
    assert meta.sent[-1] == {
        "kind": "comment_reply",
        "platform": "facebook",
        "id": sent.external_id,
        "to": customer,
        "text": "We are looking into it.",
    }


def test_instagram_comments_with_nested_replies(meta: MetaSandbox) -> None:
    media = meta.add_post("Travel mug", platform="instagram", created_at=NOW - timedelta(days=1))
    top = meta.add_comment(
        "Is it dishwasher safe?", platform="instagram", author="lea.k", created_at=NOW - timedelta(minutes=9)
    )
    sub = meta.add_comment(
        "Same question",
        platform="instagram",
        author="max",
        reply_to=top,
        created_at=NOW - timedelta(minutes=8),
    )
    items, _, _ = drain(instagram(meta))
    by_id = {i.external_id: i for i in items}
    assert set(by_id) == {top, sub}
    assert (by_id[top].thread_key, by_id[top].reply_to, by_id[top].author.handle) == (top, media, "lea.k")
    assert (by_id[sub].thread_key, by_id[sub].reply_to) == (top, top)


def test_instagram_reply_and_hide(meta: MetaSandbox) -> None:
    top = meta.add_comment("rude words", platform="instagram")
    conn = instagram(meta)
    sent = conn.reply_public(top, "Merci pour votre message", idempotency_key="k")
    assert meta.sent[-1]["to"] == top and meta.sent[-1]["platform"] == "instagram"
    assert meta.store.comments[sent.external_id].parent_id == top
    conn.hide_comment(top)
    assert meta.hidden == [top]
    conn.hide_comment(top, hidden=False)
    assert meta.hidden == []


def test_facebook_hide_a_comment(meta: MetaSandbox) -> None:
    spam = meta.add_comment("BUY CHEAP FOLLOWERS")
    facebook(meta).hide_comment(spam)
    assert meta.hidden == [spam] and meta.store.comments[spam].hidden
    with pytest.raises(Rejected, match="does not exist"):
        facebook(meta).hide_comment("999_999")


def test_find_delivery_finds_a_reply_sent_before_a_crash(meta: MetaSandbox) -> None:
    customer = meta.add_comment("Hello?")
    conn = facebook(meta)
    assert conn.find_delivery("public", customer, None, "On it!", None) is None
    sent = conn.reply_public(customer, "On it!", idempotency_key="k")
    found = conn.find_delivery("public", customer, None, "On it!", None)
    assert found is not None and found.external_id == sent.external_id
    assert conn.find_delivery("private", None, "123", "On it!", None) is None


@pytest.mark.parametrize("platform", ["facebook", "instagram"])
def test_find_delivery_reaches_past_the_replies_that_followed(meta: MetaSandbox, platform: str) -> None:
    """A busy thread: 150 customer replies before ours and 60 other brand replies after it. The look reads
    the whole window, not one page of 100 replies."""
    customer = meta.add_comment("Hello?", platform=platform, push=False)
    conn = facebook(meta) if platform == "facebook" else instagram(meta)
    for i in range(150):
        meta.add_comment(f"me too {i}", platform=platform, reply_to=customer, push=False)
    attempt = datetime.now(UTC)
    sent = conn.reply_public(customer, "On it!", idempotency_key="k")
    for i in range(60):
        meta.add_comment(f"Other answer {i}", author="brand", reply_to=customer, push=False)
    found = conn.find_delivery("public", customer, None, "On it!", attempt)
    assert found is not None and found.external_id == sent.external_id


def test_find_delivery_ignores_the_same_words_before_the_window(meta: MetaSandbox) -> None:
    customer = meta.add_comment("Hello?", push=False)
    earlier = datetime.now(UTC) - timedelta(hours=2)
    meta.add_comment("On it!", author="brand", reply_to=customer, created_at=earlier, push=False)
    assert facebook(meta).find_delivery("public", customer, None, "On it!", datetime.now(UTC)) is None
    assert facebook(meta).find_delivery("public", customer, None, "On it!", earlier) is not None


# --- sending messages and the messaging windows ---------------------------------------------------
def test_messenger_reply_inside_the_window(meta: MetaSandbox) -> None:
    meta.add_message("My parcel is late", name="Bob", created_at=NOW - timedelta(hours=2))
    psid = meta.customer_id("messenger", "Bob")
    sent = facebook(meta).send_private(psid, "Sorry Bob, checking now.", idempotency_key="k")
    assert meta.store.messages[-1]["metadata"] == "k"  # given back in the echo: a lost answer is known sent
    assert sent.external_id.startswith("m_") and sent.thread_key == psid
    assert meta.sent[-1]["messaging_type"] == "RESPONSE" and meta.sent[-1]["to"] == psid


def test_messenger_outside_the_window_is_rejected_with_the_reason(meta: MetaSandbox) -> None:
    meta.add_message("hello?", name="Old", created_at=NOW - timedelta(hours=30))
    with pytest.raises(Rejected, match="24-hour messaging window.*HUMAN_AGENT") as err:
        facebook(meta).send_private(meta.customer_id("messenger", "Old"), "Hi", idempotency_key="k")
    assert "facebook-acme" in str(err.value) and not err.value.retryable
    assert isinstance(err.value, OutsideWindow) and not err.value.template_required
    assert meta.sent == []


def test_human_agent_tag_reaches_a_customer_within_seven_days(meta: MetaSandbox) -> None:
    meta.add_message("hello?", name="Old", created_at=NOW - timedelta(days=3))
    meta.add_message("hello?", name="Older", created_at=NOW - timedelta(days=8))
    conn = facebook(meta, options={"human_agent": True})
    conn.send_private(meta.customer_id("messenger", "Old"), "A person here", idempotency_key="k")
    assert (meta.sent[-1]["messaging_type"], meta.sent[-1]["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")
    with pytest.raises(Rejected, match="24-hour"):
        conn.send_private(meta.customer_id("messenger", "Older"), "Too late", idempotency_key="k2")


def test_human_agent_fallback_is_only_for_the_window(meta: MetaSandbox) -> None:
    conn = facebook(meta, options={"human_agent": True})
    with pytest.raises(Rejected, match="No matching user"):
        conn.send_private("7999", "Hello stranger", idempotency_key="k")
    sends = [r for r in meta.requests if r.path.endswith("/messages")]
    assert len(sends) == 1  # not sent again with the tag


def test_instagram_dm_inside_the_window(meta: MetaSandbox) -> None:
    meta.add_message(
        "Do you ship to Lyon?", platform="instagram", name="lea", created_at=NOW - timedelta(hours=1)
    )
    igsid = meta.customer_id("instagram", "lea")
    sent = instagram(meta).send_private(igsid, "Yes we do!", idempotency_key="k")
    assert sent.thread_key == igsid and meta.sent[-1]["platform"] == "instagram"


def test_whatsapp_text_inside_the_window_and_refused_outside(meta: MetaSandbox) -> None:
    meta.add_message("Bonjour", platform="whatsapp", name="Cam", created_at=NOW - timedelta(hours=1))
    meta.add_message("Toujours rien", platform="whatsapp", name="Old", created_at=NOW - timedelta(hours=25))
    conn = whatsapp(meta)
    fresh, stale = meta.customer_id("whatsapp", "Cam"), meta.customer_id("whatsapp", "Old")
    sent = conn.send_private(fresh, "Bonjour Cam !", idempotency_key="k")
    assert sent.external_id.startswith("wamid.") and sent.thread_key == fresh
    assert meta.store.messages[-1]["callback"] == "k"  # biz_opaque_callback_data: back in its statuses
    with pytest.raises(Rejected, match="only an approved template") as err:
        conn.send_private(stale, "Bonjour", idempotency_key="k2")
    assert "131047" in str(err.value) and isinstance(err.value, OutsideWindow) and err.value.template_required
    assert [s["to"] for s in meta.sent] == [fresh]


def test_whatsapp_template_outside_the_window(meta: MetaSandbox) -> None:
    meta.add_message("Toujours rien", platform="whatsapp", name="Old", created_at=NOW - timedelta(hours=40))
    stale = meta.customer_id("whatsapp", "Old")
    conn = whatsapp(meta)
    sent = conn.send_template(stale, "order_update", "en_US", ["Old", "4417"], idempotency_key="t1")
    assert sent.external_id.startswith("wamid.") and meta.store.messages[-1]["callback"] == "t1"
    assert meta.sent[-1]["text"] == "Hello Old, we have news about your request 4417."
    with pytest.raises(Rejected, match="132000"):
        conn.send_template(stale, "order_update", "en_US", ["only one"])
    with pytest.raises(Rejected, match="132001"):
        conn.send_template(stale, "spring_sale", "en_US")  # rejected by Meta's review


def test_whatsapp_lists_approved_templates_across_pages(meta: MetaSandbox) -> None:
    for i in range(120):
        meta.store.templates.append(
            {
                "name": f"t{i}",
                "language": "fr",
                "status": "APPROVED" if i % 2 else "PENDING",
                "category": "UTILITY",
                "components": [{"type": "BODY", "text": "Bonjour {{1}}"}],
            }
        )
    templates = whatsapp(meta).templates()
    names = [t.name for t in templates]
    assert names[:2] == ["order_update", "reprise_contact"] and len(names) == 2 + 60
    assert "spring_sale" not in names and all(t.parameters == 1 for t in templates[2:])
    listing = [r for r in meta.requests if r.path.endswith("/message_templates")]
    assert len(listing) == 2  # 123 templates, 100 per page


def test_whatsapp_has_no_polled_stream_and_no_public_reply(meta: MetaSandbox) -> None:
    conn = whatsapp(meta)
    assert tuple(conn.streams) == ()
    with pytest.raises(Rejected, match="no public replies"):
        conn.reply_public("wamid.x", "hi", idempotency_key="k")


def test_whoami_on_each_platform(meta: MetaSandbox) -> None:
    assert facebook(meta).whoami().platform_id == meta.store.page_id
    assert instagram(meta).whoami().handle == meta.store.ig_username
    assert whatsapp(meta).whoami().handle == meta.store.display_phone_number


# --- errors ---------------------------------------------------------------------------------------
def test_a_refused_token_is_auth_failed_naming_the_channel(meta: MetaSandbox) -> None:
    conn = facebook(meta, credentials={"page_token": "expired"})
    with pytest.raises(AuthFailed, match="Facebook channel 'facebook-acme'.*code 190"):
        conn.whoami()
    assert meta.requests[-1].headers["authorization"] == "Bearer expired"
    assert "access_token" not in meta.requests[-1].query  # the token never travels in a URL


def test_throttling_is_rate_limited_with_the_regain_time(meta: MetaSandbox) -> None:
    meta.inject_fault("/", status=429)
    conn = facebook(meta)
    with pytest.raises(RateLimited, match="code 4") as err:
        conn.fetch("comments", None)
    assert err.value.retryable and err.value.retry_after == 60  # estimated_time_to_regain_access: 1 minute
    assert conn.graph.last_usage["x-app-usage"]["call_count"] == 100


def test_server_errors_and_refused_connections_are_unavailable(meta: MetaSandbox) -> None:
    meta.inject_fault("/", status=503)
    with pytest.raises(Unavailable, match="HTTP 503"):
        whatsapp(meta).whoami()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conn = facebook(meta, base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(Unavailable, match="could not be reached"):
        conn.whoami()


def test_build_names_a_missing_option() -> None:
    bad = ConnectorSpec("wa", "whatsapp", "acme", {"access_token": "t", "app_secret": "s"}, options={})
    with pytest.raises(ValueError, match="options.phone_number_id is required"):
        registry.build(bad)


@pytest.mark.parametrize("options", [{"watch_posts": "25"}, {"watch_media": 0}, {"human_agent": "yes"}])
def test_build_checks_option_types(meta: MetaSandbox, options: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="option"):
        registry.build(spec(meta, "instagram", options=options))


def test_templates_need_the_business_account_id(meta: MetaSandbox) -> None:
    conn = whatsapp(meta, options={"waba_id": ""})
    with pytest.raises(Rejected, match="options.waba_id"):
        conn.templates()


def test_unknown_stream_is_an_error(meta: MetaSandbox) -> None:
    with pytest.raises(ValueError, match="unknown Facebook stream"):
        facebook(meta).fetch("dms", None)


def test_private_reply_to_a_comment_once_within_seven_days(meta: MetaSandbox) -> None:
    fresh = meta.add_comment("Can you DM me the refund form?", author="Ann")
    old = meta.add_comment("Refund?", author="Zed", created_at=NOW - timedelta(days=8))
    conn = facebook(meta)
    sent = conn.send_private_reply(fresh, "Here is the form")
    assert sent.thread_key == meta.customer_id("facebook", "Ann") and sent.external_id.startswith("m_")
    assert meta.sent[-1]["kind"] == "private_reply" and meta.sent[-1]["to"] == fresh
    with pytest.raises(Rejected, match="10900"):
        conn.send_private_reply(fresh, "Again")
    with pytest.raises(Rejected, match="10903"):
        conn.send_private_reply(old, "Too late")


def test_an_instagram_commenter_has_a_username_instagram_allows(meta: MetaSandbox) -> None:
    """Seen in the demo: the sandbox gave a display name ("Lina Z.") as the username, so the inbox's public
    reply began "@Lina Z."; Instagram usernames hold letters, digits, "." and "_" only."""
    meta.add_post("Travel mug", platform="instagram", created_at=NOW - timedelta(days=1))
    meta.add_comment(
        "Still waiting", platform="instagram", author="Lina Z.", created_at=NOW - timedelta(minutes=5)
    )
    [item], _, _ = drain(instagram(meta))
    assert item.author.handle == "lina_z"
