"""Finding, on X, a reply an interrupted send may have posted (the outbox's reconciliation). Reads only.

X has no idempotency key, so the outbox looks before it posts again. The look is bounded by the time window of
the attempt, never by "the latest N": public replies through the brand's timeline with ``start_time`` and
``end_time`` (every page of the window), messages through the one-to-one conversation with the recipient,
read back page by page until events older than the window (X's DM lookups have no time parameters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import tweepy

from connectors.base import ConnectorError, Sent
from connectors.x.text import same_words

END_TIME_MARGIN = timedelta(seconds=10)  # X refuses an end_time that is not a little in the past
MAX_PAGES = 50  # 5,000 posts or events in the window: beyond that the look gives up (not found is unsafe)
Call = Callable[..., Mapping[str, Any]]


def _x_time(when: datetime) -> datetime:
    return when.replace(tzinfo=when.tzinfo or UTC).astimezone(UTC)


def find_reply(
    call: Call,
    client: tweepy.Client,
    brand_id: str,
    in_reply_to: str,
    text: str,
    window: tuple[datetime, datetime],
) -> Sent | None:
    """Our post answering ``in_reply_to`` with ``text`` (as X keeps it: ``same_words``), created within
    ``window``."""
    start, end = (_x_time(t) for t in window)
    latest = datetime.now(UTC) - END_TIME_MARGIN
    token: str | None = None
    for _ in range(MAX_PAGES):
        payload = call(
            client.get_users_tweets,
            brand_id,
            start_time=start,
            end_time=end if end < latest else None,
            max_results=100,
            pagination_token=token,
            tweet_fields=["created_at", "referenced_tweets"],
            user_auth=False,
        )
        for tweet in payload.get("data") or []:
            refs = {r.get("type"): r.get("id") for r in tweet.get("referenced_tweets") or []}
            if refs.get("replied_to") == in_reply_to and same_words(text, str(tweet.get("text"))):
                return Sent(external_id=str(tweet["id"]))
        token = (payload.get("meta") or {}).get("next_token")
        if not token:
            return None
    raise ConnectorError(f"X: more than {MAX_PAGES} pages of posts in the window; not looked to the end")


def find_message(
    call: Call,
    client: tweepy.Client,
    brand_id: str,
    recipient_id: str,
    text: str,
    window: tuple[datetime, datetime],
) -> Sent | None:
    """Our message with ``text`` (as X keeps it: ``same_words``) in the conversation with ``recipient_id``,
    sent within ``window``."""
    start, end = (_x_time(t) for t in window)
    token: str | None = None
    for _ in range(MAX_PAGES):
        payload = call(
            client.get_direct_message_events,
            participant_id=recipient_id,
            event_types="MessageCreate",
            max_results=100,
            pagination_token=token,
            dm_event_fields=["created_at", "sender_id", "dm_conversation_id"],
            user_auth=True,
        )
        older = False
        for event in payload.get("data") or []:
            when = _created(event)
            older = older or (when is not None and when < start)
            in_window = when is None or start <= when <= end
            ours = event.get("sender_id") == brand_id
            if in_window and ours and same_words(text, str(event.get("text"))):
                return Sent(external_id=str(event["id"]), thread_key=event.get("dm_conversation_id"))
        token = (payload.get("meta") or {}).get("next_token")
        if older or not token:
            return None
    raise ConnectorError(f"X: more than {MAX_PAGES} pages of messages in the window; not looked to the end")


def _created(event: Mapping[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(str(event.get("created_at")).replace("Z", "+00:00"))
    except ValueError:
        return None
