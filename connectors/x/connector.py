"""The X connector: mentions, DMs, replies and DMs out, through tweepy.Client (API v2).

Streams: ``mentions`` (``GET /2/users/:id/mentions`` with ``since_id`` and pagination) and ``dms``
(``GET /2/dm_events``, newest first, paged until it reaches what was already read). Each ``fetch``
reads one page and returns the cursor that covers it, so the caller can commit both together.

``GET /2/dm_events`` has no ``since_id``: every poll reads events it has already seen, and X counts them
against the plan's monthly reads. Once a first read is done, a poll asks ``STEADY_DM_PAGE`` events, and
pages on only when they are all new; the first read and a backfill ask full pages.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import requests
import tweepy

from connectors import _http, paging
from connectors.base import (
    AuthFailed,
    BadPayload,
    Batch,
    ConnectorError,
    ConnectorSpec,
    Identity,
    Malformed,
    RateLimited,
    Rejected,
    Sent,
    Unavailable,
    sent_id,
)
from connectors.capabilities import (
    Backfills,
    BillsIdleReads,
    Closes,
    FindsDeliveries,
    PacesReads,
    ReceivesWebhooks,
)
from connectors.x import find as x_find
from connectors.x import webhook as x_webhook
from connectors.x.pacing import Pacer
from connectors.x.pages import count as _count
from connectors.x.pages import from_the_top, loop, onward, page_of
from connectors.x.pages import meta_id as _id
from connectors.x.parse import is_before, is_seen, parse_page, snowflake
from connectors.x.refusal import refusal

T = TypeVar("T")

TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "lang",
    "public_metrics",
    "note_tweet",  # a long post's whole text (its "text" stops at 280 weighted characters)
    "entities",  # the links a post's t.co links stand for
    "attachments",  # its photos, videos, GIFs (``media_keys``: ``[photo]`` in its text)
]
USER_FIELDS = ["username", "name", "public_metrics"]
TWEET_EXPANSIONS = ["author_id", "in_reply_to_user_id", "referenced_tweets.id"]
DM_FIELDS = [
    "created_at",
    "sender_id",
    "dm_conversation_id",
    "participant_ids",
    "referenced_tweets",
    "entities",
    "attachments",
]
DM_EXPANSIONS = ["sender_id", "participant_ids"]
STEADY_DM_PAGE = 10  # DM events asked per poll once the stream has been read (X counts every event read)
X_HOSTS = ("https://api.twitter.com/", "https://api.x.com/")


def _reset_in(response: requests.Response | None, now: float) -> float | None:
    header = response.headers.get("x-rate-limit-reset") if response is not None else None
    try:
        return max(0.0, float(header) - now) if header else None
    except ValueError:
        return None


def call_x(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one tweepy call; turn every failure into the connector's typed errors."""
    try:
        return fn(*args, **kwargs)
    except tweepy.TooManyRequests as exc:
        retry = _reset_in(exc.response, time.time())
        raise RateLimited(
            f"X rate limit reached: {exc}", retry_after=retry if retry is not None else 900
        ) from exc
    except tweepy.TwitterServerError as exc:  # a Retry-After (maintenance) is waited for
        wait = _http.retry_after(exc.response.headers) if exc.response is not None else None
        raise Unavailable(f"X server error: {exc}", retry_after=wait) from exc
    except tweepy.Unauthorized as exc:
        raise AuthFailed(f"X refused the credentials (401): {exc}") from exc
    except tweepy.HTTPException as exc:
        raise refusal(exc) from exc
    except _http.NETWORK_ERRORS as exc:
        raise _http.unreachable("X", exc) from None
    except _http.UNDECODABLE:
        raise _http.undecodable("X") from None
    except _http.NotFollowed as exc:
        raise _http.redirected("X", exc) from None
    except RecursionError:
        raise BadPayload("X answered JSON nested too deeply to read") from None
    except ValueError as exc:  # a 2xx that is not JSON (a gateway's page): X may have acted on it
        raise BadPayload(f"X answered without JSON: {exc}") from exc
    except (tweepy.TweepyException, requests.RequestException) as exc:
        raise ConnectorError(f"X call failed: {exc}") from exc


class XConnector(ReceivesWebhooks, FindsDeliveries, Backfills, Closes, PacesReads, BillsIdleReads):
    """Reads and writes one brand account on X. Knows nothing of the store."""

    SEARCH = "search:"  # a keyword-listening stream is ``search:<query>``

    def __init__(
        self,
        name: str,
        *,
        bearer_token: str,
        consumer_key: str,
        consumer_secret: str,
        access_token: str,
        access_token_secret: str,
        base_url: str | None = None,
        page_size: int = 100,
        timeout: _http.Timeout = _http.DEFAULT_TIMEOUT,
        account: str | None = None,
        listening: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.page_size = page_size
        self.account = account
        self.listening = tuple(q.strip() for q in listening if q.strip())
        self.streams: tuple[str, ...] = ("mentions", "dms", *(self.SEARCH + q for q in self.listening))
        self.client = tweepy.Client(
            bearer_token=bearer_token,
            consumer_key=consumer_key,
            consumer_secret=consumer_secret,
            access_token=access_token,
            access_token_secret=access_token_secret,
            return_type=dict,
            wait_on_rate_limit=False,
        )
        _http.mount(self.client.session, timeout=timeout, base_url=base_url, rebased=X_HOSTS)
        self.pacer = Pacer()  # the rate-limit windows X reports: a stream is not read faster than they allow
        self.client.session.hooks["response"].append(self.pacer.record)
        # tweepy's own convention: the user id is the part of the access token before the first "-".
        self.brand_id = access_token.split("-", 1)[0]

    def wait_before(self, stream: str) -> float:
        """Seconds before ``stream`` may be read again within X's rate limit (``connectors.x.pacing``)."""
        return self.pacer.wait_before(stream)

    def idle_reads(self, stream: str) -> int:
        """A steady DM poll reads ``STEADY_DM_PAGE`` events again; mentions and searches only new posts."""
        return STEADY_DM_PAGE if stream == "dms" else 0

    def whoami(self) -> Identity:
        payload: Mapping[str, Any] = call_x(self.client.get_me, user_auth=True, user_fields=USER_FIELDS)
        data = payload.get("data") or {}
        return Identity(
            platform_id=str(data.get("id")), handle=str(data.get("username")), display_name=data.get("name")
        )

    def fetch(self, stream: str, cursor: str | None) -> Batch:
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        if stream == "mentions":
            return self._fetch_mentions(state)
        if stream == "dms":
            return self._fetch_dms(state)
        if stream.startswith(self.SEARCH) and stream[len(self.SEARCH) :] in self.listening:
            return self._fetch_search(stream[len(self.SEARCH) :], state)
        raise ValueError(f"unknown X stream {stream!r}")

    def _fetch_mentions(self, state: dict[str, Any]) -> Batch:
        since, start = state.get("since_id"), state.get("start_time")  # start_time: a backfill
        payload: Mapping[str, Any] = call_x(
            self.client.get_users_mentions,
            self.brand_id,
            since_id=since,
            start_time=None if since else start,
            pagination_token=state.get("token"),
            max_results=self.page_size,
            expansions=TWEET_EXPANSIONS,
            tweet_fields=TWEET_FIELDS,
            user_fields=USER_FIELDS,
            user_auth=False,
        )
        payload, meta = page_of(payload, "mentions")
        items, bad = parse_page(payload, stream="mentions", channel=self.name, brand_id=self.brand_id)
        newest = state.get("newest") or _id(meta.get("newest_id")) or since
        token = _id(meta.get("next_token"))
        looped = loop(state, token)
        if looped:  # a page this sweep read already: from the top, since_id kept
            nxt, token = from_the_top(state, "since_id", "start_time", looped=looped), None
        elif token:
            nxt = {"since_id": since, "token": token, "newest": newest, "start_time": start} | onward(state)
        else:
            nxt = {"since_id": newest} if newest else {}
        reads = _count(payload.get("data"))
        trouble = paging.trouble(nxt, looped)
        return Batch(items, json.dumps(nxt), bool(token), bad, reads, trouble=trouble)

    def history_cursor(self, stream: str, since: datetime) -> str | None:
        """The cursor with which ``fetch`` reads ``stream`` back to ``since``, newest first, page by page
        (``inbox backfill``); None for a stream that cannot be read back by time (keyword search)."""
        if stream not in ("mentions", "dms"):
            return None
        return json.dumps({"start_time": since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")})

    def search_query(self, query: str) -> str:
        """The recent-search query for a listening keyword: never retweets, never the brand's own posts."""
        own = f" -from:{self.account}" if self.account else ""
        return f"({query}) -is:retweet{own}"

    def _fetch_search(self, query: str, state: dict[str, Any]) -> Batch:
        """Keyword listening on recent search (the last 7 days), newest first, ``since_id`` like mentions."""
        since = state.get("since_id")
        payload: Mapping[str, Any] = call_x(
            self.client.search_recent_tweets,
            self.search_query(query),
            since_id=since,
            next_token=state.get("token"),
            max_results=max(10, self.page_size),
            expansions=TWEET_EXPANSIONS,
            tweet_fields=TWEET_FIELDS,
            user_fields=USER_FIELDS,
            user_auth=False,
        )
        payload, meta = page_of(payload, "a search")
        items, bad = parse_page(payload, stream="listening", channel=self.name, brand_id=self.brand_id)
        newest = state.get("newest") or _id(meta.get("newest_id")) or since
        token = _id(meta.get("next_token"))
        nxt = (
            {"since_id": since, "token": token, "newest": newest} | onward(state)
            if token
            else {"since_id": newest}
        )
        looped = loop(state, token)
        if looped:  # a page this sweep read already: from the top, since_id kept
            nxt, token = from_the_top(state, "since_id", looped=looped), None
        reads = _count(payload.get("data"))
        trouble = paging.trouble(nxt, looped)
        return Batch(items, json.dumps(nxt), bool(token), bad, reads, trouble=trouble)

    def _fetch_dms(self, state: dict[str, Any]) -> Batch:
        seen = snowflake(str(state.get("seen") or 0)) or 0  # a cursor an earlier poison id spoilt: read again
        steady = bool(seen) and not state.get("start_time")  # a poll after the first read, not a backfill
        payload: Mapping[str, Any] = call_x(
            self.client.get_direct_message_events,
            event_types="MessageCreate",
            max_results=min(self.page_size, STEADY_DM_PAGE) if steady else self.page_size,
            pagination_token=state.get("token"),
            dm_event_fields=DM_FIELDS,
            expansions=DM_EXPANSIONS,
            user_fields=USER_FIELDS,
            user_auth=True,
        )
        payload, meta = page_of(payload, "DM events")
        data = payload.get("data") or []
        found = (snowflake(e.get("id")) for e in data if isinstance(e, Mapping))
        ids = [i for i in found if i is not None]
        start = str(state.get("start_time") or "")  # a backfill: stop at events older than this
        kept = [e for e in data if not is_seen(e, seen) and not is_before(e, start)]
        items, bad = parse_page(
            {**payload, "data": kept}, stream="dms", channel=self.name, brand_id=self.brand_id
        )
        sweep_max = max([snowflake(str(state.get("sweep_max") or 0)) or 0, *ids])
        token = _id(meta.get("next_token"))
        # done when the page's LAST event was read (or is before a backfill's start): an old one among newer
        reached = bool(seen and ids and ids[-1] <= seen) or bool(data and is_before(data[-1], start))
        nxt: dict[str, Any]
        looped = loop(state, token)
        if looped:  # a page this sweep read already: from the top, the watermark kept
            nxt, token = from_the_top(state, "seen", "start_time", looped=looped), None
        elif token and not reached:
            nxt = {"seen": seen, "token": token, "sweep_max": sweep_max} | onward(state)
            nxt.update({"start_time": start} if start else {})
        else:
            nxt = {"seen": max(seen, sweep_max)}
        more = bool(token) and not reached
        trouble = paging.trouble(nxt, looped)
        return Batch(items, json.dumps(nxt), more, bad, len(data), trouble=trouble)

    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent:
        """Reply in the thread. X has no idempotency header: the outbox reconciles instead."""
        payload: Mapping[str, Any] = call_x(
            self.client.create_tweet, text=text, in_reply_to_tweet_id=to_external_id, user_auth=True
        )
        data = payload.get("data") if isinstance(payload, Mapping) else None
        return Sent(external_id=sent_id(data.get("id") if isinstance(data, Mapping) else None, "X"))

    def send_private(self, recipient_id: str, text: str, *, idempotency_key: str) -> Sent:
        payload: Mapping[str, Any] = call_x(
            self.client.create_direct_message, participant_id=recipient_id, text=text, user_auth=True
        )
        data = payload.get("data") if isinstance(payload, Mapping) else None
        data = data if isinstance(data, Mapping) else {}
        thread = data.get("dm_conversation_id")
        return Sent(sent_id(data.get("dm_event_id"), "X"), thread if isinstance(thread, str) else None)

    def close(self) -> None:
        self.client.session.close()

    def webhook_handshake(self, query: Mapping[str, str]) -> tuple[int, str, str] | None:
        """Account Activity CRC (connectors.x.webhook)."""
        return x_webhook.handshake(query, self.client.consumer_secret or "")

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> None:
        x_webhook.verify(headers, body, self.client.consumer_secret or "")

    def parse_webhook(self, body: bytes) -> Batch:
        """An Account Activity event as the items polling would make: DMs from the event, tweets read back
        through the v2 lookup (v1.1 has no ``conversation_id``). Events for another account give nothing. A
        post X refuses to look up (a 4xx) is quarantined and the event's others stored; a failing lookup
        (5xx, rate limit) fails the event, which is replayed."""
        payload = x_webhook.load(body)
        if payload is None:
            raw = {"body": body[:2000].decode("utf-8", "replace")}
            return Batch(
                items=[], next_cursor=None, malformed=[Malformed(None, "body is not a JSON object", raw)]
            )
        if str(payload.get("for_user_id") or "") != self.brand_id:
            return Batch(items=[], next_cursor=None)
        events, users, unconverted = x_webhook.dm_events(payload)
        dm_page = {"data": events, "includes": {"users": list(users.values())}}
        items, bad = parse_page(dm_page, stream="dms", channel=self.name, brand_id=self.brand_id)
        bad = [*unconverted, *bad]
        for tweet_id in x_webhook.tweet_ids(payload):
            try:
                found: Mapping[str, Any] = call_x(
                    self.client.get_tweet,
                    tweet_id,
                    expansions=TWEET_EXPANSIONS,
                    tweet_fields=TWEET_FIELDS,
                    user_fields=USER_FIELDS,
                    user_auth=False,
                )
            except Rejected as exc:  # this post alone (protected, withheld): the event's others are stored
                bad.append(Malformed(tweet_id, f"X refused to look the post up: {exc}", {"id": tweet_id}))
                continue
            if not isinstance(found, Mapping) or found.get("data"):  # not an object: quarantined
                page = {**found, "data": [found["data"]]} if isinstance(found, Mapping) else found
                more, worse = parse_page(page, stream="mentions", channel=self.name, brand_id=self.brand_id)
                items, bad = [*items, *more], [*bad, *worse]
        return Batch(items=items, next_cursor=None, malformed=bad, reads=len(items))

    def finds(self, visibility: str) -> bool:
        return True

    def find_delivery(
        self,
        visibility: str,
        in_reply_to: str | None,
        recipient_id: str | None,
        text: str,
        since: datetime | None,
        until: datetime | None = None,
    ) -> Sent | None:
        """Our reply with ``text`` to ``in_reply_to`` (or message to ``recipient_id``) posted between
        ``since`` and ``until`` (now when None; connectors.x.find)."""
        now = datetime.now(UTC)
        window = (since or now - timedelta(hours=1), until or now)
        if visibility == "private":
            if not recipient_id:
                return None
            return x_find.find_message(call_x, self.client, self.brand_id, recipient_id, text, window)
        if not in_reply_to:
            return None
        return x_find.find_reply(call_x, self.client, self.brand_id, in_reply_to, text, window)


def build(spec: ConnectorSpec) -> XConnector:
    """The X connector for one configured channel."""
    creds = spec.credentials
    return XConnector(
        spec.name,
        bearer_token=creds["bearer_token"],
        consumer_key=creds["consumer_key"],
        consumer_secret=creds["consumer_secret"],
        access_token=creds["access_token"],
        access_token_secret=creds["access_token_secret"],
        base_url=spec.base_url,
        page_size=spec.page_size,
        account=spec.account,
        listening=spec.listening,
    )
