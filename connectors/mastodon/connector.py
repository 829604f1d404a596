"""The Mastodon connector: mentions, direct messages and keyword search in; replies and DMs out (REST API).

Streams:
- ``mentions``: ``GET /api/v1/notifications?types[]=mention&types[]=quote&include_filtered=true`` (a quote
  of the brand's status summons it too, Mastodon 4.5) from ``since_id``,
  following the ``Link`` header's ``next`` pages until the sweep has read everything newer. Direct
  mentions are private items (``include_filtered`` keeps the private mentions that Mastodon 4.3+
  filters by default from accounts the brand does not follow).
- ``dms``: ``GET /api/v1/conversations`` (paged by its ``Link`` header): the last status of each
  conversation that moved, which also brings back the brand's own direct statuses.
  The first sweep of each (no cursor yet) stops paging past ``backfill_days`` of history (default 7).
- ``search:<query>``: ``GET /api/v2/search?type=statuses`` from ``min_id``: public posts that name the
  brand without @mentioning it (``mentions`` reads those), not its own, as ``listening`` items.
  Searching all posts needs an instance with full-text search, and finds the posts of accounts that
  opted in to be searchable.

Each ``fetch`` reads one page and returns the cursor (opaque JSON) that covers it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from connectors import paging
from connectors.base import (
    AuthFailed,
    BadPayload,
    Batch,
    ConnectorError,
    ConnectorSpec,
    Identity,
    InboundItem,
    Rejected,
    Sent,
    Unavailable,
    sent_id,
)
from connectors.capabilities import ChecksDeletions, ChecksEdits, Closes, FindsDeliveries
from connectors.mastodon.api import MastodonHttp, RateLimitState
from connectors.mastodon.parse import (
    NOTIFICATION_TYPES,
    PUBLIC_VISIBILITIES,
    at_or_before,
    conversation_items,
    created_before,
    delivered,
    edit_of,
    ids_of,
    is_newer,
    newest_id,
    next_page,
    notification_items,
    page_loop,
    search_items,
    status_id,
    stricter,
)
from connectors.mastodon.text import MAX_CHARACTERS, mastodon_length, with_mention
from connectors.mastodon.threads import Roots
from connectors.paging import carried, onward

NOTIFICATIONS_MAX, CONVERSATIONS_MAX, SEARCH_MAX = 80, 40, 40  # Mastodon's per-request caps
FIND_PAGES = 50  # 2,000 statuses in the window of an attempt: beyond that the look gives up
SEARCH_PREFIX = "search:"


class MastodonConnector(FindsDeliveries, ChecksDeletions, ChecksEdits, Closes):
    """Reads and writes one brand account on one Mastodon instance. Knows nothing of the store."""

    def __init__(
        self,
        name: str,
        *,
        base_url: str,
        access_token: str,
        account: str,
        listening: Sequence[str] = (),
        page_size: int = 40,
        reply_visibility: str = "unlisted",
        max_characters: int = MAX_CHARACTERS,
        backfill_days: int = 7,
        timeout: tuple[float, float] = (5.0, 30.0),
        session: requests.Session | None = None,
    ) -> None:
        if reply_visibility not in PUBLIC_VISIBILITIES:
            raise ValueError(f"channel {name!r}: reply_visibility must be 'public' or 'unlisted'")
        self.name, self.account, self.page_size = name, account.removeprefix("@"), page_size
        self.listening = tuple(q for q in listening if q.strip())
        self.reply_visibility, self.max_characters = reply_visibility, max_characters
        self.backfill_days = backfill_days
        self.http = MastodonHttp(name, base_url, access_token, session=session, timeout=timeout)
        self._identity: Identity | None = None
        self.roots = Roots(self.http)  # each public status's thread (``connectors.mastodon.threads``)

    @property
    def streams(self) -> tuple[str, ...]:
        return ("mentions", "dms", *(SEARCH_PREFIX + q for q in self.listening))

    @property
    def rate_limit(self) -> RateLimitState | None:
        """The last rate-limit headers seen, for the channel settings page."""
        return self.http.rate_limit

    def whoami(self) -> Identity:
        """The account the token belongs to (``verify_credentials``); it must be the configured one."""
        me = self.http.call("GET", "/api/v1/accounts/verify_credentials").body
        if not isinstance(me, Mapping) or not isinstance(me.get("id"), str):
            raise Rejected(f"Mastodon channel {self.name!r}: verify_credentials gave no account id")
        handle = str(me.get("acct") or me.get("username"))
        if handle.split("@")[0].lower() != self.account.split("@")[0].lower():
            raise AuthFailed(
                f"Mastodon channel {self.name!r}: the access token belongs to @{handle}, "
                f"not to @{self.account} as configured"
            )
        self._identity = Identity(platform_id=me["id"], handle=handle, display_name=me.get("display_name"))
        return self._identity

    @property
    def brand_id(self) -> str:
        return (self._identity or self.whoami()).platform_id

    def fetch(self, stream: str, cursor: str | None) -> Batch:
        state: dict[str, Any] = json.loads(cursor) if cursor else {}
        if stream == "mentions":
            return self._fetch_mentions(state)
        if stream == "dms":
            return self._fetch_dms(state)
        if stream.startswith(SEARCH_PREFIX) and stream[len(SEARCH_PREFIX) :] in self.listening:
            return self._fetch_search(stream[len(SEARCH_PREFIX) :], state)
        raise ValueError(f"unknown Mastodon stream {stream!r} for channel {self.name!r}")

    def _fetch_mentions(self, state: dict[str, Any]) -> Batch:
        # Only a real id (``status_id``) moves since_id; a cursor a poison id spoilt reads again.
        given = state.get("since_id")
        since = status_id(given)
        follow = state.get("next") if since or given is None else None
        limit = min(self.page_size, NOTIFICATIONS_MAX)
        params: dict[str, Any] = (
            dict(follow) if follow else {"types[]": list(NOTIFICATION_TYPES), "limit": str(limit)}
        )
        params["include_filtered"] = "true"
        if since:
            params["since_id"] = since
        answer = self.http.call("GET", "/api/v1/notifications", params=params)
        page = self._listed(answer.body, "notifications")
        fresh = [n for n in page if not at_or_before(n, since)]
        items, bad = notification_items(fresh, channel=self.name, brand_id=self.brand_id)
        ids = [i for i in ids_of(page, lambda n: n.get("id")) if status_id(i)]
        newest = status_id(state.get("newest")) or newest_id(*ids) or since
        nxt = next_page(answer.links.get("next"))
        looped = page_loop(state, nxt)
        # a short page is the last, and so is one whose last item was read before (one old item among newer
        # ones, a faulty server's order, ends nothing: the pages behind it are still read)
        unread = bool(page) and not at_or_before(page[-1], since)
        more = bool(nxt) and len(page) >= limit and unread
        more = more and (since is not None or self._within_backfill(items))
        if looped and unread:  # a page this sweep read already: from the top, since_id kept
            cursor: dict[str, Any] = ({"since_id": since} if since else {}) | carried(state, looped=True)
            more = False
        elif more and nxt:
            cursor = {"since_id": since, "next": nxt, "newest": newest} | onward(state, follow)
        else:
            cursor = {"since_id": newest} if newest else {}
        trouble = paging.trouble(cursor, looped)
        return Batch(self.roots.threaded(items), json.dumps(cursor), more, bad, len(page), trouble=trouble)

    def _fetch_dms(self, state: dict[str, Any]) -> Batch:
        # A cursor a poison id spoilt reads again.
        seen, sweep = status_id(state.get("seen")), status_id(state.get("sweep"))
        follow = state.get("next")
        limit = min(self.page_size, CONVERSATIONS_MAX)
        params: dict[str, Any] = dict(follow) if follow else {"limit": str(limit)}
        answer = self.http.call("GET", "/api/v1/conversations", params=params)
        page = self._listed(answer.body, "conversations")
        items, bad = conversation_items(page, channel=self.name, brand_id=self.brand_id, seen=seen)
        last_ids = [i for i in ids_of(page, lambda c: (c.get("last_status") or {}).get("id")) if status_id(i)]
        sweep = newest_id(sweep, *last_ids)
        reached = seen is not None and any(not is_newer(i, seen) for i in last_ids)
        nxt = next_page(answer.links.get("next"))
        looped = page_loop(state, nxt)
        more = bool(nxt) and bool(page) and not reached and (seen is not None or self._within_backfill(items))
        if looped and not reached:  # a page this sweep read already: from the top, the watermark kept
            cursor: dict[str, Any] = ({"seen": seen} if seen else {}) | carried(state, looped=True)
            more = False
        elif more and nxt:
            cursor = {"seen": seen, "sweep": sweep, "next": nxt} | onward(state, follow)
        else:
            cursor = {"seen": newest_id(seen, sweep)} if newest_id(seen, sweep) else {}
        trouble = paging.trouble(cursor, looped)
        return Batch(items, json.dumps(cursor), more, bad, len(page), trouble=trouble)

    def _fetch_search(self, query: str, state: dict[str, Any]) -> Batch:
        after, offset = status_id(state.get("min_id")), int(state.get("offset") or 0)
        limit = min(self.page_size, SEARCH_MAX)
        params = {"q": query, "type": "statuses", "resolve": "false", "limit": str(limit)}
        if after:
            params["min_id"] = after
        if offset:
            params["offset"] = str(offset)
        body = self.http.call("GET", "/api/v2/search", params=params).body
        if not isinstance(body, Mapping):
            raise BadPayload(f"Mastodon channel {self.name!r} answered a search with a {type(body).__name__}")
        self._listed(body.get("statuses"), "a search's statuses")
        items, bad, read = search_items(body, channel=self.name, brand_id=self.brand_id, after=after)
        statuses = body.get("statuses") if isinstance(body, Mapping) else None
        ids = [
            i
            for i in ids_of(statuses if isinstance(statuses, list) else [], lambda s: s.get("id"))
            if status_id(i)
        ]
        newest = newest_id(status_id(state.get("newest")), *[i for i in ids if is_newer(i, after)])
        # Without a cursor, listening starts now: the newest page only, not the whole history.
        more = after is not None and read >= limit
        if more:
            cursor: dict[str, Any] = {"min_id": after, "offset": offset + read, "newest": newest}
        else:
            cursor = {"min_id": newest_id(after, newest)} if newest_id(after, newest) else {}
        return Batch(self.roots.threaded(items), json.dumps(cursor), more=more, malformed=bad, reads=read)

    def _looked_up(self, path: str, what: str) -> Mapping[str, Any]:
        """The status or account a send reads first. An answer that is no JSON object (a gateway's ``null``,
        list or string under 200) is ``Unavailable`` with nothing posted: a later run sends the reply. It
        used to read as a status without an author, and the reply failed as refused."""
        body = self.http.call("GET", path).body
        if not isinstance(body, Mapping):
            kind = type(body).__name__
            message = f"Mastodon channel {self.name!r}: GET {path} answered a {kind}, not {what}"
            raise Unavailable(message + "; nothing was posted", sent=False)
        return body

    def _listed(self, body: Any, what: str) -> list[Any]:
        """A page of ``what``: Mastodon answers a JSON list. Anything else (``null``, an object, a string: a
        gateway's or a faulty server's answer) is no page, ``BadPayload``, its cursor kept; it used to read as
        an empty page that ended the sweep, and the pages behind it were never read."""
        if not isinstance(body, list):
            kind = type(body).__name__
            raise BadPayload(f"Mastodon channel {self.name!r} answered {what} with a {kind}, not a list")
        return body

    def _within_backfill(self, items: Sequence[InboundItem]) -> bool:
        """On a stream's first sweep, whether to read on: history older than ``backfill_days`` is left."""
        cutoff = self.http.clock() - timedelta(days=self.backfill_days)
        return bool(items) and min(i.created_at for i in items) >= cutoff

    def _checked(self, text: str) -> str:
        """Refuse what Mastodon would refuse (empty, or over the limit) before calling it."""
        if not text.strip():
            raise Rejected(f"Mastodon channel {self.name!r}: nothing to send (empty text)")
        length = mastodon_length(text)
        if length > self.max_characters:
            raise Rejected(
                f"Mastodon channel {self.name!r}: {length} characters as Mastodon counts them, "
                f"over the limit of {self.max_characters}"
            )
        return text

    def _post(self, payload: dict[str, Any], idempotency_key: str) -> Mapping[str, Any]:
        body = self.http.call(
            "POST", "/api/v1/statuses", json=payload, headers={"Idempotency-Key": idempotency_key}
        ).body
        if not isinstance(body, Mapping):
            body = {}
        sent_id(body.get("id"), f"Mastodon channel {self.name!r}")  # none: maybe posted, looked for
        return body

    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent:
        """Reply in the thread, @mentioning the author (else Mastodon does not notify them), never more
        openly than the status answered. The ``Idempotency-Key`` makes a retried send post once."""
        self._checked(text)
        parent = self._looked_up(f"/api/v1/statuses/{to_external_id}", "a status")
        account = parent.get("account")
        acct = account.get("acct") if isinstance(account, Mapping) else None
        if not isinstance(acct, str):
            raise Rejected(f"Mastodon channel {self.name!r}: status {to_external_id} has no author")
        own = account is not None and account.get("id") == self.brand_id
        body = self._checked(text if own else with_mention(text, acct))
        visibility = stricter(self.reply_visibility, str(parent.get("visibility") or "public"))
        payload = {"status": body, "in_reply_to_id": to_external_id, "visibility": visibility}
        return Sent(external_id=str(self._post(payload, idempotency_key)["id"]))

    def send_private(self, recipient_id: str, text: str, *, idempotency_key: str) -> Sent:
        """A direct status to one account: it must @mention them; it continues their latest conversation
        with the brand when there is one."""
        self._checked(text)
        account = self._looked_up(f"/api/v1/accounts/{recipient_id}", "an account")
        acct = account.get("acct")
        if not isinstance(acct, str):
            raise Rejected(f"Mastodon channel {self.name!r}: account {recipient_id} has no acct")
        payload: dict[str, Any] = {"status": self._checked(with_mention(text, acct)), "visibility": "direct"}
        last = self._last_direct_with(recipient_id)
        if last:
            payload["in_reply_to_id"] = last
        posted = self._post(payload, idempotency_key)
        return Sent(external_id=str(posted["id"]), thread_key=f"dm:{recipient_id}")

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
        """Look among the brand's statuses of the window ``since``..``until`` (now when None) for a reply
        we may have posted: same target (the status answered, or the recipient of a direct status), same
        text. Status ids are snowflakes of their creation time (ms << 16), so the look starts at ``until``'s
        id and pages back until statuses older than ``since``, however many came after."""
        now = datetime.now(UTC)
        start = _aware(since) if since else now - timedelta(hours=1)
        max_id = str(int((_aware(until or now) + timedelta(seconds=1)).timestamp() * 1000) << 16)
        path = f"/api/v1/accounts/{self.brand_id}/statuses"
        for _ in range(FIND_PAGES):
            params = {"limit": "40", "exclude_reblogs": "true", "max_id": max_id}
            page = self.http.call("GET", path, params=params).body
            statuses = [s for s in page if isinstance(s, Mapping)] if isinstance(page, list) else []
            for status in statuses:
                found = delivered(status, visibility, in_reply_to, recipient_id, text, start)
                if found is not None:
                    return Sent(found, thread_key=f"dm:{recipient_id}" if visibility == "private" else None)
            oldest = statuses[-1] if statuses else None
            if oldest is None or len(statuses) < 40 or created_before(oldest, start):
                return None
            max_id = str(oldest.get("id"))
        raise ConnectorError(f"Mastodon channel {self.name!r}: the window holds too many statuses to look")

    def checks(self, external_id: str) -> bool:
        return external_id.isdigit()  # a status id (a stored conversation key is not one)

    def gone(self, external_ids: Sequence[str]) -> list[str]:
        """The statuses that answer 404 now (deleted by their author, or no longer visible to the brand)."""
        return [i for i in external_ids if self.checks(i) and not self.http.exists(f"/api/v1/statuses/{i}")]

    def recheck(self, external_ids: Sequence[str]) -> tuple[list[str], list[InboundItem]]:
        """Each status read again: those that answer 404 are gone; an edited one (``edited_at`` set: an
        edit keeps the status id, and Mastodon notifies only those who boosted it) gives its newest
        version (``edit_of``). A status that does not parse is neither."""
        gone: list[str] = []
        edits: list[InboundItem] = []
        for ident in (i for i in external_ids if self.checks(i)):
            answer = self.http.found(f"/api/v1/statuses/{ident}")
            if answer is None:
                gone.append(ident)
            elif isinstance(answer.body, Mapping) and (
                edit := edit_of(answer.body, self.name, self.brand_id)
            ):
                edits.append(edit)
        return gone, edits

    def close(self) -> None:
        self.http.session.close()

    def _last_direct_with(self, recipient_id: str) -> str | None:
        """The last status of the newest one-to-one conversation with ``recipient_id``, if any."""
        page = self.http.call("GET", "/api/v1/conversations", params={"limit": "20"}).body
        for conversation in page if isinstance(page, list) else []:
            accounts = conversation.get("accounts") if isinstance(conversation, Mapping) else None
            last = conversation.get("last_status") if isinstance(conversation, Mapping) else None
            ids = [a.get("id") for a in accounts or [] if isinstance(a, Mapping)]
            if ids == [recipient_id] and isinstance(last, Mapping) and isinstance(last.get("id"), str):
                return str(last["id"])
        return None


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _timeout(options: Mapping[str, Any]) -> tuple[float, float]:
    seconds = options.get("timeout_seconds")
    return (5.0, float(seconds)) if isinstance(seconds, int | float) and seconds > 0 else (5.0, 30.0)


def build(spec: ConnectorSpec) -> MastodonConnector:
    """The Mastodon connector for one configured channel (``base_url`` is the instance, required)."""
    if not spec.base_url:
        raise ValueError(
            f"channel {spec.name!r}: a Mastodon channel needs base_url, its instance (e.g. https://mastodon.social)"
        )
    options = spec.options
    return MastodonConnector(
        spec.name,
        base_url=spec.base_url,
        access_token=spec.credentials["access_token"],
        account=spec.account,
        listening=spec.listening,
        page_size=spec.page_size,
        reply_visibility=str(options.get("reply_visibility", "unlisted")),
        max_characters=int(options.get("max_characters", MAX_CHARACTERS)),
        backfill_days=int(options.get("backfill_days", 7)),
        timeout=_timeout(options),
    )
