"""The X API v2 endpoints of the sandbox: parameters checked as X checks them, JSON as X sends it. No I/O."""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.sandbox._server import Reply, Request
from connectors.sandbox.x.access import Principal
from connectors.sandbox.x.params import (
    DM_EVENT_TYPES,
    DM_EXPANSIONS,
    DM_FIELDS,
    DM_IMPLIED,
    ID,
    TWEET_EXPANSIONS,
    TWEET_FIELDS,
    TWEET_IMPLIED,
    USER_EXPANSIONS,
    USER_FIELDS,
    Invalid,
    Page,
    check_id,
    csv_set,
    id_param,
    int_param,
    json_object,
    only,
    paginate,
    read_token,
    search_matcher,
    time_param,
    weighted_length,
    with_implied,
)
from connectors.sandbox.x.problems import not_found, problem
from connectors.sandbox.x.shown import post_text, shown
from connectors.sandbox.x.store import Tweet, XStore, conversation_between, x_time

ApiHandler = Callable[[Request, Principal], Reply]
_EXPAND = (
    "tweet.fields",
    "post.fields",
    "expansions",
    "media.fields",
    "poll.fields",
    "user.fields",
    "place.fields",
)
_TIMELINE = ("since_id", "until_id", "max_results", "pagination_token", "start_time", "end_time", *_EXPAND)
_SEARCH = (
    "query",
    "start_time",
    "end_time",
    "since_id",
    "until_id",
    "max_results",
    "next_token",
    "pagination_token",
    "sort_order",
    *_EXPAND,
)
_DMS = (
    "max_results",
    "pagination_token",
    "event_types",
    "dm_event.fields",
    "expansions",
    "media.fields",
    "user.fields",
    "tweet.fields",
    "post.fields",
)
_ME = ("user.fields", "expansions", "tweet.fields", "post.fields")
NOT_SUMMONED = (
    "Reply to this conversation is not allowed because you have not been mentioned or otherwise "
    "engaged by the author of the post you are replying to."
)


class XApi:
    """Handlers over one ``XStore``; each takes the request and the authenticated caller."""

    def __init__(self, store: XStore, lock: threading.RLock, *, summoned_replies_only: bool = True) -> None:
        self.store, self.lock, self.summoned_only = store, lock, summoned_replies_only

    def routes(self) -> list[tuple[str, str, ApiHandler, bool]]:
        """(endpoint key, path pattern, handler, user context required)."""
        return [
            ("GET /2/users/me", r"/2/users/me", self.me, True),
            ("GET /2/users/:id/mentions", r"/2/users/(?P<id>[^/]+)/mentions", self.mentions, False),
            ("GET /2/users/:id/tweets", r"/2/users/(?P<id>[^/]+)/tweets", self.user_tweets, False),
            ("GET /2/tweets/search/recent", r"/2/tweets/search/recent", self.search, False),
            ("GET /2/tweets/:id", r"/2/tweets/(?P<id>[^/]+)", self.lookup, False),
            ("GET /2/dm_events", r"/2/dm_events", self.dm_events, True),
            (
                "GET /2/dm_conversations/with/:participant_id/dm_events",
                r"/2/dm_conversations/with/(?P<id>[^/]+)/dm_events",
                self.dm_events_with,
                True,
            ),
            ("POST /2/tweets", r"/2/tweets", self.create_tweet, True),
            (
                "POST /2/dm_conversations/with/:participant_id/messages",
                r"/2/dm_conversations/with/(?P<id>[^/]+)/messages",
                self.create_dm,
                True,
            ),
        ]

    # --- reads ---------------------------------------------------------------------------------------
    def me(self, req: Request, caller: Principal) -> Reply:
        only(req.query, _ME)
        fields = csv_set(req.query, ("user.fields",), USER_FIELDS)
        csv_set(req.query, ("expansions",), USER_EXPANSIONS)
        csv_set(req.query, ("tweet.fields", "post.fields"), TWEET_FIELDS)
        with self.lock:
            return Reply(200, {"data": self.store.users[caller.user_id or ""].to_json(fields)})

    def mentions(self, req: Request, caller: Principal) -> Reply:
        only(req.query, _TIMELINE)
        user_id = check_id("id", req.params["id"])
        with self.lock:
            if user_id not in self.store.users:
                return not_found("user", user_id)
            timeline = [
                t for t in reversed(self.store.tweets.values()) if user_id in t.mentions and not t.superseded
            ]
            return self._timeline(req, timeline[:800], low=5, tokens=("pagination_token",))

    def user_tweets(self, req: Request, caller: Principal) -> Reply:
        only(req.query, (*_TIMELINE, "exclude"))
        user_id = check_id("id", req.params["id"])
        exclude = csv_set(req.query, ("exclude",), frozenset({"replies", "retweets"}))
        with self.lock:
            if user_id not in self.store.users:
                return not_found("user", user_id)
            timeline = [
                t
                for t in reversed(self.store.tweets.values())
                if t.raw is None
                and not t.superseded
                and t.author_id == user_id
                and not ("replies" in exclude and t.ref("replied_to"))
                and not ("retweets" in exclude and t.is_retweet)
            ]
            return self._timeline(req, timeline[:3200], low=5, tokens=("pagination_token",))

    def search(self, req: Request, caller: Principal) -> Reply:
        """Recent search: the last 7 days, never retweets (X's rule since 2026-05-04)."""
        only(req.query, _SEARCH)
        match = search_matcher(req.arg("query") or "")
        if req.arg("sort_order", "recency") not in {"recency", "relevancy"}:
            raise Invalid(
                "sort_order", req.arg("sort_order") or "", "sort_order must be recency or relevancy"
            )
        week_ago = datetime.now(UTC) - timedelta(days=7)
        with self.lock:
            found = [
                t
                for t in reversed(self.store.tweets.values())
                if t.raw is None
                and not t.superseded
                and not t.is_retweet
                and t.created_at >= week_ago
                and match(str(t.text), self._username(t), t.lang, frozenset(k for k, _ in t.refs))
            ]
            return self._timeline(req, found, low=10, tokens=("next_token", "pagination_token"))

    def lookup(self, req: Request, caller: Principal) -> Reply:
        only(req.query, _EXPAND)
        tweet_id = check_id("id", req.params["id"])
        with self.lock:
            tweet = self.store.tweets.get(tweet_id)
            if tweet is None:
                return not_found("tweet", tweet_id)
            return self._tweets_reply(req, Page([tweet], None), single=True)

    def dm_events(self, req: Request, caller: Principal) -> Reply:
        """The caller's DM events, newest first; no ``since_id`` (X has none here)."""
        return self._dm_page(req, None)

    def dm_events_with(self, req: Request, caller: Principal) -> Reply:
        """The events of the caller's one-to-one conversation with a participant, newest first (no
        ``since_id`` nor time parameters either: a client pages back by ``created_at``)."""
        participant = check_id("participant_id", req.params["id"])
        with self.lock:
            if participant not in self.store.users:
                return not_found("user", participant, "participant_id")
            return self._dm_page(req, conversation_between(self.store.brand.id, participant))

    def _dm_page(self, req: Request, conversation: str | None) -> Reply:
        only(req.query, _DMS)
        q = req.query
        limit = int_param(q, "max_results", 1, 100, 100)
        after = read_token(q, ("pagination_token",), min_length=16)
        types = csv_set(q, ("event_types",), DM_EVENT_TYPES) or DM_EVENT_TYPES
        expansions = csv_set(q, ("expansions",), DM_EXPANSIONS)
        fields = with_implied(csv_set(q, ("dm_event.fields",), DM_FIELDS), expansions, DM_IMPLIED)
        user_fields = csv_set(q, ("user.fields",), USER_FIELDS)
        csv_set(q, ("tweet.fields", "post.fields"), TWEET_FIELDS)
        with self.lock:
            # the page below the token and one more (to know there is more), found by bisection: a history
            # of a million DMs pages as fast as ten
            end = bisect_left(self.store.dm_ids, after) if after is not None else len(self.store.dm_ids)
            window = self.store.dms[max(0, end - limit - 1) : end] if "MessageCreate" in types else []
            if conversation is not None:  # one conversation: filtered, so read the whole history below
                window = [e for e in self.store.dms[:end] if e.dm_conversation_id == conversation]
                window = window[-limit - 1 :] if "MessageCreate" in types else []
            page = self._stuck(req, paginate(reversed(window), lambda e: int(e.id), limit=limit))
            body: dict[str, Any] = {}
            if page.items:
                body["data"] = [e.to_json(fields) for e in page.items]
                stray = [e for e in self.store.dms if e.id == self.store.stray_dm]
                if stray and len(body["data"]) > 1:  # an old one among newer ones (a faulty server)
                    body["data"].insert(1, stray[0].to_json(fields))
                includes = self.store.dm_includes(page.items, expansions, user_fields)
                if includes:
                    body["includes"] = includes
            body["meta"] = {"result_count": len(page.items)}
            if page.next_token:
                body["meta"]["next_token"] = page.next_token
            return Reply(200, body)

    def _stuck(self, req: Request, page: Page, tokens: tuple[str, ...] = ("pagination_token",)) -> Page:
        """The page, whose ``next_token`` is the one it was asked with while the store's cursor is stuck, or
        one followed before while its tokens cycle (``cycle_cursor``)."""
        asked = next((v[0] for k in tokens if (v := req.query.get(k))), None)
        if self.store.stuck_cursor and asked and page.next_token:
            return Page(page.items, asked)
        return Page(page.items, self.store.cycler.next(asked, page.next_token, req.path))

    def _username(self, tweet: Tweet) -> str:
        user = self.store.users.get(str(tweet.author_id))
        return user.username if user else ""

    def _timeline(
        self, req: Request, newest_first: list[Tweet], *, low: int, tokens: tuple[str, ...]
    ) -> Reply:
        q = req.query
        limit = int_param(q, "max_results", low, 100, 10)
        since, until = id_param(q, "since_id"), id_param(q, "until_id")
        after = read_token(q, tokens)
        start = None if since is not None else time_param(q, "start_time")
        end = time_param(q, "end_time")
        items = [
            t
            for t in newest_first
            if (start is None or t.created_at >= start) and (end is None or t.created_at < end)
        ]
        page = paginate(items, lambda t: int(t.id), limit=limit, since_id=since, until_id=until, after=after)
        return self._tweets_reply(req, self._stuck(req, page, tokens))

    def _tweets_reply(self, req: Request, page: Page, *, single: bool = False) -> Reply:
        q = req.query
        expansions = csv_set(q, ("expansions",), TWEET_EXPANSIONS)
        fields = with_implied(
            csv_set(q, ("tweet.fields", "post.fields"), TWEET_FIELDS), expansions, TWEET_IMPLIED
        )
        user_fields = csv_set(q, ("user.fields",), USER_FIELDS)
        data = [self.store.tweet_json(t, fields) for t in page.items]
        body: dict[str, Any] = {"data": data[0]} if single else ({"data": data} if data else {})
        includes = self.store.tweet_includes(page.items, expansions, user_fields, fields)
        if includes:
            body["includes"] = includes
        if not single:
            meta: dict[str, Any] = {"result_count": len(data)}
            if page.items:
                meta["newest_id"], meta["oldest_id"] = page.items[0].id, page.items[-1].id
            if page.next_token:
                meta["next_token"] = page.next_token
            body["meta"] = meta
        return Reply(200, body)

    # --- writes --------------------------------------------------------------------------------------
    def create_tweet(self, req: Request, caller: Principal) -> Reply:
        """A post by the brand; a reply joins its target's conversation. X's rules: 280 weighted
        characters, no duplicate text, and replies only where the brand was summoned."""
        body = json_object(req.body)
        text, reply, quote = body.get("text"), body.get("reply"), body.get("quote_tweet_id")
        if body.get("media") or body.get("poll"):
            raise Invalid("media", "", "The sandbox does not support media or polls")
        if not isinstance(text, str) or not text.strip():
            raise Invalid("text", str(text), "The `text` field is required and must be a non-empty string")
        target = None
        if reply is not None:
            target = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
            if not isinstance(target, str) or not ID.match(target):
                raise Invalid(
                    "reply.in_reply_to_tweet_id", str(target), "reply.in_reply_to_tweet_id is required"
                )
        if quote is not None and (not isinstance(quote, str) or not ID.match(quote)):
            raise Invalid("quote_tweet_id", str(quote), "quote_tweet_id must be a post id")
        with self.lock:
            for name, ref in (("reply.in_reply_to_tweet_id", target), ("quote_tweet_id", quote)):
                if ref is not None and ref not in self.store.tweets:
                    raise Invalid(name, ref, f"The post {ref} does not exist or is not visible to you")
            refused = self._refusal(text, target)
            if refused:
                return problem(403, "Forbidden", refused)
            tweet = self.store.add_tweet(text, self.store.brand, reply_to=target, quote_of=quote)
            self.store.sent_tweets.append(
                {
                    "id": tweet.id,
                    "text": text,
                    "in_reply_to": target,
                    "quote_tweet_id": quote,
                    "conversation_id": tweet.conversation_id,
                    "created_at": x_time(tweet.created_at),
                }
            )
        said = shown(post_text(text)[0], escape=True)[0]
        return Reply(201, {"data": {"id": tweet.id, "text": said, "edit_history_tweet_ids": [tweet.id]}})

    def _refusal(self, text: str, target: str | None) -> str | None:
        brand = self.store.brand.id
        counted = text
        if target is not None:  # the @mentions X adds in front of a reply do not count
            counted = text.lstrip()
            while counted.startswith("@") and " " in counted:
                counted = counted.split(" ", 1)[1].lstrip()
        if weighted_length(counted) > 280:
            return (
                "Your Tweet text is too long. For more information on how X determines text length see "
                "https://github.com/twitter/twitter-text."
            )
        if any(t.author_id == brand and t.text == text for t in self.store.tweets.values()):
            return "You are not allowed to create a Tweet with duplicate content."
        if target is not None and self.summoned_only:
            parent = self.store.tweets[target]
            quoted = parent.ref("quoted")
            engaged = (
                parent.author_id == brand
                or brand in parent.mentions
                or (
                    quoted is not None
                    and quoted in self.store.tweets
                    and self.store.tweets[quoted].author_id == brand
                )
            )
            if not engaged:
                return NOT_SUMMONED
        return None

    def create_dm(self, req: Request, caller: Principal) -> Reply:
        participant = check_id("id", req.params["id"])
        body = json_object(req.body)
        text = body.get("text")
        if body.get("attachments"):
            raise Invalid("attachments", "", "The sandbox does not support DM attachments")
        if not isinstance(text, str) or not 1 <= len(text) <= 10_000:
            raise Invalid("text", str(text)[:40], "The `text` field must be 1 to 10,000 characters")
        with self.lock:
            user = self.store.users.get(participant)
            if user is None or participant == self.store.brand.id:
                raise Invalid(
                    "participant_id", participant, f"participant_id [{participant}] cannot receive DMs"
                )
            event = self.store.add_dm(text, self.store.brand, user)
            self.store.sent_dms.append(
                {
                    "id": event.id,
                    "text": text,
                    "recipient_id": user.id,
                    "recipient": user.username,
                    "dm_conversation_id": event.dm_conversation_id,
                    "created_at": x_time(event.created_at),
                }
            )
        return Reply(201, {"data": {"dm_conversation_id": event.dm_conversation_id, "dm_event_id": event.id}})
