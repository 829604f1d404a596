"""The Bluesky sandbox's state: accounts, posts, the brand's notifications, chat convos. No I/O.

Not thread-safe on its own: the sandbox calls it under its lock. Listings are newest first by a sequence
number, and a cursor is the sequence number of the last item of a page. Post rkeys and chat message ids are
TIDs of the clock, as Bluesky's: a message's is the time the sandbox takes it in, strictly increasing, so a
restarted sandbox never reissues an earlier one's ids.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from connectors.sandbox._cycle import Cycler

POST = "app.bsky.feed.post"
S32 = "234567abcdefghijklmnopqrstuvwxyz"


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fake_cid(*parts: str) -> str:
    """A CID-shaped string (``bafyrei`` + base32 of a hash); not a real content hash of DAG-CBOR."""
    digest = hashlib.sha256(":".join(parts).encode()).digest()
    return "bafyrei" + base64.b32encode(digest).decode().lower().rstrip("=")[:52]


def tid(micros: int, clock_id: int) -> str:
    """A TID: 11 base32-sortable characters of microseconds, then 2 of clock id (written independently of
    the connector's, so the sandbox checks the connector rather than itself)."""
    digits = []
    value = (micros << 10) | (clock_id & 0x3FF)
    for _ in range(13):
        digits.append(S32[value & 31])
        value >>= 5
    return "".join(reversed(digits))


def tid_micros(key: str) -> int | None:
    """The microseconds of a TID, or None when ``key`` is not a TID."""
    if len(key) != 13 or key[0] not in S32[:16] or any(c not in S32 for c in key):
        return None
    value = 0
    for c in key:
        value = value * 32 + S32.index(c)
    return value >> 10


def did_for(handle: str) -> str:
    return (
        "did:plc:" + base64.b32encode(hashlib.sha256(handle.lower().encode()).digest()).decode().lower()[:24]
    )


@dataclass
class Account:
    did: str
    handle: str
    display_name: str | None = None
    dms_open: bool = True

    def basic(self) -> dict[str, Any]:
        view: dict[str, Any] = {"did": self.did, "handle": self.handle, "labels": []}
        if self.display_name:
            view["displayName"] = self.display_name
        return view


@dataclass
class Post:
    seq: int
    uri: str
    cid: str
    author: str  # did
    record: dict[str, Any]
    indexed_at: datetime
    replies_closed: bool = False  # a threadgate that leaves the brand out


@dataclass
class Message:
    seq: int
    id: str
    convo_id: str
    sender: str  # did
    text: str
    sent_at: datetime
    embed: dict[str, Any] | None = None  # a shared post (app.bsky.embed.record)

    def view(self) -> dict[str, Any]:
        view = {
            "$type": "chat.bsky.convo.defs#messageView",
            "id": self.id,
            "rev": tid(self.seq, 0),
            "text": self.text,
            "sender": {"did": self.sender},
            "sentAt": iso(self.sent_at),
        }
        if self.embed is not None:
            view["embed"] = self.embed
        return view


def media_embed(images: Sequence[str], video: str | None) -> dict[str, Any] | None:
    """A post record's embed of images (their alt texts) or a video (its alt text), as the app writes it."""

    def blob(mime: str, n: int) -> dict[str, Any]:
        return {
            "$type": "blob",
            "ref": {"$link": fake_cid("blob", mime, str(n))},
            "mimeType": mime,
            "size": 1000,
        }

    if images:
        pictures = [{"alt": alt, "image": blob("image/jpeg", i)} for i, alt in enumerate(images)]
        return {"$type": "app.bsky.embed.images", "images": pictures}
    if video is not None:
        return {"$type": "app.bsky.embed.video", "video": blob("video/mp4", 0), "alt": video}
    return None


def embed_view(embed: Any, did: str) -> dict[str, Any] | None:
    """The AppView's rendering of a record's media embed (images, video; the media of a quote with media)."""
    if not isinstance(embed, dict):
        return None
    kind = embed.get("$type")
    if kind == "app.bsky.embed.recordWithMedia":
        media = embed_view(embed.get("media"), did)
        quoted = {"$type": "app.bsky.embed.record#viewRecord", "uri": embed["record"]["record"]["uri"]}
        record = {"$type": "app.bsky.embed.record#view", "record": quoted}
        return {"$type": kind + "#view", "record": record, "media": media} if media else None
    cdn = "https://cdn.bsky.app/img"
    if kind == "app.bsky.embed.images":
        views = []
        for image in embed["images"]:
            link = image["image"]["ref"]["$link"]
            views.append(
                {
                    "thumb": f"{cdn}/feed_thumbnail/plain/{did}/{link}@jpeg",
                    "fullsize": f"{cdn}/feed_fullsize/plain/{did}/{link}@jpeg",
                    "alt": image["alt"],
                }
            )
        return {"$type": kind + "#view", "images": views}
    if kind == "app.bsky.embed.video":
        link = embed["video"]["ref"]["$link"]
        playlist = f"https://video.bsky.app/watch/{did}/{link}/playlist.m3u8"
        return {"$type": kind + "#view", "cid": link, "playlist": playlist, "alt": embed.get("alt", "")}
    return None


@dataclass
class Convo:
    id: str
    members: list[str]  # dids
    messages: list[Message] = field(default_factory=list)


class BlueskyStore:
    """Accounts, posts, notifications for the brand, and the brand's chat convos."""

    def __init__(self, brand_handle: str, brand_name: str) -> None:
        self.seq = 0
        self.accounts: dict[str, Account] = {}
        self.posts: dict[str, Post] = {}
        self.notifications: list[
            tuple[int, dict[str, Any] | str]
        ] = []  # (seq, raw object or post uri+reason)
        self.reasons: dict[int, tuple[str, str | None]] = {}  # seq -> (reason, reasonSubject)
        self.convos: dict[str, Convo] = {}
        self.refused: dict[str, int] = {}  # convo id -> the status getMessages answers for it
        self.stuck_cursor = False  # listings hand back the cursor they were asked with (a stuck cache)
        self.cycler = Cycler()  # or cursors that cycle (A -> B -> A ...)
        self.hollow_pages: bool | str = False  # empty pages (with a cursor) before each older one; "endless"
        self.sent_posts: list[dict[str, Any]] = []
        self.sent_messages: list[dict[str, Any]] = []
        self.brand = self.account(brand_handle, brand_name)
        self._message_micros = 0  # of the last chat message id

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def account(self, handle: str, display_name: str | None = None, dms_open: bool | None = None) -> Account:
        """Create or update an account by handle."""
        handle = handle.removeprefix("@").lower()
        found = next((a for a in self.accounts.values() if a.handle == handle), None)
        if found is None:
            found = Account(did_for(handle), handle)
            self.accounts[found.did] = found
        if display_name:
            found.display_name = display_name
        if dms_open is not None:
            found.dms_open = dms_open
        return found

    def find(self, actor: str) -> Account | None:
        """An account by DID or handle."""
        return self.accounts.get(actor) or next(
            (a for a in self.accounts.values() if a.handle == actor.removeprefix("@").lower()), None
        )

    # --- posts -------------------------------------------------------------------------------
    def add_post(self, author: Account, record: dict[str, Any], *, rkey: str | None = None) -> Post:
        seq = self.next_seq()
        created = record.get("createdAt")
        at = datetime.fromisoformat(created.replace("Z", "+00:00")) if isinstance(created, str) else None
        indexed = at if at is not None and at < datetime.now(UTC) else datetime.now(UTC)
        key = rkey or tid(int(indexed.timestamp() * 1_000_000), seq % 1024)
        uri = f"at://{author.did}/{POST}/{key}"
        post = Post(seq, uri, fake_cid(uri, str(record.get("text"))), author.did, record, indexed)
        self.posts[uri] = post
        self._notify(post)
        return post

    def _notify(self, post: Post) -> None:
        """The brand's notification for a reply to, a quote of, or a mention of the brand."""
        if post.author == self.brand.did:
            return
        reply, embed = post.record.get("reply") or {}, post.record.get("embed") or {}
        parent = self.posts.get((reply.get("parent") or {}).get("uri", ""))
        ref = embed.get("record") or {}
        ref = ref.get("record") or {} if embed.get("$type") == "app.bsky.embed.recordWithMedia" else ref
        quoted = self.posts.get(ref.get("uri", ""))
        mentioned = any(
            f.get("did") == self.brand.did
            for facet in post.record.get("facets") or []
            for f in facet["features"]
        )
        if parent is not None and parent.author == self.brand.did:
            self.reasons[post.seq] = ("reply", parent.uri)
        elif quoted is not None and quoted.author == self.brand.did:
            self.reasons[post.seq] = ("quote", quoted.uri)
        elif mentioned:
            self.reasons[post.seq] = ("mention", None)
        else:
            return
        self.notifications.append((post.seq, post.uri))

    def delete_post(self, uri: str) -> bool:
        """Its author deletes a post (``com.atproto.repo.deleteRecord``): getPosts leaves it out from then on
        and its notifications go. False when there was no such post."""
        if self.posts.pop(uri, None) is None:
            return False
        self.notifications = [(seq, entry) for seq, entry in self.notifications if entry != uri]
        return True

    def add_raw_notification(self, raw: dict[str, Any]) -> int:
        seq = self.next_seq()
        self.notifications.append((seq, raw))
        return seq

    def post_view(self, post: Post) -> dict[str, Any]:
        view: dict[str, Any] = {
            "uri": post.uri,
            "cid": post.cid,
            "author": self.accounts[post.author].basic(),
            "record": post.record,
            "replyCount": 0,
            "repostCount": 0,
            "likeCount": 0,
            "quoteCount": 0,
            "indexedAt": iso(post.indexed_at),
            "labels": [],
            "viewer": {"replyDisabled": post.replies_closed},
        }
        shown = embed_view(post.record.get("embed"), post.author)
        if shown is not None:
            view["embed"] = shown
        return view

    # --- chat --------------------------------------------------------------------------------
    def convo_for(self, other: Account) -> Convo:
        """The brand's 1:1 convo with ``other`` (created on first use)."""
        for convo in self.convos.values():
            if set(convo.members) == {self.brand.did, other.did}:
                return convo
        convo = Convo(fake_cid("convo", other.did)[7:20], [self.brand.did, other.did])
        self.convos[convo.id] = convo
        return convo

    def add_message(self, convo: Convo, sender: Account, text: str, at: datetime | None = None) -> Message:
        """A chat message (``at``: its ``sentAt``, possibly backdated); its id is a TID of now."""
        self._message_micros = max(time.time_ns() // 1000, self._message_micros + 1)
        ident = tid(self._message_micros, 0)
        message = Message(self.next_seq(), ident, convo.id, sender.did, text, at or datetime.now(UTC))
        convo.messages.append(message)
        return message

    def convo_view(self, convo: Convo) -> dict[str, Any]:
        last = convo.messages[-1] if convo.messages else None
        return {
            "id": convo.id,
            "rev": tid(last.seq if last else 0, 0),
            "members": [self.accounts[d].basic() for d in convo.members],
            "lastMessage": last.view() if last else None,
            "muted": False,
            "status": "accepted",
            "unreadCount": 0,
        }

    def counts(self) -> dict[str, int]:
        return {
            "accounts": len(self.accounts),
            "posts": len(self.posts),
            "notifications": len(self.notifications),
            "convos": len(self.convos),
            "sent_posts": len(self.sent_posts),
            "sent_messages": len(self.sent_messages),
        }
