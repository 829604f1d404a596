"""The Graph API endpoints of the Meta sandbox: Page feed and comments, Instagram media and comments,
Messenger/Instagram Send API, WhatsApp Cloud API messages and message templates.

Each handler takes a Request and returns a Reply or raises GraphError. Sends are checked against the
messaging windows: Messenger/Instagram ``RESPONSE`` outside 24 h fails with code 10 / subcode 2018278,
WhatsApp free-form text outside 24 h with code 131047.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, Protocol

from connectors.sandbox._cycle import Cycler
from connectors.sandbox._server import Reply, Request
from connectors.sandbox.meta.events import echo_event
from connectors.sandbox.meta.graph import (
    GraphError,
    fb_comment_json,
    ig_comment_json,
    page,
    payload_of,
    unknown_object,
)
from connectors.sandbox.meta.store import Comment, MetaStore, graph_time, ig_username
from connectors.sandbox.meta.whatsapp import send_whatsapp

V = r"(?:/v\d+\.\d+)?"
ID = r"(?P<id>[\w.:-]+)"
MESSENGER_TEXT_LIMIT = 2000
WHATSAPP_TEXT_LIMIT = 4096
PRIVATE_REPLY_WINDOW = timedelta(days=7)


class Push(Protocol):
    def __call__(self, platform: str, event: dict[str, Any], delay: float = ...) -> None: ...


class MetaApi:
    """Graph handlers over one store; ``push(platform, body)`` delivers echoes and statuses as webhooks."""

    def __init__(
        self,
        store: MetaStore,
        lock: threading.RLock,
        *,
        page_token: str,
        whatsapp_token: str,
        clock: Callable[[], datetime],
        push: Push,
        base_url: Callable[[], str],
        async_window_errors: bool = False,
    ) -> None:
        self.store, self.lock, self.clock, self.push, self.base_url = store, lock, clock, push, base_url
        self.async_window_errors = async_window_errors
        self.tokens = {"page": page_token, "whatsapp": whatsapp_token}
        self.cycler = Cycler()  # comments pages whose after cursors cycle (A -> B -> A ...)

    def routes(self) -> Iterator[tuple[str, str, Callable[[Request], Reply]]]:
        yield "GET", f"{V}/{ID}/feed", self.feed
        yield "GET", f"{V}/{ID}/media", self.media
        yield "GET", f"{V}/{ID}/comments", self.comments
        yield "GET", f"{V}/{ID}/replies", self.replies
        yield "GET", f"{V}/{ID}/message_templates", self.message_templates
        yield "POST", f"{V}/{ID}/comments", self.reply_comment
        yield "POST", f"{V}/{ID}/replies", self.reply_comment
        yield "POST", f"{V}/{ID}/messages", self.send_message
        yield "POST", f"{V}/{ID}", self.update_object
        yield "GET", f"{V}/{ID}", self.get_object

    # --- auth -------------------------------------------------------------------------------------
    def auth(self, req: Request, kind: str) -> None:
        header = req.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else req.arg("access_token")
        if not token:
            raise GraphError("An access token is required to request this resource.", 104)
        if token != self.tokens[kind]:
            raise GraphError("Invalid OAuth access token - Cannot parse access token", 190)

    def _kind(self, ident: str) -> str:
        return "whatsapp" if ident in (self.store.phone_number_id, self.store.waba_id) else "page"

    # --- reads ------------------------------------------------------------------------------------
    def get_object(self, req: Request) -> Reply:
        ident = req.params["id"]
        self.auth(req, self._kind(ident))
        s = self.store
        with self.lock:
            if ident in ("me", s.page_id):
                return Reply(body={"id": s.page_id, "name": s.page_name, "username": "AcmeCare"})
            if ident == s.ig_user_id:
                return Reply(body={"id": s.ig_user_id, "username": s.ig_username, "name": s.page_name})
            if ident == s.phone_number_id:
                body = {
                    "id": ident,
                    "display_phone_number": s.display_phone_number,
                    "verified_name": s.page_name,
                }
                return Reply(body=body)
            comment = s.comments.get(ident)
            if comment is not None:
                return Reply(body=self._comment_json(comment, with_parent=True))
            customer = s.customers.get(ident)
            if customer is not None and customer.platform in ("messenger", "instagram"):
                return Reply(body=profile_json(customer))
        raise unknown_object(ident)

    def feed(self, req: Request) -> Reply:
        self.auth(req, "page")
        if req.params["id"] not in ("me", self.store.page_id):
            raise unknown_object(req.params["id"])
        with self.lock:
            posts = [c for c in self.store.containers.values() if c.platform == "facebook"]
            rows = [
                {"id": p.id, "message": p.text, "created_time": graph_time(p.created_at)}
                for p in reversed(posts)
            ]
            return Reply(body=page(req, rows, self.base_url()))

    def media(self, req: Request) -> Reply:
        self.auth(req, "page")
        if req.params["id"] != self.store.ig_user_id:
            raise unknown_object(req.params["id"])
        with self.lock:
            found = [c for c in self.store.containers.values() if c.platform == "instagram"]
            rows = [
                {"id": m.id, "caption": m.text, "timestamp": graph_time(m.created_at), "media_type": "IMAGE"}
                for m in reversed(found)
            ]
            return Reply(body=page(req, rows, self.base_url()))

    def comments(self, req: Request) -> Reply:
        """``/{post-id}/comments`` (top-level, or all with ``filter=stream``), ``/{media-id}/comments``
        (top-level with ``replies`` nested), ``/{comment-id}/comments`` (a Facebook comment's replies)."""
        self.auth(req, "page")
        ident = req.params["id"]
        with self.lock:
            container = self.store.containers.get(ident)
            parent = self.store.comments.get(ident)
            if container is None and (parent is None or parent.platform != "facebook"):
                raise unknown_object(ident)
            if container is not None and container.platform == "instagram":
                rows = self._ig_comments(ident)
            else:
                rows = self._fb_comments(req, ident, parent is not None)
            return Reply(body=page(req, rows, self.base_url(), cycler=self.cycler))

    def _fb_comments(self, req: Request, ident: str, of_comment: bool) -> list[dict[str, Any]]:
        stream = req.arg("filter", "toplevel") == "stream"
        since = req.arg("since")
        if since is not None and not since.isdigit():
            raise GraphError(f"(#100) Param since must be a Unix timestamp, got {since!r}", 100)
        found = [
            c
            for c in self.store.comments.values()
            if (
                c.parent_id == ident
                if of_comment
                else c.container_id == ident and (stream or not c.parent_id)
            )
            and (since is None or c.created_at.timestamp() >= int(since))
        ]
        if req.arg("order", "chronological") == "reverse_chronological":
            found.reverse()
        return [fb_comment_json(c, with_parent=stream or of_comment) for c in found]

    def _ig_comments(self, media_id: str) -> list[dict[str, Any]]:
        every = [c for c in self.store.comments.values() if c.container_id == media_id]
        tops = [c for c in every if not c.parent_id]
        return [ig_comment_json(t, [r for r in every if r.parent_id == t.id]) for t in reversed(tops)]

    def replies(self, req: Request) -> Reply:
        self.auth(req, "page")
        with self.lock:
            top = self.store.comments.get(req.params["id"])
            if top is None or top.platform != "instagram":
                raise unknown_object(req.params["id"])
            rows = [ig_comment_json(c) for c in self.store.comments.values() if c.parent_id == top.id]
            return Reply(body=page(req, rows, self.base_url()))

    def message_templates(self, req: Request) -> Reply:
        self.auth(req, "whatsapp")
        if req.params["id"] != self.store.waba_id:
            raise unknown_object(req.params["id"])
        with self.lock:
            wanted = req.arg("status")
            rows = [dict(t, id=str(i + 1)) for i, t in enumerate(self.store.templates)]
            rows = [t for t in rows if wanted is None or t["status"] == wanted]
            return Reply(body=page(req, rows, self.base_url()))

    # --- writes -----------------------------------------------------------------------------------
    def reply_comment(self, req: Request) -> Reply:
        """A public reply by the brand in a comment's thread: ``{"id"}``."""
        self.auth(req, "page")
        params = payload_of(req)
        text = str(params.get("message") or "").strip()
        with self.lock:
            target = self.store.comments.get(req.params["id"])
            edge = req.path.rsplit("/", 1)[-1]
            if target is None or (edge == "replies") != (target.platform == "instagram"):
                raise unknown_object(req.params["id"], "post")
            if not text:
                raise GraphError("(#100) The parameter message is required", 100)
            brand_id, brand_name = self.store.brand_of(target.platform)
            container = self.store.containers[target.container_id]
            reply = self.store.add_comment(container, brand_id, brand_name, text, self.clock(), target.id)
            self.store.sent.append(
                {
                    "kind": "comment_reply",
                    "platform": target.platform,
                    "id": reply.id,
                    "to": target.id,
                    "text": text,
                }
            )
            return Reply(body={"id": reply.id})

    def update_object(self, req: Request) -> Reply:
        """Hide or unhide a comment: Facebook ``is_hidden``, Instagram ``hide``."""
        self.auth(req, self._kind(req.params["id"]))
        params = payload_of(req)
        with self.lock:
            comment = self.store.comments.get(req.params["id"])
            key = "hide" if comment is not None and comment.platform == "instagram" else "is_hidden"
            if comment is None or key not in params:
                raise unknown_object(req.params["id"], "post")
            comment.hidden = str(params[key]).lower() == "true"
            if comment.hidden and comment.id not in self.store.hidden:
                self.store.hidden.append(comment.id)
            if not comment.hidden and comment.id in self.store.hidden:
                self.store.hidden.remove(comment.id)
            return Reply(body={"success": True})

    def send_message(self, req: Request) -> Reply:
        ident = req.params["id"]
        if ident == self.store.phone_number_id:
            self.auth(req, "whatsapp")
            return send_whatsapp(self, payload_of(req))
        self.auth(req, "page")
        if ident not in ("me", self.store.page_id, self.store.ig_user_id):
            raise unknown_object(ident, "post")
        return self._send_messenger(payload_of(req))

    def _send_messenger(self, params: dict[str, Any]) -> Reply:
        recipient = params.get("recipient") or {}
        message = params.get("message") or {}
        text = message.get("text") if isinstance(message, dict) else None
        if not isinstance(recipient, dict) or not (recipient.get("id") or recipient.get("comment_id")):
            raise GraphError("(#100) param recipient must be non-empty.", 100)
        if not isinstance(text, str) or not text:
            raise GraphError("(#100) param message must contain text or an attachment", 100)
        if len(text) > MESSENGER_TEXT_LIMIT:
            raise GraphError(
                f"(#100) Length of param message[text] must be less than or equal to {MESSENGER_TEXT_LIMIT}",
                100,
            )
        if recipient.get("comment_id"):
            return self._private_reply(str(recipient["comment_id"]), text)
        kind, tag = params.get("messaging_type", "RESPONSE"), params.get("tag")
        with self.lock:
            customer = self.store.customers.get(str(recipient["id"]))
            if customer is None or customer.platform == "whatsapp":
                raise GraphError("(#100) No matching user found", 100, subcode=2018001)
            human = kind == "MESSAGE_TAG" and tag == "HUMAN_AGENT"
            if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG") or (kind == "MESSAGE_TAG" and not tag):
                raise GraphError(f"(#100) Invalid messaging_type {kind!r} / tag {tag!r}", 100)
            if not self.store.window_open(customer, self.clock(), human_agent=human):
                raise GraphError("(#10) This message is sent outside of allowed window.", 10, subcode=2018278)
            sent = self.store.add_message(customer.platform, customer, text, self.clock(), inbound=False)
            metadata = message.get("metadata")  # given back in the echo, as Messenger does
            if customer.platform == "messenger" and isinstance(metadata, str) and metadata:
                sent["metadata"] = metadata
            self.store.sent.append(
                {
                    "kind": "message",
                    "platform": customer.platform,
                    "id": sent["id"],
                    "to": customer.id,
                    "text": text,
                    "messaging_type": kind,
                    "tag": tag,
                }
            )
        self.push(customer.platform, echo_event(self.store, customer, sent))
        return Reply(body={"recipient_id": customer.id, "message_id": sent["id"]})

    def _private_reply(self, comment_id: str, text: str) -> Reply:
        """A private message answering a comment: one per comment, within 7 days of it."""
        with self.lock:
            comment = self.store.comments.get(comment_id)
            if comment is None or comment.author_id == self.store.brand_of(comment.platform)[0]:
                raise GraphError("(#100) No matching user found", 100, subcode=2018001)
            if any(s.get("kind") == "private_reply" and s["to"] == comment_id for s in self.store.sent):
                raise GraphError("(#10900) Activity already replied to", 10900)
            if self.clock() - comment.created_at > PRIVATE_REPLY_WINDOW:
                raise GraphError(
                    "(#10903) This activity can be replied to within 7 days of being created", 10903
                )
            platform = "messenger" if comment.platform == "facebook" else "instagram"
            customer = self.store.customer(platform, comment.author_id, comment.author_name)
            sent = self.store.add_message(platform, customer, text, self.clock(), inbound=False)
            record = {
                "kind": "private_reply",
                "platform": platform,
                "id": sent["id"],
                "to": comment_id,
                "text": text,
            }
            self.store.sent.append(record)
        return Reply(body={"recipient_id": customer.id, "message_id": sent["id"]})

    def _comment_json(self, c: Comment, *, with_parent: bool) -> dict[str, Any]:
        return (
            ig_comment_json(c) if c.platform == "instagram" else fb_comment_json(c, with_parent=with_parent)
        )


def profile_json(customer: Any) -> dict[str, Any]:
    """The User Profile API's answer: Messenger (first/last name) or Instagram (name, username, followers)."""
    if customer.platform == "instagram":
        username = ig_username(customer.name)
        return {"id": customer.id, "name": customer.name, "username": username, "follower_count": 42}
    first, _, last = customer.name.partition(" ")
    return {"id": customer.id, "first_name": first, "last_name": last, "name": customer.name}
