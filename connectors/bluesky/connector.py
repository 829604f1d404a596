"""The Bluesky connector: mentions, replies and quotes, chat DMs and keyword search, through XRPC (requests).

Streams: ``notifications`` (``listNotifications``, reasons mention/reply/quote), ``dms`` (``listConvos`` then
``getMessages``; leave it out with ``options.dms = false`` when the app password has no DM access) and one
``search:<query>`` per listening query (``searchPosts``, sort=latest, the brand's own posts left out).
Bluesky pages these newest first with a cursor towards older items and no ``since``: a sweep reads pages
back to the newest time already covered (the cursor's ``seen``), then starts again from the top. Sending is
in ``connectors.bluesky.send``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

from connectors import _http, paging
from connectors.base import (
    BadPayload,
    Batch,
    ConnectorSpec,
    Identity,
    InboundItem,
    Malformed,
    Rejected,
    Sent,
    Unavailable,
)
from connectors.bluesky import held as convo_hold
from connectors.bluesky.find import find_message, find_reply
from connectors.bluesky.parse import (
    PayloadError,
    dm_item,
    members_of,
    notification_item,
    parse_each,
    parse_time,
    post_item,
)
from connectors.bluesky.send import convo_with, direct_message, reply
from connectors.bluesky.sweep import Sweep
from connectors.bluesky.xrpc import Xrpc
from connectors.capabilities import ChecksDeletions, Closes, FindsDeliveries

REASONS = ["mention", "reply", "quote"]
MAX_MESSAGE_PAGES = 20  # per convo and poll
GET_POSTS = 25  # app.bsky.feed.getPosts takes at most 25 URIs a call

Page = tuple[list[Any], str | None]  # objects newest first, cursor to older ones


def _id_of(obj: Any, key: str) -> str | None:
    value = obj.get(key) if isinstance(obj, Mapping) else None
    return value if isinstance(value, str) else None


def _time_of(obj: Any, key: str) -> datetime | None:
    """An item's time for the sweep, never later than now: a time ahead (a poison ``indexedAt`` in 2099)
    would become the watermark, and every later item would look older than it, never read."""
    try:
        when = parse_time(obj.get(key) if isinstance(obj, Mapping) else None, key)
    except PayloadError:
        return None
    return min(when, datetime.now(UTC))


def _listing(page: Any, key: str, nsid: str) -> list[Any]:
    """A page's list under ``key``; BadPayload when the page has another shape (not an object, no list, a
    cursor that is not a string): it is read again later, never half-read. The list is required by the
    lexicon: a page without it (a gateway's ``{"error": …}`` under 200) used to read as an empty last page,
    and the sweep moved its watermark past the older pages, never read."""
    items = page.get(key) if isinstance(page, Mapping) else None
    if not isinstance(page, Mapping) or not isinstance(items, list):
        shape = type(page).__name__ if not isinstance(page, Mapping) else f"no {key!r} list"
        raise BadPayload(f"{nsid} answered a page of the wrong shape ({shape})")
    if not isinstance(page.get("cursor"), str | None):
        raise BadPayload(f"{nsid} answered a cursor that is not a string")
    return list(items)


class BlueskyConnector(FindsDeliveries, ChecksDeletions, Closes):
    """Reads and writes one Bluesky account. Knows nothing of the store."""

    def __init__(
        self,
        name: str,
        *,
        handle: str,
        app_password: str,
        base_url: str | None = None,
        page_size: int = 50,
        listening: Sequence[str] = (),
        dms: bool = True,
        timeout: _http.Timeout = _http.DEFAULT_TIMEOUT,
    ) -> None:
        self.name = name
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # when a held convo is tried again
        self.xrpc = Xrpc(name, identifier=handle, password=app_password, base_url=base_url, timeout=timeout)
        self.page_size = max(1, min(100, page_size))
        self.queries = tuple(q for q in listening if q.strip())
        self.streams: tuple[str, ...] = (
            "notifications",
            *(("dms",) if dms else ()),
            *(f"search:{q}" for q in self.queries),
        )

    @property
    def did(self) -> str:
        return self.xrpc.ensure_session()

    def whoami(self) -> Identity:
        profile = self.xrpc.query("app.bsky.actor.getProfile", {"actor": self.did})
        return Identity(
            platform_id=str(profile.get("did")),
            handle=str(profile.get("handle")),
            display_name=profile.get("displayName") or None,
        )

    def fetch(self, stream: str, cursor: str | None) -> Batch:
        sweep = Sweep.load(cursor, datetime.now(UTC))
        if stream == "notifications":
            return self._sweep(sweep, self._notifications, self._parse_notifications)
        if stream == "dms":
            return self._fetch_dms(sweep, cursor)
        if stream.startswith("search:") and stream[len("search:") :] in self.queries:
            query = stream[len("search:") :]
            return self._sweep(sweep, partial(self._search, query), self._parse_hits)
        raise ValueError(f"unknown Bluesky stream {stream!r}")

    # --- reading -------------------------------------------------------------------------------
    def _notifications(self, token: str | None) -> Page:
        params = {"reasons": REASONS, "limit": self.page_size, "cursor": token}
        nsid = "app.bsky.notification.listNotifications"
        page = self.xrpc.query(nsid, params)
        return _listing(page, "notifications", nsid), page.get("cursor")

    def _parse_notifications(self, objs: list[Any]) -> tuple[list[InboundItem], list[Malformed]]:
        own = self.did
        return parse_each(objs, lambda n: notification_item(n, channel=self.name, own_did=own), "uri")

    def _search(self, query: str, token: str | None) -> Page:
        params = {"q": query, "sort": "latest", "limit": self.page_size, "cursor": token}
        page = self.xrpc.query("app.bsky.feed.searchPosts", params)
        return _listing(page, "posts", "app.bsky.feed.searchPosts"), page.get("cursor")

    def _parse_hits(self, objs: list[Any]) -> tuple[list[InboundItem], list[Malformed]]:
        own = self.did
        theirs = [
            p for p in objs if not (isinstance(p, Mapping) and (p.get("author") or {}).get("did") == own)
        ]
        return parse_each(
            theirs, lambda p: post_item(p, channel=self.name, own_did=own, kind="listening"), "uri"
        )

    def _sweep(
        self,
        sweep: Sweep,
        page: Callable[[str | None], Page],
        parse: Callable[[list[Any]], tuple[list[InboundItem], list[Malformed]]],
    ) -> Batch:
        """One page of a newest-first listing of posts (``uri``, ``indexedAt``), back to the watermark."""
        objs, token = page(sweep.token)
        fresh, reached = sweep.fresh([(_time_of(o, "indexedAt"), _id_of(o, "uri"), o) for o in objs])
        items, bad = parse(fresh)
        cursor, more = sweep.advance(token, reached, empty=not objs)
        return Batch(items, cursor, more, bad, len(objs), sweep.trouble)

    def _fetch_dms(self, sweep: Sweep, cursor: str | None) -> Batch:
        """One page of convos (latest activity first) and the new messages of those active since ``seen``;
        a convo the chat service refuses is held apart (``connectors.bluesky.held``), the others read."""
        params = {"limit": self.page_size, "cursor": sweep.token}
        page = self.xrpc.query("chat.bsky.convo.listConvos", params, chat=True)
        convos = [c for c in _listing(page, "convos", "chat.bsky.convo.listConvos") if isinstance(c, Mapping)]
        held, now = convo_hold.load(cursor), self.clock()
        reads = len(convos)
        stamps = [(_time_of(c.get("lastMessage"), "sentAt"), c) for c in convos]
        dated = [when for when, _ in stamps if when is not None]
        reached = bool(dated) and sweep.is_past(dated[-1])  # one convo out of order hides none after it
        todo = [
            (convo, sweep)
            for when, convo in stamps
            if str(convo.get("id")) not in held
            and not (
                when is None
                or sweep.is_past(when)
                or sweep.is_read(when, _id_of(convo.get("lastMessage"), "id"))
            )
        ]
        due = [h for h in held.values() if h.due(now)][: convo_hold.RETRIES_PER_PAGE]
        listed = {str(c.get("id")): c for c in convos}  # its members' names, when the page lists it
        todo += [(listed.get(str(h.convo["id"]), h.convo), h.sweep()) for h in due]
        items: list[InboundItem] = []
        bad: list[Malformed] = []
        for convo, convo_sweep in todo:
            convo_id = str(convo.get("id"))
            try:
                got, broken, count = self._convo_messages(convo, convo_sweep)
            except (
                Rejected,
                Unavailable,
                BadPayload,
            ) as exc:  # that convo only; a 429 or 401 is the account's
                held[convo_id] = convo_hold.hold(held.get(convo_id), convo, sweep, exc, now)
                continue
            if convo_sweep is not sweep:  # a held convo read again: its messages since it was refused
                del held[convo_id]
            items, bad, reads = items + got, bad + broken, reads + count
        nxt, more = sweep.advance(page.get("cursor"), reached, empty=not convos)
        batch_items = sorted(items, key=lambda i: i.created_at)
        trouble = "\n".join(t for t in (sweep.trouble, convo_hold.trouble(held)) if t) or None
        return Batch(batch_items, convo_hold.with_held(nxt, held), more, bad, reads, trouble)

    def _convo_messages(
        self, convo: Mapping[str, Any], sweep: Sweep
    ) -> tuple[list[InboundItem], list[Malformed], int]:
        """The convo's messages not read yet (its latest page only on a cold start)."""
        convo_id, members, own = str(convo.get("id")), members_of(convo), self.did
        token: str | None = None
        fresh: list[Any] = []
        trail: list[str] = []
        for _ in range(MAX_MESSAGE_PAGES):
            params = {"convoId": convo_id, "limit": self.page_size, "cursor": token}
            page = self.xrpc.query("chat.bsky.convo.getMessages", params, chat=True)
            messages = _listing(page, "messages", "chat.bsky.convo.getMessages")
            got, reached = sweep.fresh([(_time_of(m, "sentAt"), _id_of(m, "id"), m) for m in messages])
            fresh.extend(got)
            done = sweep.seen is None or reached
            asked, token = token, page.get("cursor")
            if done or not token:  # an empty page naming a next one is followed
                break
            if paging.loop_length(trail, asked, token):  # read half, its older messages would be lost
                raise Unavailable(f"{paging.CYCLING}: getMessages cursors lead back to a page already read")
            trail = paging.walked(trail, asked)
        parse = partial(dm_item, channel=self.name, own_did=own, convo_id=convo_id, members=members)
        items, bad = parse_each(fresh, lambda m: parse(m), "id")
        return items, bad, len(fresh)

    def checks(self, external_id: str) -> bool:
        return external_id.startswith("at://")  # a post; a chat message is never asked about

    def gone(self, external_ids: Sequence[str]) -> list[str]:
        """The posts getPosts no longer returns (deleted by their author), 25 URIs a call. Chat messages
        are not checked: a customer's "delete for me" leaves the brand's copy, and nothing else is told."""
        posts = [i for i in external_ids if self.checks(i)]
        found: set[str] = set()
        for start in range(0, len(posts), GET_POSTS):
            answer = self.xrpc.query("app.bsky.feed.getPosts", {"uris": posts[start : start + GET_POSTS]})
            found |= {str(p.get("uri")) for p in (answer or {}).get("posts", []) if isinstance(p, dict)}
        return [i for i in posts if i not in found]

    def close(self) -> None:
        self.xrpc.http.close()

    # --- sending ---------------------------------------------------------------------------------
    def reply_public(self, to_external_id: str, text: str, *, idempotency_key: str) -> Sent:
        return reply(self.xrpc, to_external_id, text, idempotency_key)

    def send_private(self, recipient_id: str, text: str, *, idempotency_key: str) -> Sent:
        if not recipient_id.startswith("did:"):
            raise Rejected(
                f"Bluesky channel {self.name!r}: a DM needs the recipient's DID, got {recipient_id!r}"
            )
        return direct_message(self.xrpc, recipient_id, text)

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
        """Look on Bluesky for a reply sent before a crash: same text, same target, from ``since`` on."""
        if visibility == "private":
            if not recipient_id:
                return None
            did = self.xrpc.ensure_session()
            return find_message(self.xrpc, convo_with(self.xrpc, recipient_id), did, text, since)
        return find_reply(self.xrpc, in_reply_to, text, since) if in_reply_to else None


def build(spec: ConnectorSpec) -> BlueskyConnector:
    """The Bluesky connector for one channel: ``account`` is the handle; option ``dms`` (default true)."""
    dms = spec.options.get("dms", True)
    if not isinstance(dms, bool):
        raise ValueError(f"channel {spec.name!r}: option dms must be true or false")
    return BlueskyConnector(
        spec.name,
        handle=spec.account,
        app_password=spec.credentials["app_password"],
        base_url=spec.base_url,
        page_size=spec.page_size,
        listening=spec.listening,
        dms=dms,
    )
