"""The X sandbox's state and its JSON shapes (API v2, tweet-era names). No I/O; callers hold the lock."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.sandbox._cycle import Cycler
from connectors.sandbox.x.shown import post_text, shown

TWITTER_EPOCH_MS = 1288834974657
HANDLE = re.compile(r"(?<![\w@])@(\w{1,15})")


def x_time(when: datetime) -> str:
    """X's timestamp: ``2026-01-02T03:04:05.000Z`` (tweepy needs the milliseconds)."""
    when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


class Snowflakes:
    """Numeric string ids that increase like X's snowflakes (time-based, strictly increasing)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> str:
        stamp = (int(time.time() * 1000) - TWITTER_EPOCH_MS) << 22
        self._last = max(stamp, self._last + 1)
        return str(self._last)


def user_id(handle: str) -> str:
    """A customer's id from their handle (case-insensitive), the same in every world of the sandbox, as a
    real account's id never changes; 19 digits like X's, never a tweet's (those start with 2 today)."""
    digest = int(hashlib.sha256(handle.lstrip("@").lower().encode()).hexdigest(), 16)
    return str(1_000_000_000_000_000_000 + digest % 900_000_000_000_000_000)


@dataclass
class User:
    id: str
    username: str
    name: str
    followers: int = 0

    def to_json(self, fields: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name, "username": self.username}
        if "public_metrics" in fields:
            out["public_metrics"] = {
                "followers_count": self.followers,
                "following_count": 0,
                "tweet_count": 0,
                "listed_count": 0,
            }
        return out


@dataclass
class Tweet:
    id: str
    text: Any
    author_id: Any
    created_at: datetime
    conversation_id: str
    in_reply_to_user_id: str | None = None
    refs: list[tuple[str, str]] = field(default_factory=list)  # (replied_to|quoted|retweeted, id)
    lang: str = "en"
    mentions: set[str] = field(default_factory=set)  # user ids whose mentions timeline shows it
    raw: dict[str, Any] | None = None  # a verbatim (possibly malformed) object, sent as it is
    history: list[str] = field(
        default_factory=list
    )  # the ids of its earlier versions (an edit), oldest first
    superseded: bool = False  # edited since: timelines show the newest version only
    media: tuple[str, ...] = ()  # photo | video | animated_gif, attached in this order

    @property
    def is_retweet(self) -> bool:
        return any(kind == "retweeted" for kind, _ in self.refs)

    def ref(self, kind: str) -> str | None:
        return next((i for k, i in self.refs if k == kind), None)


@dataclass
class DmEvent:
    id: str
    text: str
    sender_id: str
    dm_conversation_id: str
    created_at: datetime
    media: tuple[str, ...] = ()  # photo | video | animated_gif

    def to_json(self, fields: set[str]) -> dict[str, Any]:
        text, urls = shown(self.text, escape=False)
        out: dict[str, Any] = {"id": self.id, "event_type": "MessageCreate", "text": text}
        if self.media and "attachments" in fields:
            out["attachments"] = {"media_keys": media_keys(self.id, self.media)}
        if urls and "entities" in fields:
            out["entities"] = {"urls": urls}
        for name in ("sender_id", "dm_conversation_id"):
            if name in fields:
                out[name] = getattr(self, name)
        if "created_at" in fields:
            out["created_at"] = x_time(self.created_at)
        return out


MEDIA_PREFIX = {"photo": "3", "video": "7", "animated_gif": "16"}  # X's media_key prefixes


def media_keys(owner: str, media: tuple[str, ...]) -> list[str]:
    """The ``media_key`` of each attached medium, as X writes them (``3_<id>`` for a photo...)."""
    return [f"{MEDIA_PREFIX[kind]}_{int(owner) + n}" for n, kind in enumerate(media, 1)]


def conversation_between(a: str, b: str) -> str:
    """A 1:1 DM conversation id: ``"{smaller}-{larger}"``."""
    low, high = sorted((a, b), key=int)
    return f"{low}-{high}"


class XStore:
    """Users, tweets and DM events of one sandbox; everything the API and the control API read and write."""

    def __init__(self, brand_handle: str, brand_id: str) -> None:
        self.ids = Snowflakes()
        self.users: dict[str, User] = {}
        self.tweets: dict[str, Tweet] = {}  # insertion order = id order
        self.dms: list[DmEvent] = []  # in id order (ids increase as they are made)
        self.dm_ids: list[int] = []  # int ids of ``dms``, for paging by bisection
        self.sent_tweets: list[dict[str, Any]] = []
        self.sent_dms: list[dict[str, Any]] = []
        self.stuck_cursor = False  # timelines and DM events hand back the token they were asked with
        self.cycler = Cycler()  # or tokens that cycle (A -> B -> A ...)
        self.stray_dm: str | None = None  # a DM event id slipped into every page, out of order
        self.brand = User(brand_id, brand_handle, brand_handle, followers=25_000)
        self.users[brand_id] = self.brand
        self._by_handle: dict[str, User] = {brand_handle.lower(): self.brand}  # handles never change

    # --- users -----------------------------------------------------------------------------------
    def find_user(self, handle: str) -> User | None:
        return self._by_handle.get(handle.lstrip("@").lower())

    def user(self, handle: str, name: str | None = None, followers: int | None = None) -> User:
        """The user with this handle, created when new; ``name``/``followers`` update it when given."""
        found = self.find_user(handle)
        if found is None:
            found = User(user_id(handle), handle.lstrip("@"), name or handle.lstrip("@"))
            self.users[found.id] = found
            self._by_handle[found.username.lower()] = found
        if name is not None:
            found.name = name
        if followers is not None:
            found.followers = followers
        return found

    def mentioned_ids(self, text: str) -> set[str]:
        found = (self.find_user(h) for h in HANDLE.findall(text))
        return {u.id for u in found if u is not None}

    # --- tweets ----------------------------------------------------------------------------------
    def add_tweet(
        self,
        text: str,
        author: User,
        *,
        reply_to: str | None = None,
        quote_of: str | None = None,
        retweet_of: str | None = None,
        created_at: datetime | None = None,
        lang: str = "en",
        mentions: Iterable[str] = (),
    ) -> Tweet:
        tweet_id = self.ids.next()
        tweet = Tweet(tweet_id, text, author.id, created_at or datetime.now(UTC), tweet_id, lang=lang)
        for kind, target in (("replied_to", reply_to), ("quoted", quote_of), ("retweeted", retweet_of)):
            if target is None:
                continue
            parent = self.tweets.get(target)
            if parent is None:
                raise KeyError(f"no tweet {target} in the sandbox")
            tweet.refs.append((kind, target))
            if kind == "replied_to":
                tweet.conversation_id = parent.conversation_id
                tweet.in_reply_to_user_id = str(parent.author_id)
        tweet.mentions = set(mentions) | self.mentioned_ids(text)
        self.tweets[tweet_id] = tweet
        return tweet

    def edit_tweet(self, tweet_id: str, text: str, at: datetime | None = None) -> Tweet:
        """The author edits a post: as on X, the edit is a new post with a new id whose
        ``edit_history_tweet_ids`` chains the earlier ones; timelines show only the newest version."""
        old = self.tweets[tweet_id]
        if old.superseded or old.raw is not None:
            raise ValueError(f"tweet {tweet_id} cannot be edited")
        new_id = self.ids.next()
        new = Tweet(
            new_id,
            text,
            old.author_id,
            at or datetime.now(UTC),
            old.conversation_id,
            old.in_reply_to_user_id,
            refs=list(old.refs),
            lang=old.lang,
            mentions=set(old.mentions) | self.mentioned_ids(text),
            history=[*old.history, old.id],
        )
        old.superseded = True
        self.tweets[new_id] = new
        return new

    def add_raw(self, obj: Mapping[str, Any], *, fill: bool, mention_of: str) -> Tweet:
        """A verbatim object in ``mention_of``'s mentions timeline; ``fill`` adds a missing
        ``id``, ``created_at`` and ``edit_history_tweet_ids`` (never ``text`` or ``author_id``)."""
        raw = dict(obj)
        tweet_id = self.ids.next()
        now = datetime.now(UTC)
        if fill:
            raw.setdefault("id", tweet_id)
            raw.setdefault("created_at", x_time(now))
            raw.setdefault("edit_history_tweet_ids", [raw["id"]])
        tweet = Tweet(tweet_id, raw.get("text"), raw.get("author_id"), now, tweet_id, raw=raw)
        tweet.mentions = {mention_of}
        self.tweets[tweet_id] = tweet
        return tweet

    def reply_count(self, tweet_id: str) -> int:
        return sum(1 for t in self.tweets.values() if t.ref("replied_to") == tweet_id)

    def tweet_json(self, tweet: Tweet, fields: set[str]) -> dict[str, Any]:
        if tweet.raw is not None:
            return dict(tweet.raw)
        cut, whole = post_text(tweet.text)
        text, urls = shown(cut, escape=True)
        out: dict[str, Any] = {
            "id": tweet.id,
            "text": text,
            "edit_history_tweet_ids": [*tweet.history, tweet.id],
        }
        if whole is not None and "note_tweet" in fields:
            note, note_urls = shown(whole, escape=True)
            out["note_tweet"] = {"text": note, **({"entities": {"urls": note_urls}} if note_urls else {})}
        if urls and "entities" in fields:
            out["entities"] = {"urls": urls}
        if tweet.media and "attachments" in fields:
            out["attachments"] = {"media_keys": media_keys(tweet.id, tweet.media)}
        optional: dict[str, Any] = {
            "author_id": tweet.author_id,
            "created_at": x_time(tweet.created_at),
            "conversation_id": tweet.conversation_id,
            "in_reply_to_user_id": tweet.in_reply_to_user_id,
            "referenced_tweets": [{"type": k, "id": i} for k, i in tweet.refs] or None,
            "lang": tweet.lang,
        }
        out.update({k: v for k, v in optional.items() if k in fields and v is not None})
        if "public_metrics" in fields:
            out["public_metrics"] = {
                "retweet_count": 0,
                "reply_count": self.reply_count(tweet.id),
                "like_count": 0,
                "quote_count": 0,
                "bookmark_count": 0,
                "impression_count": 0,
            }
        return out

    def tweet_includes(
        self, tweets: list[Tweet], expansions: set[str], user_fields: set[str], tweet_fields: set[str]
    ) -> dict[str, Any]:
        """``includes.users`` / ``includes.tweets`` for the requested expansions."""
        user_ids: list[str] = []
        refs: list[Tweet] = []
        for tweet in tweets:
            if tweet.raw is not None:
                continue
            if "author_id" in expansions:
                user_ids.append(str(tweet.author_id))
            if "in_reply_to_user_id" in expansions and tweet.in_reply_to_user_id:
                user_ids.append(tweet.in_reply_to_user_id)
            if "referenced_tweets.id" in expansions:
                refs.extend(self.tweets[i] for _, i in tweet.refs if i in self.tweets)
        includes: dict[str, Any] = {}
        users = [self.users[i] for i in dict.fromkeys(user_ids) if i in self.users]
        if users:
            includes["users"] = [u.to_json(user_fields) for u in users]
        if refs:
            unique = {t.id: t for t in refs}.values()
            includes["tweets"] = [self.tweet_json(t, tweet_fields) for t in unique]
        return includes

    # --- DMs -------------------------------------------------------------------------------------
    def add_dm(self, text: str, sender: User, recipient: User, created_at: datetime | None = None) -> DmEvent:
        event = DmEvent(
            self.ids.next(),
            text,
            sender.id,
            conversation_between(sender.id, recipient.id),
            created_at or datetime.now(UTC),
        )
        self.dms.append(event)
        self.dm_ids.append(int(event.id))
        return event

    def dm_includes(
        self, events: list[DmEvent], expansions: set[str], user_fields: set[str]
    ) -> dict[str, Any]:
        """``includes.users`` for ``sender_id``; ``participant_ids`` only exists on join/leave events,
        which the sandbox does not produce, so it expands to nothing (as on X for MessageCreate)."""
        ids = [e.sender_id for e in events] if "sender_id" in expansions else []
        users = [self.users[i] for i in dict.fromkeys(ids) if i in self.users]
        return {"users": [u.to_json(user_fields) for u in users]} if users else {}

    def counts(self) -> dict[str, int]:
        return {
            "users": len(self.users),
            "tweets": len(self.tweets),
            "mentions": sum(1 for t in self.tweets.values() if self.brand.id in t.mentions),
            "dms": len(self.dms),
            "sent_tweets": len(self.sent_tweets),
            "sent_dms": len(self.sent_dms),
        }
