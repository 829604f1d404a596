"""A loopback Bluesky PDS sandbox: the XRPC subset the inbox uses, with the PDS's shapes, cursors and errors.

Tests: ``with BlueskySandbox() as bsky:`` and a connector with ``base_url=bsky.url``. Demo and out-of-process
tests: ``inbox sandbox bluesky`` and the control API under ``/_sandbox/``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.sandbox import _cli
from connectors.sandbox._replay import Replays
from connectors.sandbox._server import Fault, LoopbackServer, Reply, Request
from connectors.sandbox.bluesky.api import CHAT_PROXY, XrpcApi, XrpcError, xrpc_error
from connectors.sandbox.bluesky.app import shorten_links
from connectors.sandbox.bluesky.auth import Denied, Sessions, Window
from connectors.sandbox.bluesky.control import control_routes
from connectors.sandbox.bluesky.replay import Replayer
from connectors.sandbox.bluesky.store import POST, Account, BlueskyStore, iso, media_embed

DEFAULT_HANDLE = "acmecare.bsky.social"
DEFAULT_PASSWORD = "sbox-acme-care-demo"
FAULT_RESET_SECONDS = 5


class BlueskySandbox(LoopbackServer):
    """One brand account on a PDS at 127.0.0.1, the people who write to it, and what it posted and sent."""

    def __init__(
        self,
        handle: str = DEFAULT_HANDLE,
        password: str = DEFAULT_PASSWORD,
        *,
        display_name: str = "Acme Care",
        dm_access: bool = True,
        access_ttl: float = 7200.0,
        rate_limit: tuple[int, int] = (3000, 300),
        duplicate_status: int = 500,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """``duplicate_status``: 500 as the reference PDS answers a create at an existing rkey, or 409."""
        super().__init__(host, port)
        self.store = BlueskyStore(handle, display_name)
        self.sessions = Sessions(password, access_ttl=access_ttl, dm_access=dm_access)
        self.window = Window(*rate_limit)
        self.api = XrpcApi(self.store, duplicate_status=duplicate_status)
        self.replays = Replays()
        self.route("POST", r"/xrpc/com\.atproto\.server\.createSession", self._create_session)
        self.route("POST", r"/xrpc/com\.atproto\.server\.refreshSession", self._refresh_session)
        for nsid, (method, handler, chat) in self.api.routes().items():
            self.route(method, "/xrpc/" + nsid.replace(".", r"\."), self._gate(handler, chat))
        for method, path, control in control_routes(self):
            self.route(method, path, control)

    # --- XRPC plumbing -----------------------------------------------------------------------
    def _limited(self, serve: Any) -> Reply:
        with self.lock:
            allowed, headers = self.window.spend()
            if not allowed:
                reply = xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded")
            else:
                try:
                    reply = serve()
                except (Denied, XrpcError) as exc:
                    reply = xrpc_error(exc.status, exc.error, exc.message)
                except ValueError:
                    reply = xrpc_error(400, "InvalidRequest", "Request body is not valid JSON")
        reply.headers = {**headers, **reply.headers}
        return reply

    def _create_session(self, req: Request) -> Reply:
        def serve() -> Reply:
            body = req.json()
            if not isinstance(body, dict) or not body.get("identifier") or not body.get("password"):
                raise XrpcError(
                    400, "InvalidRequest", "Input must have the properties identifier and password"
                )
            account = self.store.find(str(body["identifier"]))
            if account is None or account.did != self.store.brand.did:
                raise Denied(401, "AuthenticationRequired", "Invalid identifier or password")
            return Reply(
                200, self._session_body(account, self.sessions.create(account.did, str(body["password"])))
            )

        return self._limited(serve)

    def _refresh_session(self, req: Request) -> Reply:
        def serve() -> Reply:
            did, pair = self.sessions.refresh(req.headers.get("authorization"))
            return Reply(200, self._session_body(self.store.accounts[did], pair))

        return self._limited(serve)

    def _session_body(self, account: Account, pair: dict[str, str]) -> dict[str, Any]:
        return {**pair, "handle": account.handle, "did": account.did, "active": True}

    def _gate(self, handler: Any, chat: bool) -> Any:
        def serve(req: Request) -> Reply:
            def run() -> Reply:
                caller = self.sessions.caller(req.headers.get("authorization"), chat=chat)
                if chat and req.headers.get("atproto-proxy") != CHAT_PROXY:
                    raise XrpcError(501, "MethodNotImplemented", "Method Not Implemented")
                reply: Reply = handler(req, caller)
                return reply

            return self._limited(run)

        return serve

    def fault_reply(self, fault: Fault, req: Request) -> Reply:
        """Injected failures in the PDS's shape; a 429 says the window resets in a few seconds."""
        status = fault.status or 500
        with self.lock:
            headers = self.window.headers(0 if status == 429 else self.window.limit - self.window.used)
        if status == 429:
            headers["RateLimit-Reset"] = str(int(time.time()) + FAULT_RESET_SECONDS)
            reply = xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded")
        else:
            names = {500: "InternalServerError", 502: "UpstreamFailure", 503: "NotEnoughResources"}
            reply = xrpc_error(status, names.get(status, "InvalidRequest"), f"injected fault {status}")
        reply.headers = headers
        return reply

    def not_found(self, req: Request) -> Reply:
        return xrpc_error(501, "MethodNotImplemented", "Method Not Implemented")

    # --- Python control API (tests) ----------------------------------------------------------
    @property
    def brand_did(self) -> str:
        return self.store.brand.did

    def add_account(
        self, handle: str, display_name: str | None = None, *, dms_open: bool | None = None
    ) -> str:
        with self.lock:
            return self.store.account(handle, display_name, dms_open).did

    def add_post(
        self,
        text: str,
        author: str = "customer.bsky.social",
        *,
        reply_to: str | None = None,
        quote_of: str | None = None,
        at: datetime | None = None,
        mention_brand: bool = True,
        replies_closed: bool = False,
        images: Sequence[str] = (),
        video: str | None = None,
    ) -> str:
        """A post by ``author`` (a handle; created if unknown), as Bluesky's app makes it: links shortened in
        the text, each whole in a link facet; ``@<brand handle>`` becomes a mention facet. A reply takes its
        parent's root; ``replies_closed``: a threadgate leaves the brand out; ``images`` (their alt texts, ""
        for none) or a ``video`` (its alt text) are embedded as the app does. Returns the post's URI."""
        text, facets = shorten_links(text)
        with self.lock:
            record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": iso(at or datetime.now(UTC))}
            if reply_to is not None:
                parent = self.store.posts[reply_to]
                ref = {"uri": parent.uri, "cid": parent.cid}
                root = (parent.record.get("reply") or {}).get("root") or ref
                record["reply"] = {"root": root, "parent": ref}
            if quote_of is not None:
                quoted = self.store.posts[quote_of]
                record["embed"] = {
                    "$type": "app.bsky.embed.record",
                    "record": {"uri": quoted.uri, "cid": quoted.cid},
                }
            media = media_embed(images, video)
            if media is not None:
                quoted_ref = record.get("embed")
                record["embed"] = (
                    {"$type": "app.bsky.embed.recordWithMedia", "record": quoted_ref, "media": media}
                    if quoted_ref
                    else media
                )
            mention = "@" + self.store.brand.handle
            start = text.lower().find(mention)
            if mention_brand and start >= 0:
                begin = len(text[:start].encode())
                index = {"byteStart": begin, "byteEnd": begin + len(mention.encode())}
                feature = {"$type": "app.bsky.richtext.facet#mention", "did": self.store.brand.did}
                facets.append({"index": index, "features": [feature]})
            if facets:
                record["facets"] = sorted(facets, key=lambda f: f["index"]["byteStart"])
            post = self.store.add_post(self.store.account(author), record)
            post.replies_closed = replies_closed
            return post.uri

    def delete_post(self, uri: str) -> bool:
        """The customer deletes their post (see ``BlueskyStore.delete_post``)."""
        with self.lock:
            return self.store.delete_post(uri)

    def add_raw_notification(self, notification: dict[str, Any]) -> None:
        """Any notification object, possibly malformed, served verbatim at the top of the list."""
        with self.lock:
            self.store.add_raw_notification(notification)

    def add_dm(
        self,
        text: str,
        sender: str = "customer.bsky.social",
        *,
        to: str | None = None,
        at: datetime | None = None,
        post: str | None = None,
    ) -> str:
        """A chat message from ``sender`` to the brand, or from the brand to ``to``, sharing ``post`` (a URI)
        if given; returns its id."""
        with self.lock:
            account = self.store.account(sender)
            if account.did == self.store.brand.did:
                if to is None:
                    raise ValueError("a message from the brand needs a recipient (to)")
                convo = self.store.convo_for(self.store.account(to))
            else:
                convo = self.store.convo_for(account)
            message = self.store.add_message(convo, account, text, at)
            if post is not None:
                quoted = self.store.posts[post]
                record = {"$type": "app.bsky.embed.record#viewRecord", "uri": quoted.uri, "cid": quoted.cid}
                message.embed = {"$type": "app.bsky.embed.record#view", "record": record}
            return message.id

    def stick_cursor(self, stuck: bool = True) -> None:
        """While ``stuck``, listNotifications and listConvos hand back the cursor they were asked with (a
        cache or a buggy AppView serving the same older page again and again)."""
        with self.lock:
            self.store.stuck_cursor = stuck

    def hollow_pages(self, hollow: bool = True, *, endless: bool = False) -> None:
        """While ``hollow``, listNotifications, listConvos, getMessages and searchPosts answer each page asked
        with a cursor first with no item and a cursor to the same place (an AppView that filtered out what it
        read); ``endless``: every page asked with a cursor, so no older item is ever served."""
        with self.lock:
            self.store.hollow_pages = "endless" if hollow and endless else hollow

    def cycle_cursor(self, length: int = 2) -> None:
        """listNotifications, listConvos and getMessages name as next, after ``length`` pages from the newest,
        the first cursor of that walk again (A -> B -> A ...); 0 pages normally again."""
        with self.lock:
            self.store.cycler.set(length)

    def refuse_convo(self, handle: str, status: int | None = 500) -> str:
        """Make ``getMessages`` answer ``status`` for the brand's convo with ``handle`` at every read (a convo
        the chat service cannot serve), or serve it again with None; returns the convo id."""
        with self.lock:
            convo = self.store.convo_for(self.store.account(handle))
            if status is None:
                self.store.refused.pop(convo.id, None)
            else:
                self.store.refused[convo.id] = status
            return convo.id

    def expire_sessions(self) -> int:
        with self.lock:
            return self.sessions.expire_access()

    @property
    def sent_posts(self) -> list[dict[str, Any]]:
        """Created through the API: ``uri``, ``rkey``, ``record``."""
        with self.lock:
            return [dict(p) for p in self.store.sent_posts]

    @property
    def sent_messages(self) -> list[dict[str, Any]]:
        """Sent through chat: ``convo_id``, ``id``, ``text``."""
        with self.lock:
            return [dict(m) for m in self.store.sent_messages]

    def state(self) -> dict[str, Any]:
        with self.lock:
            counts = self.store.counts()
            sessions = {"created": self.sessions.created, "refreshed": self.sessions.refreshed}
            calls = len(self.requests)
        return {
            "url": self.url,
            "brand": {"did": self.brand_did, "handle": self.store.brand.handle},
            **counts,
            "sessions": sessions,
            "requests": calls,
            "faults": self.faults(),
            "replay": self.replays.state(),
        }

    def replay(self, *, backlog: int = 6, interval: float = 25.0) -> Replayer:
        return self.replays.start(Replayer(self, backlog=backlog, interval=interval))

    def stop(self) -> None:
        self.replays.stop()
        super().stop()


def main(argv: list[str] | None = None) -> int:
    """Serve the sandbox until SIGTERM or SIGINT, printing its URL first."""
    p = _cli.parser("bluesky", "Loopback Bluesky PDS sandbox.", port=8703, backlog=6, interval=25.0)
    p.add_argument("--handle", default=DEFAULT_HANDLE, help="the brand account's handle")
    p.add_argument("--password", default=DEFAULT_PASSWORD, help="the app password the sandbox accepts")
    p.add_argument("--no-dm-access", action="store_true", help="the app password has no chat access")
    args = _cli.parse(p, argv)
    sandbox = BlueskySandbox(
        args.handle, args.password, dm_access=not args.no_dm_access, host=args.host, port=args.port
    )
    return _cli.serve(sandbox, args, "Bluesky", args.handle)


if __name__ == "__main__":
    raise SystemExit(main())
