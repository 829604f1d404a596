"""Meta's 24-hour customer-service window (replies.messaging_window): a pure function, tested by table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inbox import i18n
from inbox.replies.messaging_window import HUMAN_AGENT, window_state

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.mark.parametrize(
    ("platform", "ago", "human_agent", "open_", "template", "tag", "closes_in"),
    [
        # inside the window: free-form text on every Meta platform, closing 24 h after the last message
        ("whatsapp", 1 * H, False, True, False, None, 23 * H),
        ("facebook", 23 * H, False, True, False, None, 1 * H),
        ("instagram", 0 * H, False, True, False, None, 24 * H),
        ("facebook", 2 * H, True, True, False, None, 22 * H),
        # the boundary: exactly 24 hours later the window is closed
        ("whatsapp", 24 * H, False, False, True, None, 0 * H),
        ("facebook", 24 * H, False, False, False, None, 0 * H),
        # past 24 hours: WhatsApp wants a template; Messenger/Instagram need the HUMAN_AGENT permission
        ("whatsapp", 30 * H, False, False, True, None, -6 * H),
        ("whatsapp", 30 * H, True, False, True, None, -6 * H),  # the tag means nothing on WhatsApp
        ("facebook", 30 * H, False, False, False, None, -6 * H),
        ("instagram", 30 * H, False, False, False, None, -6 * H),
        ("facebook", 30 * H, True, True, False, HUMAN_AGENT, 138 * H),
        ("instagram", 167 * H, True, True, False, HUMAN_AGENT, 1 * H),
        # past 7 days: nothing but a new customer message reopens Messenger/Instagram
        ("facebook", 168 * H, True, False, False, None, -144 * H),
        ("instagram", 200 * H, True, False, False, None, -176 * H),
    ],
)
def test_window_table(
    platform: str,
    ago: timedelta,
    human_agent: bool,
    open_: bool,
    template: bool,
    tag: str | None,
    closes_in: timedelta,
) -> None:
    state = window_state(platform, NOW - ago, NOW, human_agent=human_agent)
    assert (state.open, state.allowed, state.template_required, state.tag) == (open_, open_, template, tag)
    assert state.closes_at == NOW + closes_in
    assert (state.reason is None) == open_


@pytest.mark.parametrize("platform", ["x", "mastodon", "bluesky", "telegram"])
def test_other_platforms_have_no_window(platform: str) -> None:
    state = window_state(platform, NOW - 500 * H, NOW)
    assert state.open and state.closes_at is None and not state.template_required and state.reason is None
    assert window_state(platform, None, NOW).open


def test_whatsapp_reason_names_the_closing_time_and_the_template() -> None:
    state = window_state("whatsapp", datetime(2026, 3, 1, 6, 30, tzinfo=UTC), NOW)
    assert state.reason is not None
    assert "2 Mar 2026 06:30 UTC" in state.reason and "approved template" in state.reason
    with i18n.use_language("fr"):
        french = window_state("whatsapp", datetime(2026, 3, 1, 6, 30, tzinfo=UTC), NOW).reason
    assert french is not None and "s'est fermée le 2 mars 2026 06:30 UTC" in french


def test_the_closing_time_reads_in_the_team_zone() -> None:
    """On the team's pages the time is the team's (Paris: UTC+1 in March), without "UTC": the page names
    the zone once, as for every other time."""
    paris = ZoneInfo("Europe/Paris")
    with i18n.use_language("fr"):
        state = window_state("whatsapp", datetime(2026, 3, 1, 6, 30, tzinfo=UTC), NOW, zone=paris)
        tagged = window_state("facebook", NOW - 8 * 24 * H, NOW, human_agent=True, zone=paris)
    assert state.reason is not None and "UTC" not in state.reason
    assert "le 2 mars 2026 07:30\u00a0:" in state.reason
    assert tagged.reason is not None and "1er mars 2026 13:00" in tagged.reason  # the 7-day tag's end too
    assert "UTC" not in tagged.reason


def test_messenger_reason_explains_the_human_agent_permission() -> None:
    without = window_state("facebook", NOW - 30 * H, NOW)
    assert without.reason is not None and "HUMAN_AGENT" in without.reason and "not approved" in without.reason
    assert "Messenger" in without.reason
    expired = window_state("instagram", NOW - 8 * 24 * H, NOW, human_agent=True)
    assert expired.reason is not None and "7-day" in expired.reason and "Instagram" in expired.reason


@pytest.mark.parametrize(
    ("platform", "template", "words"),
    [
        ("whatsapp", True, "approved template"),
        ("facebook", False, "start conversations"),
        ("instagram", False, "Instagram"),
    ],
)
def test_a_customer_who_never_wrote(platform: str, template: bool, words: str) -> None:
    state = window_state(platform, None, NOW, human_agent=True)
    assert not state.open and state.closes_at is None and state.template_required is template
    assert state.reason is not None and words in state.reason


def test_a_message_stamped_after_now_keeps_the_window_open() -> None:
    """Clock skew between the platform and us must not close a window that just opened."""
    state = window_state("whatsapp", NOW + timedelta(minutes=2), NOW)
    assert state.open and state.closes_at == NOW + timedelta(hours=24, minutes=2)


@pytest.mark.parametrize(("last", "now"), [(datetime(2026, 3, 2, 11), NOW), (NOW, datetime(2026, 3, 2, 12))])
def test_naive_times_are_refused(last: datetime, now: datetime) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        window_state("whatsapp", last, now)
