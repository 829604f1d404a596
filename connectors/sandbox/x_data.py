"""The X sandbox's state and response shaping: users, tweets, DM events, field selection. No HTTP here."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from connectors.sandbox._server import Reply, Request

PROBLEM_TITLES = {
    400: "Invalid Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
TWEET_DEFAULTS = ("id", "text", "edit_history_tweet_ids")
USER_DEFAULTS = ("id", "name", "username")
DM_DEFAULTS = ("id", "event_type", "text")
SEARCH_TOKEN = re.compile(r'-?"[^"]+"|\S+')


def problem(status: int, detail: str | None = None, *, kind: str | None = None) -> dict[str, Any]:
    """X's problem-details error body."""
    title = PROBLEM_TITLES.get(status, "Error")
    return {
        "title": title,
        "detail": detail or title,
        "status": status,
        "type": f"https://api.x.com/2/problems/{kind}" if kind else "about:blank",
    }


def fmt_time(at: datetime) -> str:
    """X's time format, milliseconds included: ``2026-01-02T03:04:05.000Z``."""
    at = at.astimezone(UTC)
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def _fields(req: Request, *names: str) -> set[str]:
    out: set[str] = set()
    for name in names:
        for value in req.query.get(name, []):
            out.update(v for v in value.split(",") if v)
    return out


class XState:
    """Everything the sandbox knows, guarded by one lock."""

    def __init__(self, brand_handle: str, brand_id: str) -> None:
        self.lock = threading.RLock()
        self.brand_handle, self.brand_id = brand_handle, brand_id
        self._ids = itertools.count(1_800_000_000_000_000_000, 1_000)
        self.users: dict[str, dict[str, Any]] = {}
        self.handles: dict[str, str] = {}
        self.tweets: dict[str, dict[str, Any]] = {}
        self.raw_ids: set[str] = set()
        self.dms: list[dict[str, Any]] = []
        self.sent_tweets: list[dict[str, Any]] = []
        self.sent_dms: list[dict[str, Any]] = []
        self._register(brand_id, brand_handle, brand_handle, 25_000)

    def next_id(self) -> str:
        with self.lock:
            return str(next(self._ids))

    def _register(self, uid: str, handle: str, name: str, followers: int) -> str:
        self.users[uid] = {"id": uid, "username": handle, "name": name, "followers": followers}
        self.handles[handle.lower()] = uid
        return uid

    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str:
        with self.lock:
            existing = self.handles.get(handle.lower())
            if existing:
                self.users[existing]["followers"] = followers
                return existing
            return self._register(str(next(self._ids) + 7), handle, name or handle, followers)

    def user_id(self, handle: str) -> str:
        return self.handles.get(handle.lower()) or self.add_user(handle)

    def add_tweet(
        self,
        text: str,
        author: str,
        *,
        in_reply_to: str | None = None,
        quote_of: str | None = None,
        retweet_of: str | None = None,
        created_at: datetime | None = None,
    ) -> str:
        with self.lock:
            tid, uid = self.next_id(), self.user_id(author)
            refs = [
                {"type": t, "id": i}
                for t, i in (("replied_to", in_reply_to), ("quoted", quote_of), ("retweeted", retweet_of))
                if i
            ]
            parent = self.tweets.get(in_reply_to or "")
            tweet: dict[str, Any] = {
                "id": tid,
                "text": text,
                "edit_history_tweet_ids": [tid],
                "author_id": uid,
                "created_at": fmt_time(created_at or datetime.now(UTC)),
                "conversation_id": (parent or {}).get("conversation_id", in_reply_to or tid),
                "lang": "en",
                "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0},
            }
            if parent:
                tweet["in_reply_to_user_id"] = parent.get("author_id")
            if refs:
                tweet["referenced_tweets"] = refs
            self.tweets[tid] = tweet
            return tid

    def add_raw(self, tweet: dict[str, Any]) -> str:
        with self.lock:
            raw = dict(tweet)
            raw.setdefault("id", self.next_id())
            raw.setdefault("created_at", fmt_time(datetime.now(UTC)))
            raw.setdefault("edit_history_tweet_ids", [raw["id"]])
            self.tweets[str(raw["id"])] = raw
            self.raw_ids.add(str(raw["id"]))
            return str(raw["id"])

    def add_dm(
        self, text: str, sender: str, *, recipient: str | None = None, created_at: datetime | None = None
    ) -> str:
        with self.lock:
            sid = self.user_id(sender)
            other = self.user_id(recipient) if recipient else self.brand_id
            eid = self.next_id()
            low, high = sorted([sid, other], key=int)
            self.dms.append(
                {
                    "id": eid,
                    "event_type": "MessageCreate",
                    "text": text,
                    "sender_id": sid,
                    "dm_conversation_id": f"{low}-{high}",
                    "participant_ids": [low, high],
                    "created_at": fmt_time(created_at or datetime.now(UTC)),
                }
            )
            return eid

    def has_tweet(self, tid: str) -> bool:
        return tid in self.tweets

    def is_duplicate(self, text: str) -> bool:
        return any(t["text"] == text for t in self.sent_tweets)

    def post_brand_tweet(self, text: str, reply_to: str | None) -> str:
        with self.lock:
            tid = self.add_tweet(text, self.brand_handle, in_reply_to=reply_to)
            self.sent_tweets.append(
                {
                    "id": tid,
                    "text": text,
                    "in_reply_to": reply_to,
                    "conversation_id": self.tweets[tid]["conversation_id"],
                }
            )
            return tid

    def post_brand_dm(self, text: str, participant_id: str) -> tuple[str, str]:
        with self.lock:
            handle = self.users.get(participant_id, {}).get("username")
            if handle is None:
                self._register(participant_id, f"user{participant_id[-6:]}", f"user{participant_id[-6:]}", 0)
                handle = self.users[participant_id]["username"]
            eid = self.add_dm(text, self.brand_handle, recipient=handle)
            conversation = self.dms[-1]["dm_conversation_id"]
            self.sent_dms.append(
                {"id": eid, "text": text, "recipient_id": participant_id, "dm_conversation_id": conversation}
            )
            return eid, conversation

    def mentions_of(self, uid: str) -> list[dict[str, Any]]:
        handle = self.users.get(uid, {}).get("username", "")
        needle = f"@{handle}".lower()
        with self.lock:
            return [
                t
                for tid, t in self.tweets.items()
                if tid in self.raw_ids or needle in str(t.get("text", "")).lower()
            ]

    def tweets_by(self, uid: str) -> list[dict[str, Any]]:
        with self.lock:
            return [t for t in self.tweets.values() if t.get("author_id") == uid]

    def search(self, query: str) -> list[dict[str, Any]]:
        """Recent search: plain terms (all, or any with OR), -term, from:/-from:; never retweets."""
        tokens = [t.strip('"') for t in SEARCH_TOKEN.findall(query)]
        any_of = "OR" in tokens
        words = [t.lower() for t in tokens if t != "OR" and not t.startswith("-") and ":" not in t]
        banned = [t[1:].lower() for t in tokens if t.startswith("-") and ":" not in t]
        authors = {t[5:].lower() for t in tokens if t.startswith("from:")}
        not_authors = {t[6:].lower() for t in tokens if t.startswith("-from:")}
        out = []
        with self.lock:
            for tid, t in self.tweets.items():
                text = str(t.get("text", "")).lower()
                author = self.users.get(str(t.get("author_id")), {}).get("username", "").lower()
                retweet = any(r.get("type") == "retweeted" for r in t.get("referenced_tweets") or [])
                hits = [w in text for w in words]
                if tid in self.raw_ids or retweet or (words and not (any(hits) if any_of else all(hits))):
                    continue
                if (
                    any(b in text for b in banned)
                    or (authors and author not in authors)
                    or author in not_authors
                ):
                    continue
                out.append(t)
        return out

    def user_object(self, uid: str, req: Request) -> dict[str, Any]:
        user = self.users[uid]
        wanted = _fields(req, "user.fields")
        out = {k: user[k] for k in USER_DEFAULTS}
        if "public_metrics" in wanted:
            out["public_metrics"] = {
                "followers_count": user["followers"],
                "following_count": 12,
                "tweet_count": 240,
                "listed_count": 1,
            }
        return out

    def _shape_tweet(self, tweet: dict[str, Any], wanted: set[str]) -> dict[str, Any]:
        if str(tweet.get("id")) in self.raw_ids:
            return dict(tweet)
        return {k: v for k, v in tweet.items() if k in TWEET_DEFAULTS or k in wanted}

    def timeline(
        self,
        page: list[dict[str, Any]],
        rest: list[dict[str, Any]],
        req: Request,
        token: Callable[[int], str],
    ) -> Reply:
        wanted = _fields(req, "tweet.fields", "post.fields")
        wanted |= _fields(req, "expansions") & {"author_id", "in_reply_to_user_id"}  # expanded ids come along
        body: dict[str, Any] = {}
        if page:
            body["data"] = [self._shape_tweet(t, wanted) for t in page]
            expansions = _fields(req, "expansions")
            ids = set()
            if "author_id" in expansions:
                ids |= {str(t.get("author_id")) for t in page}
            if "in_reply_to_user_id" in expansions:
                ids |= {str(t["in_reply_to_user_id"]) for t in page if t.get("in_reply_to_user_id")}
            users = [self.user_object(i, req) for i in sorted(ids) if i in self.users]
            if users:
                body["includes"] = {"users": users}
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta["newest_id"], meta["oldest_id"] = str(page[0]["id"]), str(page[-1]["id"])
        if page and rest:
            meta["next_token"] = token(int(page[-1]["id"]))
        body["meta"] = meta
        return Reply(200, body)

    def dm_page(self, req: Request, before: int | None, token: Callable[[int], str]) -> Reply:
        size = int(req.arg("max_results") or 100)
        if not 1 <= size <= 100:
            return Reply(400, problem(400, "max_results must be between 1 and 100", kind="invalid-request"))
        wanted = _fields(req, "dm_event.fields")
        with self.lock:
            events = sorted(
                (e for e in self.dms if before is None or int(e["id"]) < before),
                key=lambda e: int(e["id"]),
                reverse=True,
            )
        page, rest = events[:size], events[size:]
        body: dict[str, Any] = {"meta": {"result_count": len(page)}}
        if page:
            body["data"] = [{k: v for k, v in e.items() if k in DM_DEFAULTS or k in wanted} for e in page]
            ids = {e["sender_id"] for e in page} | {p for e in page for p in e["participant_ids"]}
            if _fields(req, "expansions") & {"sender_id", "participant_ids"}:
                body["includes"] = {
                    "users": [self.user_object(i, req) for i in sorted(ids) if i in self.users]
                }
        if page and rest:
            body["meta"]["next_token"] = token(int(page[-1]["id"]))
        return Reply(200, body)
