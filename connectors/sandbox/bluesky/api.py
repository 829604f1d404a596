"""The XRPC methods of the Bluesky sandbox, with the PDS's parameter checks and JSON shapes. No I/O.

Errors are ``{"error": <Name>, "message": ...}``. A handler gets the request and the caller's DID and
returns a Reply; it runs under the sandbox's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import regex

from connectors.sandbox._server import Reply, Request
from connectors.sandbox.bluesky.store import POST, BlueskyStore, Post, fake_cid, tid, tid_micros

CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
RKEY_SKEW_US = 600_000_000  # a client-chosen post rkey must be a TID within 10 minutes of now
GRAPHEME = regex.compile(r"\X")
Handler = Callable[[Request, str], Reply]


class XrpcError(Exception):
    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def xrpc_error(status: int, error: str, message: str) -> Reply:
    return Reply(status, {"error": error, "message": message})


def invalid(message: str) -> XrpcError:
    return XrpcError(400, "InvalidRequest", message)


def limit_of(req: Request, default: int) -> int:
    raw = req.arg("limit")
    try:
        value = int(raw) if raw is not None else default
    except ValueError:
        raise invalid("Error: limit must be an integer") from None
    if not 1 <= value <= 100:
        raise invalid("Error: limit can not be greater than 100")
    return value


def page(
    seqs_desc: list[tuple[int, Any]], req: Request, default: int, *, hollow: bool | str = False
) -> tuple[list[Any], str | None]:
    """A page of (seq, item) pairs sorted newest first, from the request's cursor (a sequence number).
    ``hollow``: a page asked with a cursor first comes empty, with a cursor to the same place (as an AppView
    answers when what it read was filtered out after paging); ``"endless"``: every one does."""
    limit, cursor = limit_of(req, default), req.arg("cursor")
    if hollow and cursor and (hollow == "endless" or not cursor.startswith("0")):
        return [], "0" + cursor
    if cursor:
        if not cursor.isdigit():
            raise invalid("Malformed cursor")
        seqs_desc = [(s, i) for s, i in seqs_desc if s < int(cursor)]
    chunk = seqs_desc[:limit]
    more = len(seqs_desc) > limit
    return [i for _, i in chunk], (str(chunk[-1][0]) if chunk and more else None)


def check_post_record(record: Any) -> dict[str, Any]:
    """The lexicon checks of app.bsky.feed.post that matter here: text, createdAt, strong refs."""
    if not isinstance(record, dict) or record.get("$type", POST) != POST:
        raise invalid("Invalid app.bsky.feed.post record: Record/$type must be app.bsky.feed.post")
    text = record.get("text")
    if not isinstance(text, str):
        raise invalid('Invalid app.bsky.feed.post record: Record must have the property "text"')
    if len(GRAPHEME.findall(text)) > 300 or len(text.encode()) > 3000:
        raise invalid("Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes")
    if not isinstance(record.get("createdAt"), str):
        raise invalid('Invalid app.bsky.feed.post record: Record must have the property "createdAt"')
    size = len(text.encode())
    for facet in record.get("facets") or []:
        index = facet.get("index") if isinstance(facet, dict) else None
        start, end = (index or {}).get("byteStart"), (index or {}).get("byteEnd")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size):
            raise invalid("Invalid app.bsky.feed.post record: Record/facets/index must lie within the text")
    reply = record.get("reply")
    if reply is not None:
        for side in ("root", "parent"):
            ref = reply.get(side) if isinstance(reply, dict) else None
            if not (
                isinstance(ref, dict) and isinstance(ref.get("uri"), str) and isinstance(ref.get("cid"), str)
            ):
                raise invalid(f"Invalid app.bsky.feed.post record: Record/reply/{side} must be a strong ref")
    return record


class XrpcApi:
    """The methods, keyed by NSID. ``duplicate_status``: what a create at an existing rkey answers."""

    def __init__(self, store: BlueskyStore, *, duplicate_status: int = 500) -> None:
        self.store, self.duplicate_status = store, duplicate_status

    def routes(self) -> dict[str, tuple[str, Handler, bool]]:
        """NSID -> (HTTP method, handler, is a chat method)."""
        return {
            "app.bsky.actor.getProfile": ("GET", self.get_profile, False),
            "com.atproto.identity.resolveHandle": ("GET", self.resolve_handle, False),
            "com.atproto.server.getSession": ("GET", self.get_session, False),
            "app.bsky.notification.listNotifications": ("GET", self.list_notifications, False),
            "app.bsky.feed.getPosts": ("GET", self.get_posts, False),
            "app.bsky.feed.searchPosts": ("GET", self.search_posts, False),
            "com.atproto.repo.createRecord": ("POST", self.create_record, False),
            "com.atproto.repo.getRecord": ("GET", self.get_record, False),
            "com.atproto.repo.listRecords": ("GET", self.list_records, False),
            "chat.bsky.convo.listConvos": ("GET", self.list_convos, True),
            "chat.bsky.convo.getMessages": ("GET", self.get_messages, True),
            "chat.bsky.convo.getConvoForMembers": ("GET", self.convo_for_members, True),
            "chat.bsky.convo.sendMessage": ("POST", self.send_message, True),
        }

    # --- app.bsky / com.atproto -----------------------------------------------------------------
    def get_profile(self, req: Request, caller: str) -> Reply:
        account = self.store.find(req.arg("actor") or "")
        if account is None:
            raise invalid("Profile not found")
        return Reply(200, {**account.basic(), "followersCount": 0, "followsCount": 0, "postsCount": 0})

    def resolve_handle(self, req: Request, caller: str) -> Reply:
        handle = (req.arg("handle") or "").lower()
        account = next((a for a in self.store.accounts.values() if a.handle == handle), None)
        if account is None:
            raise invalid("Unable to resolve handle")
        return Reply(200, {"did": account.did})

    def get_session(self, req: Request, caller: str) -> Reply:
        account = self.store.accounts[caller]
        return Reply(200, {"did": account.did, "handle": account.handle, "active": True})

    def list_notifications(self, req: Request, caller: str) -> Reply:
        reasons = set(req.query.get("reasons") or [])
        rows: list[tuple[int, Any]] = []
        for seq, entry in reversed(self.store.notifications):
            if isinstance(entry, dict):
                rows.append((seq, entry))
                continue
            reason, subject = self.store.reasons[seq]
            if reasons and reason not in reasons:
                continue
            view = self.store.post_view(self.store.posts[entry])
            note = {**view, "reason": reason, "isRead": False}
            if subject:
                note["reasonSubject"] = subject
            rows.append((seq, note))
        items, cursor = page(rows, req, 50, hollow=self.store.hollow_pages)
        if self.store.stuck_cursor and req.arg("cursor"):
            cursor = req.arg("cursor")
        cursor = self.store.cycler.next(req.arg("cursor"), cursor, req.path)
        body: dict[str, Any] = {"notifications": items, "priority": False}
        if cursor:
            body["cursor"] = cursor
        return Reply(200, body)

    def get_posts(self, req: Request, caller: str) -> Reply:
        uris = req.query.get("uris") or []
        if len(uris) > 25:
            raise invalid("Error: uris can not be greater than 25")
        found = [self.store.posts[u] for u in uris if u in self.store.posts]
        return Reply(200, {"posts": [self.store.post_view(p) for p in found]})

    def search_posts(self, req: Request, caller: str) -> Reply:
        terms = (req.arg("q") or "").lower().split()
        if not terms:
            raise invalid('Error: Params must have the property "q"')
        hits = [
            (p.seq, self.store.post_view(p))
            for p in sorted(self.store.posts.values(), key=lambda p: p.seq, reverse=True)
            if all(t in str(p.record.get("text", "")).lower() for t in terms)
        ]
        items, cursor = page(hits, req, 25, hollow=self.store.hollow_pages)
        body: dict[str, Any] = {"posts": items}
        if cursor:
            body["cursor"] = cursor
        return Reply(200, body)

    def _own_repo(self, repo: Any, caller: str) -> None:
        account = self.store.find(str(repo or ""))
        if account is None or account.did != caller:
            raise invalid(f"Could not find repo: {repo}")

    def create_record(self, req: Request, caller: str) -> Reply:
        body = req.json()
        if not isinstance(body, dict):
            raise invalid("Request body must be a JSON object")
        self._own_repo(body.get("repo"), caller)
        if body.get("collection") != POST:
            raise invalid(f"the sandbox only stores {POST} records")
        record = check_post_record(body.get("record"))
        rkey = body.get("rkey")
        if rkey is not None:
            micros = tid_micros(str(rkey))
            now = int(datetime.now(UTC).timestamp() * 1_000_000)
            if micros is None or abs(micros - now) > RKEY_SKEW_US:
                raise invalid(f"Invalid rkey for {POST}: must be a TID within 10 minutes of now")
            if f"at://{caller}/{POST}/{rkey}" in self.store.posts:
                if self.duplicate_status == 409:
                    raise XrpcError(409, "RecordAlreadyExists", "Record already exists")
                raise XrpcError(500, "InternalServerError", "Internal Server Error")
        post = self.store.add_post(self.store.accounts[caller], {"$type": POST, **record}, rkey=rkey)
        self.store.sent_posts.append(
            {"uri": post.uri, "rkey": post.uri.rsplit("/", 1)[-1], "record": post.record}
        )
        commit = {"cid": fake_cid("commit", post.uri), "rev": tid(post.seq, 0)}
        return Reply(200, {"uri": post.uri, "cid": post.cid, "commit": commit, "validationStatus": "valid"})

    def _records(self, did: str) -> list[Post]:
        mine = [p for p in self.store.posts.values() if p.author == did]
        return sorted(mine, key=lambda p: p.uri.rsplit("/", 1)[-1], reverse=True)

    def get_record(self, req: Request, caller: str) -> Reply:
        account = self.store.find(req.arg("repo") or "")
        uri = f"at://{account.did if account else req.arg('repo')}/{req.arg('collection')}/{req.arg('rkey')}"
        post = self.store.posts.get(uri)
        if post is None:
            raise XrpcError(400, "RecordNotFound", f"Could not locate record: {uri}")
        return Reply(200, {"uri": post.uri, "cid": post.cid, "value": post.record})

    def list_records(self, req: Request, caller: str) -> Reply:
        account = self.store.find(req.arg("repo") or "")
        if account is None:
            raise invalid(f"Could not find repo: {req.arg('repo')}")
        posts = self._records(account.did) if req.arg("collection") == POST else []
        rows = [
            (len(posts) - i, {"uri": p.uri, "cid": p.cid, "value": p.record}) for i, p in enumerate(posts)
        ]
        items, cursor = page(rows, req, 50)
        body: dict[str, Any] = {"records": items}
        if cursor:
            body["cursor"] = cursor
        return Reply(200, body)

    # --- chat.bsky.convo ------------------------------------------------------------------------
    def list_convos(self, req: Request, caller: str) -> Reply:
        active = [c for c in self.store.convos.values() if c.messages]
        rows = sorted(((c.messages[-1].seq, c) for c in active), key=lambda r: r[0], reverse=True)
        items, cursor = page(rows, req, 50, hollow=self.store.hollow_pages)
        if self.store.stuck_cursor and req.arg("cursor"):
            cursor = req.arg("cursor")
        cursor = self.store.cycler.next(req.arg("cursor"), cursor, req.path)
        body: dict[str, Any] = {"convos": [self.store.convo_view(c) for c in items]}
        if cursor:
            body["cursor"] = cursor
        return Reply(200, body)

    def get_messages(self, req: Request, caller: str) -> Reply:
        convo = self.store.convos.get(req.arg("convoId") or "")
        if convo is None or caller not in convo.members:
            raise XrpcError(400, "InvalidConvo", "Convo not found")
        if (status := self.store.refused.get(convo.id)) is not None:
            raise XrpcError(status, "InternalServerError" if status >= 500 else "InvalidRequest", "refused")
        rows = [(m.seq, m.view()) for m in reversed(convo.messages)]
        items, cursor = page(rows, req, 50, hollow=self.store.hollow_pages)
        cursor = self.store.cycler.next(req.arg("cursor"), cursor, f"{req.path}/{convo.id}")
        body: dict[str, Any] = {"messages": items}
        if cursor:
            body["cursor"] = cursor
        return Reply(200, body)

    def convo_for_members(self, req: Request, caller: str) -> Reply:
        others = [d for d in req.query.get("members") or [] if d != caller]
        if len(others) != 1:
            raise invalid("the sandbox supports 1:1 convos only")
        other = self.store.find(others[0])
        if other is None:
            raise XrpcError(400, "RecipientNotFound", "recipient not found")
        if not other.dms_open:
            raise XrpcError(400, "MessagesDisabled", "recipient has disabled incoming messages")
        return Reply(200, {"convo": self.store.convo_view(self.store.convo_for(other))})

    def send_message(self, req: Request, caller: str) -> Reply:
        body = req.json()
        convo = self.store.convos.get(str(body.get("convoId"))) if isinstance(body, dict) else None
        if convo is None or caller not in convo.members:
            raise XrpcError(400, "InvalidConvo", "Convo not found")
        text = (body.get("message") or {}).get("text")
        if not isinstance(text, str) or not text:
            raise invalid('Input/message must have the property "text"')
        if len(GRAPHEME.findall(text)) > 1000 or len(text.encode()) > 10_000:
            raise invalid("Input/message/text must not be longer than 1000 graphemes")
        message = self.store.add_message(convo, self.store.accounts[caller], text)
        self.store.sent_messages.append({"convo_id": convo.id, "id": message.id, "text": text})
        return Reply(200, message.view())
