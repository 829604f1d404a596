"""Each platform's reply rules (public/private, X's summoned-reply rule, Meta's window) and length counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inbox.replies import composer
from inbox.replies import rules as reply_rules
from inbox.replies.rules import ReplyFacts, decide, measure

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
HOURS = timedelta(hours=1)


def facts(platform: str, kind: str = "mention", visibility: str = "public", **kw: object) -> ReplyFacts:
    return ReplyFacts(platform, kind, visibility, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("f", "public", "private"),
    [
        (facts("x", "mention", mentions_brand=True), True, True),
        (facts("x", "listening"), False, True),  # self-serve is the default tier
        (facts("x", "listening", options={"access_tier": "self_serve"}), False, True),
        (facts("x", "listening", quotes_brand=True), True, True),
        (facts("x", "listening", mentions_brand=True), True, True),
        (facts("x", "listening", options={"access_tier": "enterprise"}), True, True),
        (facts("x", "dm", "private"), False, True),
        (facts("mastodon", "listening"), True, True),
        (facts("bluesky", "mention"), True, True),
        (facts("telegram", "dm", "private", last_inbound_at=NOW - 48 * HOURS), False, True),
        (facts("whatsapp", "dm", "private", last_inbound_at=NOW - 2 * HOURS), False, True),
        (facts("whatsapp", "dm", "private", last_inbound_at=NOW - 25 * HOURS), False, False),
        (facts("facebook", "dm", "private", last_inbound_at=NOW - 23 * HOURS), False, True),
        (facts("facebook", "dm", "private", last_inbound_at=NOW - 25 * HOURS), False, False),
        (
            facts(
                "instagram", "dm", "private", last_inbound_at=NOW - 25 * HOURS, options={"human_agent": True}
            ),
            False,
            True,
        ),
        (facts("facebook", "comment", "public", last_inbound_at=NOW - HOURS), True, True),
        (facts("instagram", "comment", "public", last_inbound_at=NOW - 8 * 24 * HOURS), True, False),
    ],
)
def test_which_replies_are_possible(f: ReplyFacts, public: bool, private: bool) -> None:
    d = decide(f, NOW)
    assert (d.public.allowed, d.private.allowed) == (public, private)
    for route in (d.public, d.private):
        assert route.allowed == (route.reason is None)


def test_x_self_serve_says_why_a_public_reply_to_a_search_hit_is_refused() -> None:
    d = decide(facts("x", "listening"), NOW)
    assert d.public.reason == (
        "X self-serve accounts may reply publicly only to posts that mention or quote the brand."
    )
    assert d.modes() == ["public", "private"]  # still offered, so the reason shows
    assert d.default_mode() == "private"


def test_private_only_platforms_offer_no_public_mode() -> None:
    for f in (
        facts("telegram", "dm", "private"),
        facts("x", "dm", "private"),
        facts("whatsapp", "dm", "private"),
    ):
        d = decide(f, NOW)
        assert d.modes() == ["private"]
    assert "WhatsApp chats are private" in str(decide(facts("whatsapp", "dm", "private"), NOW).public.reason)
    assert "private conversation" in str(decide(facts("telegram", "dm", "private"), NOW).public.reason)


def test_a_telegram_group_is_answered_in_the_group_or_privately() -> None:
    d = decide(facts("telegram", "mention", "public"), NOW)
    assert d.modes() == ["public", "private"] and d.public.allowed and d.private.allowed
    assert d.default_mode() == "public"


def test_whatsapp_outside_the_window_takes_only_a_template() -> None:
    late = decide(facts("whatsapp", "dm", "private", last_inbound_at=NOW - 25 * HOURS), NOW).private
    assert not late.allowed and late.template_only and "24-hour window closed" in str(late.reason)
    never = decide(facts("whatsapp", "dm", "private"), NOW).private
    assert never.template_only and "never written" in str(never.reason)
    messenger = decide(facts("facebook", "dm", "private", last_inbound_at=NOW - 25 * HOURS), NOW).private
    assert not messenger.allowed and not messenger.template_only and "HUMAN_AGENT" in str(messenger.reason)


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # one grapheme, 7 code points
URL = "https://help.acme.example/a/very/long/path/to/the/parcel/tracking/page/for/your/order"


@pytest.mark.parametrize(
    ("platform", "visibility", "text", "count", "limit"),
    [
        ("x", "public", "x" * 280, 280, 280),
        ("x", "public", "é" * 140 + "日" * 70, 280, 280),  # CJK weighs 2
        ("x", "private", "y" * 10_001, 10_001, 10_000),
        ("mastodon", "public", "x" * 476 + " " + URL, 500, 500),  # a URL counts 23
        ("mastodon", "public", "@kim@mastodon.social " + "x" * 480, 485, 500),  # remote mention: @kim
        ("bluesky", "public", "é" * 300, 300, 300),  # 600 bytes of 3,000
        ("bluesky", "private", "b" * 1001, 1001, 1000),
        ("telegram", "private", "\U0001f600" * 2049, 4098, 4096),  # UTF-16 code units
        ("whatsapp", "private", "w" * 4096, 4096, 4096),
        ("instagram", "private", "i" * 1001, 1001, 1000),
    ],
)
def test_length_per_platform(platform: str, visibility: str, text: str, count: int, limit: int) -> None:
    length = measure(text, platform, visibility)
    assert (length.count, length.limit) == (count, limit)
    assert (length.problem() is None) == (count <= limit)


def test_bluesky_counts_graphemes_and_bytes() -> None:
    family = measure(FAMILY * 120, "bluesky", "public")  # 120 graphemes, 25 bytes each
    assert (family.count, family.size) == (120, 3000) and family.problem() is None
    over = measure(FAMILY * 121, "bluesky", "public")
    assert (
        over.problem()
        == "Too long for Bluesky: 3025/3000 bytes (emoji and accents take several). Shorten it."
    )
    assert measure(FAMILY * 121, "bluesky", "private").problem() is None  # DMs allow 10,000 bytes


def test_mastodon_counts_the_mention_its_connector_adds() -> None:
    assert measure("x" * 494, "mastodon", "public", recipient="wendy").count == 501  # "@wendy " in front
    assert (
        measure("@wendy " + "x" * 493, "mastodon", "private", recipient="wendy").count == 500
    )  # already there
    assert measure("x" * 494, "mastodon", "public", recipient="kim@remote.example").count == 499  # "@kim "
    assert measure("x" * 494, "bluesky", "public", recipient="wendy").count == 494


def test_the_too_long_message_names_the_platform_and_the_overrun() -> None:
    assert measure("x" * 501, "mastodon", "public").problem() == (
        "Too long for Mastodon: 501/500 characters. Shorten it by 1."
    )
    assert measure("x" * 281, "x", "public").problem() == (
        "Too long for X: 281/280 weighted characters (a link counts 23). Shorten it by 1."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@AcmeCare where is my parcel?", True),
        ("thanks @acmecare.", True),
        ("cc @acmecare@mastodon.social", True),
        ("@AcmeCareers is hiring", False),
        ("write to help@AcmeCare.example", False),
        ("AcmeCare is slow today", False),
    ],
)
def test_mentions(text: str, expected: bool) -> None:
    assert reply_rules.mentions(text, "AcmeCare") is expected


def test_the_composer_refuses_a_route_the_platform_refuses() -> None:
    route = decide(facts("x", "listening"), NOW).public
    verdict = composer.check("Hi! Glad you like it.", "public", platform="x", route=route)
    assert not verdict.ok and verdict.problems == [reply_rules.NOT_SUMMONED]
    ok = composer.check("x" * 400, "public", platform="mastodon", route=decide(facts("mastodon"), NOW).public)
    assert ok.ok and (ok.length, ok.limit) == (400, 500)


def test_why_not_in_the_agents_language() -> None:
    """The reasons the composer shows in place of a reply: in French for a French agent, times in the zone
    the page gives (the team's)."""
    from zoneinfo import ZoneInfo

    from inbox import i18n

    comment = facts("facebook", "comment", last_inbound_at=NOW - 8 * 24 * HOURS)
    dm = facts("whatsapp", "dm", "private", last_inbound_at=NOW - 30 * HOURS)
    with i18n.use_language("fr"):
        x = decide(facts("x", "listening"), NOW).public.reason
        late = decide(comment, NOW).private.reason
        window = decide(dm, NOW, ZoneInfo("Europe/Paris")).private.reason
    assert x == (
        "Avec un accès X en libre-service, on ne peut répondre publiquement qu'aux posts qui mentionnent "
        "ou citent la marque."
    )
    assert late is not None and late.startswith("Facebook n'autorise une réponse privée à un commentaire")
    assert window is not None and "le 1er déc. 2026 07:00\u00a0:" in window  # 06:00 UTC, Paris is UTC+1
