"""Finding, on Bluesky, a reply an interrupted send may have posted (the outbox's reconciliation). Reads only.

The look is bounded by the time window of the attempt, never by "the latest N": the account's post records
are read page by page (newest rkey first; an rkey is a TID, so it carries its time) until records older than
the window, and the chat conversation with the recipient likewise until messages sent before it. Our own
rkeys may sit up to one rkey window (5 minutes) before the attempt, so the window opens that much earlier.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import ConnectorError, Sent
from connectors.bluesky.parse import RKEY_WINDOW_US, PayloadError, parse_time, tid_time
from connectors.bluesky.xrpc import Xrpc

POST = "app.bsky.feed.post"
SLACK = timedelta(microseconds=RKEY_WINDOW_US) + timedelta(minutes=1)  # rkey window + clock skew
MAX_PAGES = 50  # 5,000 records or messages in the window: beyond that the look gives up (not found is unsafe)


def _utc(when: datetime | None) -> datetime:
    when = when or datetime.now(UTC)
    return when.replace(tzinfo=when.tzinfo or UTC).astimezone(UTC)


def _pages(xrpc: Xrpc, nsid: str, params: dict[str, Any], key: str, *, chat: bool) -> Iterator[list[Any]]:
    """Each page's ``key`` list, following the cursor; raises past MAX_PAGES (window not exhausted)."""
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        query = dict(params, limit=100, **({"cursor": cursor} if cursor else {}))
        page = xrpc.query(nsid, query, chat=chat)
        yield [item for item in page.get(key) or [] if isinstance(item, Mapping)]
        cursor = page.get("cursor")
        if not cursor:
            return
    raise ConnectorError(f"Bluesky: more than {MAX_PAGES} pages in the window; not looked to the end")


def _answers(record: Mapping[str, Any], text: str, parent_uri: str) -> bool:
    value = record.get("value")
    if not isinstance(value, Mapping) or value.get("text") != text:
        return False
    reply = value.get("reply")
    parent = reply.get("parent") if isinstance(reply, Mapping) else None
    return isinstance(parent, Mapping) and parent.get("uri") == parent_uri


def find_reply(xrpc: Xrpc, in_reply_to: str, text: str, since: datetime | None) -> Sent | None:
    """Our post answering ``in_reply_to`` with exactly ``text``, whose rkey dates from ``since`` on."""
    did = xrpc.ensure_session()
    start = _utc(since) - SLACK
    params = {"repo": did, "collection": POST}
    for records in _pages(xrpc, "com.atproto.repo.listRecords", params, "records", chat=False):
        for record in records:
            if _answers(record, text, in_reply_to):
                return Sent(external_id=str(record["uri"]))
        times = [tid_time(str(r.get("uri", "")).rsplit("/", 1)[-1]) for r in records]
        known = [t for t in times if t is not None]
        if known and min(known) < start:
            return None
    return None


def find_message(xrpc: Xrpc, convo_id: str, did: str, text: str, since: datetime | None) -> Sent | None:
    """Our message with exactly ``text`` in ``convo_id``, sent from ``since`` on (less a minute of skew)."""
    start = _utc(since) - timedelta(minutes=1)
    params = {"convoId": convo_id}
    for messages in _pages(xrpc, "chat.bsky.convo.getMessages", params, "messages", chat=True):
        oldest: datetime | None = None
        for message in messages:
            try:
                sent_at = parse_time(message.get("sentAt"), "sentAt")
            except PayloadError:
                continue
            oldest = sent_at if oldest is None else min(oldest, sent_at)
            sender = message.get("sender")
            mine = isinstance(sender, Mapping) and sender.get("did") == did
            if mine and message.get("text") == text and sent_at >= start:
                return Sent(external_id=str(message.get("id")), thread_key=convo_id)
        if oldest is not None and oldest < start:
            return None
    return None
