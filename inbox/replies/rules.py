"""Each platform's reply rules: whether a public or private reply is possible now, why not, and how long it
may be. Pure: the facts, the channel's options and ``now`` are parameters (../shared/docs/platform-apis.md
.1.8 and .7).

- X: a DM conversation has no public reply. On self-serve access tiers (the default; set the channel option
  ``access_tier = "enterprise"`` for an enterprise plan) a public reply is possible only to a post that
  mentions or quotes the brand. 280 weighted characters public, 10,000 characters in DMs.
- WhatsApp chats are private only; a Telegram private chat too, while a Telegram group is public (an answer
  there, or a private message to the member). WhatsApp, Messenger and Instagram DMs follow Meta's 24-hour
  window (``messaging_window``; channel option ``human_agent`` for Messenger/Instagram's 7-day tag);
  outside it WhatsApp takes only an approved template.
- Facebook and Instagram comments: a reply in the thread, or one private reply to the comment within 7 days.
- Mastodon and Bluesky: public and private; Bluesky DMs are limited to 1,000 graphemes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from connectors.bluesky.parse import DM_BYTES, DM_GRAPHEMES, POST_BYTES
from connectors.mastodon.text import with_mention
from connectors.registry import PLATFORMS, PlatformInfo
from inbox.i18n import N_, _
from inbox.replies.lengths import length_in
from inbox.replies.messaging_window import window_state

SELF_SERVE, ENTERPRISE = "self_serve", "enterprise"
X_TIER_OPTION = "access_tier"  # channel option: "self_serve" (default) or "enterprise"
HUMAN_AGENT_OPTION = "human_agent"  # channel option: the Meta app may use the HUMAN_AGENT tag (7 days)
META_DM = ("facebook", "instagram", "whatsapp")
PRIVATE_REPLY_WINDOW = timedelta(days=7)  # Meta's Private Replies: one message per comment, within 7 days
# (platform, visibility) -> (limit, unit) where the private limit differs from the platform's public one
PRIVATE_LIMITS: dict[str, tuple[int, str]] = {
    "x": (10_000, "chars"),
    "bluesky": (DM_GRAPHEMES, "graphemes"),
    "facebook": (2_000, "chars"),
}
BYTE_LIMITS = {("bluesky", "public"): POST_BYTES, ("bluesky", "private"): DM_BYTES}  # UTF-8 bytes
UNIT_LABELS = {
    "x_weighted": N_("weighted characters (a link counts 23)"),
    "graphemes": N_("characters"),
    "chars": N_("characters"),
}
NOT_SUMMONED = N_("X self-serve accounts may reply publicly only to posts that mention or quote the brand.")


@dataclass(frozen=True, slots=True)
class ReplyFacts:
    """What the rules depend on, about the conversation and the customer message a reply would answer."""

    platform: str
    kind: str  # mention | reply | dm | listening | comment
    visibility: str  # public | private
    mentions_brand: bool = False
    quotes_brand: bool = False
    last_inbound_at: datetime | None = None
    options: Mapping[str, object] | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """One way to answer: ``allowed``, else ``reason``; ``template_only``: only a platform template may go."""

    visibility: str
    allowed: bool
    reason: str | None = None
    template_only: bool = False
    offered: bool = True  # shown in the composer (with its reason when refused); False: not for this chat


@dataclass(frozen=True, slots=True)
class Decision:
    public: Route
    private: Route

    def route(self, visibility: str) -> Route:
        return self.public if visibility == "public" else self.private

    def modes(self) -> list[str]:
        """The visibilities the composer offers; a refused one stays on offer so that its reason shows."""
        return [r.visibility for r in (self.public, self.private) if r.offered]

    def default_mode(self) -> str:
        """The first offered visibility a reply can take now (a template counts), else the first offered."""
        usable = [
            r.visibility for r in (self.public, self.private) if r.offered and (r.allowed or r.template_only)
        ]
        return (usable or self.modes())[0]


@dataclass(frozen=True, slots=True)
class Length:
    count: int
    limit: int
    unit: str
    platform_label: str
    size: int = 0  # UTF-8 bytes, where the platform also limits those (Bluesky)
    max_bytes: int | None = None

    @property
    def over(self) -> int:
        return self.count - self.limit

    def problem(self) -> str | None:
        if self.count > self.limit:
            return _("Too long for {platform}: {count}/{limit} {unit}. Shorten it by {over}.").format(
                platform=self.platform_label,
                count=self.count,
                limit=self.limit,
                unit=_(UNIT_LABELS[self.unit]),
                over=self.over,
            )
        if self.max_bytes is not None and self.size > self.max_bytes:
            return _(
                "Too long for {platform}: {size}/{max_bytes} bytes (emoji and accents take several). "
                "Shorten it."
            ).format(platform=self.platform_label, size=self.size, max_bytes=self.max_bytes)
        return None


def info(platform: str) -> PlatformInfo:
    return PLATFORMS.get(platform) or PlatformInfo(platform, platform.capitalize(), "", ())


def measure(text: str, platform: str, visibility: str, recipient: str | None = None) -> Length:
    """``text`` against the platform's limit for a ``visibility`` reply to ``recipient`` (a handle).

    On Mastodon the connector puts ``@recipient`` in front unless the text mentions them: it is counted."""
    if platform == "mastodon" and recipient:
        text = with_mention(text, recipient)
    p = info(platform)
    limit, unit = p.text_limit, str(p.limit_unit)
    if visibility == "private" and platform in PRIVATE_LIMITS:
        limit, unit = PRIVATE_LIMITS[platform]
    max_bytes = BYTE_LIMITS.get((platform, visibility))
    return Length(length_in(unit, text, platform), limit, unit, p.label, len(text.encode()), max_bytes)


def mentions(text: str, account: str) -> bool:
    """Whether ``text`` @mentions ``account`` (case-insensitive, whole handle; Mastodon's @user@host too)."""
    handle = re.escape(account.lstrip("@"))
    return re.search(rf"(?<![\w@])@{handle}(?![\w])", text, re.IGNORECASE) is not None


def _public(f: ReplyFacts, p: PlatformInfo) -> Route:
    if p.private_only:
        why = _("{platform} chats are private: answer in the chat.").format(platform=p.label)
        return Route("public", False, why, offered=False)
    if f.visibility == "private" or f.kind == "dm":
        why = _("This is a private conversation: answer it privately.")
        return Route("public", False, why, offered=False)
    tier = str((f.options or {}).get(X_TIER_OPTION, SELF_SERVE))
    if f.platform == "x" and tier != ENTERPRISE and not (f.mentions_brand or f.quotes_brand):
        return Route("public", False, _(NOT_SUMMONED))
    return Route("public", True)


def _private(f: ReplyFacts, p: PlatformInfo, now: datetime, zone: tzinfo) -> Route:
    if f.platform not in META_DM:
        return Route("private", True)
    if f.visibility == "public":  # a comment: Meta's private reply, once per comment, within 7 days of it
        if f.platform == "whatsapp":
            return Route("private", True)
        if f.last_inbound_at is not None and now - f.last_inbound_at <= PRIVATE_REPLY_WINDOW:
            return Route("private", True)
        why = _(
            "{platform} allows a private reply to a comment only within 7 days of it; answer in the thread."
        ).format(platform=p.label)
        return Route("private", False, why)
    human_agent = bool((f.options or {}).get(HUMAN_AGENT_OPTION, False))
    state = window_state(f.platform, f.last_inbound_at, now, human_agent=human_agent, zone=zone)
    if state.open:
        return Route("private", True)
    return Route("private", False, state.reason, template_only=state.template_required)


def decide(facts: ReplyFacts, now: datetime, zone: tzinfo = UTC) -> Decision:
    """Which replies are possible now, and why the others are not (times in the reasons in ``zone``)."""
    p = info(facts.platform)
    return Decision(_public(facts, p), _private(facts, p, now, zone))
