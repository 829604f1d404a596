"""Status search as a Mastodon instance with full-text search answers it. Pure over the store.

Terms must all appear (case-insensitive, whole words or ``"quoted phrases"``), ``-term`` excludes,
``#tag`` matches a hashtag. Only public statuses are indexed, plus the searcher's own. ``min_id`` and
``max_id`` become ``after:``/``before:`` times at one-second precision, as Mastodon converts them, so a
status of the same second as ``min_id`` (``min_id`` itself included) can come back. Newest first.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from connectors.mastodon.parse import id_key
from connectors.sandbox.mastodon.store import MastodonStore, Status

_TERM = re.compile(r'(-?)"([^"]+)"|(-?)(\S+)')


def snowflake_second(ident: str) -> datetime | None:
    """The creation time a status id encodes, truncated to the second (``Snowflake.to_time``)."""
    try:
        millis = int(ident) >> 16
    except ValueError:
        return None
    return datetime.fromtimestamp(millis // 1000, UTC)


def _matches(status: Status, term: str) -> bool:
    if term.startswith("#"):
        return term[1:].lower() in status.tags
    pattern = r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)"
    return re.search(pattern, status.text.lower()) is not None


def search_statuses(
    store: MastodonStore, query: str, min_id: str | None = None, max_id: str | None = None
) -> list[Status]:
    """Statuses matching ``query``, newest first."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for m in _TERM.finditer(query):
        negated, term = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), m.group(4))
        (unwanted if negated else wanted).append(term)
    after = snowflake_second(min_id) if min_id else None
    before = snowflake_second(max_id) if max_id else None
    found = [
        s
        for s in store.statuses.values()
        if (s.visibility == "public" or s.account_id == store.brand.id)
        and all(_matches(s, t) for t in wanted)
        and not any(_matches(s, t) for t in unwanted)
        and (after is None or s.created_at > after)
        and (before is None or s.created_at < before)
    ]
    return sorted(found, key=lambda s: id_key(s.id), reverse=True)
