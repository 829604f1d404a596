"""Mastodon's JSON entities (Account, Status, Notification, Conversation) and its status HTML. Pure.

Content is rendered as Mastodon renders local statuses: paragraphs in ``<p>``, line breaks as ``<br />``,
mentions as ``h-card`` links, hashtags as ``mention hashtag`` links, and URLs split in ``invisible`` and
``ellipsis`` spans. Times are ISO 8601 with milliseconds, in UTC.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from connectors.mastodon.text import MENTION_RE, URL_RE, url_end
from connectors.sandbox.mastodon.store import (
    HASHTAG_RE,
    Account,
    Conversation,
    MastodonStore,
    Notification,
    Status,
)


def iso(at: datetime) -> str:
    """``2026-12-01T21:18:52.123Z``."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def profile_url(store: MastodonStore, account: Account) -> str:
    return f"https://{account.domain or store.domain}/@{account.username}"


def render_account(store: MastodonStore, account: Account) -> dict[str, Any]:
    url = profile_url(store, account)
    return {
        "id": account.id,
        "username": account.username,
        "acct": account.acct,
        "display_name": account.display_name,
        "locked": False,
        "bot": False,
        "discoverable": True,
        "indexable": True,
        "group": False,
        "created_at": iso(account.created_at.replace(hour=0, minute=0, second=0, microsecond=0)),
        "note": "",
        "url": url,
        "uri": url.replace("/@", "/users/"),
        "avatar": f"https://{store.domain}/avatars/original/missing.png",
        "avatar_static": f"https://{store.domain}/avatars/original/missing.png",
        "header": f"https://{store.domain}/headers/original/missing.png",
        "header_static": f"https://{store.domain}/headers/original/missing.png",
        "followers_count": account.followers,
        "following_count": 0,
        "statuses_count": 0,
        "last_status_at": None,
        "emojis": [],
        "fields": [],
    }


def _link(url: str) -> str:
    scheme, _, rest = url.partition("://")
    shown, hidden = rest[:30], rest[30:]
    ellipsis = ' class="ellipsis"' if hidden else ""
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{scheme}://</span><span{ellipsis}>{html.escape(shown)}</span>'
        f'<span class="invisible">{html.escape(hidden)}</span></a>'
    )


def _inline(store: MastodonStore, text: str) -> str:
    """One line of text as HTML: entities escaped, URLs, known mentions and hashtags linked."""
    spans: list[tuple[int, int, str]] = []
    for m in URL_RE.finditer(text):
        end = url_end(text, m.start(), m.end())
        spans.append((m.start(), end, _link(text[m.start() : end])))
    for m in MENTION_RE.finditer(text):
        account = store.find_acct(m.group(1))
        if account is not None:
            url = html.escape(profile_url(store, account))
            card = f'<a href="{url}" class="u-url mention">@<span>{html.escape(account.username)}</span></a>'
            spans.append((m.start(), m.end(), f'<span class="h-card" translate="no">{card}</span>'))
    for m in HASHTAG_RE.finditer(text):
        tag = html.escape(m.group(1))
        link = f'<a href="https://{store.domain}/tags/{tag.lower()}" class="mention hashtag" rel="tag">'
        spans.append((m.start(), m.end(), f"{link}#<span>{tag}</span></a>"))
    out, pos = [], 0
    for start, end, markup in sorted(spans):
        if start < pos:
            continue
        out += [html.escape(text[pos:start], quote=False), markup]
        pos = end
    return "".join([*out, html.escape(text[pos:], quote=False)])


def content_html(store: MastodonStore, text: str) -> str:
    """A status text as Mastodon's HTML: blank lines split paragraphs, single newlines become ``<br />``."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br />".join(_inline(store, line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )


def _quote(store: MastodonStore, status: Status) -> dict[str, Any] | None:
    """Mastodon 4.5's ``quote``: the quoted status, accepted (its own quote left out, as Mastodon nests
    one level)."""
    quoted = store.statuses.get(status.quote_id or "")
    if quoted is None:
        return None
    return {"state": "accepted", "quoted_status": {**render_status(store, quoted), "quote": None}}


def render_status(store: MastodonStore, status: Status) -> dict[str, Any]:
    if status.raw is not None:
        return dict(status.raw)
    author = store.accounts[status.account_id]
    url = f"{profile_url(store, author)}/{status.id}"
    mentioned = [store.accounts[i] for i in status.mentions if i in store.accounts]
    return {
        "id": status.id,
        "created_at": iso(status.created_at),
        "in_reply_to_id": status.in_reply_to_id,
        "in_reply_to_account_id": status.in_reply_to_account_id,
        "sensitive": bool(status.spoiler_text),
        "spoiler_text": status.spoiler_text,
        "visibility": status.visibility,
        "language": status.language,
        "uri": url.replace("/@", "/users/").replace(f"/{status.id}", f"/statuses/{status.id}"),
        "url": url,
        "replies_count": sum(1 for s in store.statuses.values() if s.in_reply_to_id == status.id),
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": iso(status.edited_at) if status.edited_at else None,
        "quote": _quote(store, status),
        "content": content_html(store, status.text),
        "reblog": None,
        "application": None,
        "account": render_account(store, author),
        "media_attachments": [],
        "mentions": [
            {"id": a.id, "username": a.username, "url": profile_url(store, a), "acct": a.acct}
            for a in mentioned
        ],
        "tags": [{"name": t, "url": f"https://{store.domain}/tags/{t}"} for t in status.tags],
        "emojis": [],
        "card": None,
        "poll": None,
    }


def render_notification(store: MastodonStore, n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "type": n.type,
        "group_key": f"ungrouped-{n.id}",
        "created_at": iso(n.created_at),
        "account": render_account(store, store.accounts[n.account_id]),
        "status": render_status(store, store.statuses[n.status_id]),
    }


def render_conversation(store: MastodonStore, c: Conversation) -> dict[str, Any]:
    others = sorted(c.key[1])
    return {
        "id": c.id,
        "unread": c.unread,
        "accounts": [render_account(store, store.accounts[i]) for i in others],
        "last_status": render_status(store, store.statuses[c.last_status_id]),
    }


def render_instance(store: MastodonStore, max_characters: int) -> dict[str, Any]:
    """The subset of ``GET /api/v2/instance`` that clients read for their limits."""
    return {
        "domain": store.domain,
        "title": "Mastodon sandbox",
        "version": "4.5.0",
        "source_url": "https://github.com/mastodon/mastodon",
        "description": "A loopback sandbox of the Mastodon REST API for the social-care inbox.",
        "usage": {"users": {"active_month": len(store.accounts)}},
        "languages": ["en", "fr"],
        "configuration": {
            "urls": {"streaming": None},
            "accounts": {"max_featured_tags": 10},
            "statuses": {
                "max_characters": max_characters,
                "max_media_attachments": 4,
                "characters_reserved_per_url": 23,
            },
        },
        "registrations": {"enabled": False, "approval_required": False, "message": None},
        "contact": {"email": "", "account": render_account(store, store.brand)},
        "rules": [],
    }
