"""Meta's 24-hour customer-service window for private messages. Pure: no clock, database or network.

- Every customer message opens (or refreshes) a 24-hour window in which the brand may send free-form
  messages: WhatsApp, Messenger (platform ``facebook``) and Instagram DMs.
- After it, WhatsApp accepts only an approved template (Graph error 131047 otherwise).
- After it, Messenger and Instagram accept only a tagged message; for a person answering, the ``HUMAN_AGENT``
  tag allows up to 7 days after the customer's last message, if the app has that permission
  (``human_agent=True``, the channel option of the same name). Otherwise Graph answers code 10 / 2018278.
- A customer who never wrote cannot be reached by free-form text (Messenger and Instagram: not at all).
- Other platforms have no such window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from inbox import i18n
from inbox.i18n import _

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
HUMAN_AGENT = "HUMAN_AGENT"
LABELS = {"whatsapp": "WhatsApp", "facebook": "Messenger", "messenger": "Messenger", "instagram": "Instagram"}


@dataclass(frozen=True, slots=True)
class WindowState:
    """Whether a free-form private message may be sent now, and on what terms."""

    open: bool  # a free-form message may be sent now (with ``tag`` when one is set)
    closes_at: datetime | None  # when sending stops being possible this way; None: no window applies
    template_required: bool = False  # WhatsApp outside the window: only an approved template
    tag: str | None = None  # the message tag the send must carry (Messenger/Instagram past 24 h)
    reason: str | None = None  # why not, in words for the agent (None when open)

    @property
    def allowed(self) -> bool:
        return self.open


def _aware(name: str, value: datetime) -> None:
    if value.tzinfo is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def _closed_at(at: datetime, zone: tzinfo) -> str:
    """In the reader's language, in ``zone``: "2 mars 2026 07:30" in the team's zone (the page names it
    once, as for every other time), "2 mars 2026 06:30 UTC" in UTC (where no page names a zone)."""
    text = i18n.when(at, zone, year=True)
    return f"{text} UTC" if zone is UTC else text


def window_state(
    platform: str,
    last_inbound_at: datetime | None,
    now: datetime,
    *,
    human_agent: bool = False,
    zone: tzinfo = UTC,
) -> WindowState:
    """The window for a private message on ``platform``, given the customer's last message time.

    Args:
        platform: the channel's platform (``whatsapp``, ``facebook`` for Messenger, ``instagram``; others
            have no window).
        last_inbound_at: when the customer last wrote in this conversation (None: never).
        now: the current time (aware).
        human_agent: the app may use the HUMAN_AGENT tag (Messenger and Instagram only).
        zone: the time zone the reasons' closing times are written in (the team's on its pages).
    """
    _aware("now", now)
    label = LABELS.get(platform)
    if label is None:
        return WindowState(open=True, closes_at=None)
    whatsapp = platform == "whatsapp"
    if last_inbound_at is None:
        why = (
            _(
                "The customer has never written on WhatsApp: only an approved template can start the "
                "conversation."
            )
            if whatsapp
            else _(
                "{platform} users start conversations: nothing can be sent before the customer writes."
            ).format(platform=label)
        )
        return WindowState(open=False, closes_at=None, template_required=whatsapp, reason=why)
    _aware("last_inbound_at", last_inbound_at)
    closes = last_inbound_at + WINDOW
    if now < closes:
        return WindowState(open=True, closes_at=closes)
    if whatsapp:
        why = _(
            "The 24-hour window closed at {closed}: WhatsApp accepts only an approved template "
            "until the customer writes again."
        ).format(closed=_closed_at(closes, zone))
        return WindowState(open=False, closes_at=closes, template_required=True, reason=why)
    return _tagged(label, last_inbound_at, closes, now, human_agent, zone)


def _tagged(
    label: str, last: datetime, closes: datetime, now: datetime, human_agent: bool, zone: tzinfo
) -> WindowState:
    """Messenger and Instagram past 24 hours: the HUMAN_AGENT tag, if allowed and within 7 days."""
    tag_closes = last + HUMAN_AGENT_WINDOW
    if human_agent and now < tag_closes:
        return WindowState(open=True, closes_at=tag_closes, tag=HUMAN_AGENT)
    if human_agent:
        why = _(
            "The 24-hour window closed at {closed} and the 7-day HUMAN_AGENT window at "
            "{tag_closed}: {platform} accepts no message until the customer writes again."
        ).format(closed=_closed_at(closes, zone), tag_closed=_closed_at(tag_closes, zone), platform=label)
    else:
        why = _(
            "The 24-hour window closed at {closed}: {platform} accepts a reply after that only "
            "with the HUMAN_AGENT tag (up to 7 days), which this channel's app is not approved for "
            "(channel option human_agent)."
        ).format(closed=_closed_at(closes, zone), platform=label)
    return WindowState(open=False, closes_at=closes, reason=why)
