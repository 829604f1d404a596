"""Sending on Bluesky: replies as post records with strong refs and a deterministic rkey, and chat messages.

A reply's rkey comes from the outbox's idempotency key (``bluesky_parse.rkey_for``): a retried create in the
same five-minute window hits the existing record (a conflict, or a 500 on PDS versions that do not name the
error) and the existing post is returned instead of a second one; a retry in a later window first looks for
the key's earlier rkeys among the account's latest posts. Chat has no idempotency: a message with the same
text sent by us in the last 15 minutes counts as already sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors.base import ConnectorError, Rejected, Sent, Unavailable, sent_id
from connectors.bluesky.find import find_message
from connectors.bluesky.parse import (
    DM_BYTES,
    DM_GRAPHEMES,
    facet_spans,
    recent_rkeys,
    rkey_for,
    text_problem,
)
from connectors.bluesky.xrpc import Xrpc, XrpcRejected

POST = "app.bsky.feed.post"
CONFLICTS = {"RecordAlreadyExists", "InvalidSwap", "RecordExists"}
DM_DEDUP_WINDOW = timedelta(minutes=15)


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _strong_ref(obj: Any) -> dict[str, str] | None:
    if isinstance(obj, Mapping) and isinstance(obj.get("uri"), str) and isinstance(obj.get("cid"), str):
        return {"uri": obj["uri"], "cid": obj["cid"]}
    return None


def reply_refs(xrpc: Xrpc, uri: str) -> dict[str, dict[str, str]]:
    """``{"root": ..., "parent": ...}`` strong refs for a reply to ``uri`` (root: the parent's own root)."""
    found = xrpc.query("app.bsky.feed.getPosts", {"uris": [uri]}).get("posts") or []
    post = next((p for p in found if isinstance(p, Mapping) and p.get("uri") == uri), None)
    parent = _strong_ref(post)
    if post is None or parent is None:
        raise Rejected(f"Bluesky channel {xrpc.channel!r}: the post to answer is gone (deleted?): {uri}")
    viewer = post.get("viewer")
    if isinstance(viewer, Mapping) and viewer.get("replyDisabled"):
        raise Rejected(f"Bluesky channel {xrpc.channel!r}: the author limits who can reply to this thread")
    record = post.get("record")
    reply = record.get("reply") if isinstance(record, Mapping) else None
    root = _strong_ref(reply.get("root")) if isinstance(reply, Mapping) else None
    return {"root": root or parent, "parent": parent}


def facets(xrpc: Xrpc, text: str) -> list[dict[str, Any]]:
    """Mention facets for ``@handle`` (resolved to DIDs; unknown handles stay plain text) and link facets."""
    out: list[dict[str, Any]] = []
    for kind, start, end, value in facet_spans(text):
        if kind == "link":
            feature = {"$type": "app.bsky.richtext.facet#link", "uri": value}
        else:
            try:
                did = xrpc.query("com.atproto.identity.resolveHandle", {"handle": value}).get("did")
            except XrpcRejected:
                continue
            if not isinstance(did, str):
                continue
            feature = {"$type": "app.bsky.richtext.facet#mention", "did": did}
        out.append({"index": {"byteStart": start, "byteEnd": end}, "features": [feature]})
    return out


def latest_posts(xrpc: Xrpc, did: str, limit: int = 100) -> list[Mapping[str, Any]]:
    """The account's latest post records (``{uri, cid, value}``), newest rkey first."""
    page = xrpc.query("com.atproto.repo.listRecords", {"repo": did, "collection": POST, "limit": limit})
    return [r for r in page.get("records") or [] if isinstance(r, Mapping)]


def _rkey(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def existing_post(xrpc: Xrpc, did: str, rkey: str) -> Mapping[str, Any] | None:
    """The record at ``rkey`` in our posts, or None."""
    try:
        found = xrpc.query("com.atproto.repo.getRecord", {"repo": did, "collection": POST, "rkey": rkey})
    except XrpcRejected as exc:
        if exc.error == "RecordNotFound":
            return None
        raise
    return found if isinstance(found, Mapping) else None


def _same(record: Mapping[str, Any] | None, text: str, parent_uri: str) -> bool:
    value = record.get("value") if record else None
    if not isinstance(value, Mapping):
        return False
    reply = value.get("reply")
    parent = reply.get("parent") if isinstance(reply, Mapping) else None
    return value.get("text") == text and isinstance(parent, Mapping) and parent.get("uri") == parent_uri


def reply(xrpc: Xrpc, to_uri: str, text: str, idempotency_key: str, now: datetime | None = None) -> Sent:
    """Post ``text`` as a reply to ``to_uri``, at most once per idempotency key."""
    problem = text_problem(text)
    if problem:
        raise Rejected(f"Bluesky channel {xrpc.channel!r}: {problem}")
    did = xrpc.ensure_session()
    now = now or datetime.now(UTC)
    earlier = recent_rkeys(idempotency_key, now)
    for record in latest_posts(xrpc, did):
        if isinstance(record.get("uri"), str) and _rkey(record["uri"]) in earlier:
            return Sent(external_id=record["uri"])
    refs = reply_refs(xrpc, to_uri)
    rkey = rkey_for(idempotency_key, now)
    post: dict[str, Any] = {"$type": POST, "text": text, "createdAt": iso(now), "reply": refs}
    spans = facets(xrpc, text)
    if spans:
        post["facets"] = spans
    body = {"repo": did, "collection": POST, "rkey": rkey, "record": post}
    try:
        created = xrpc.procedure("com.atproto.repo.createRecord", body)
    except (XrpcRejected, Unavailable) as exc:
        if isinstance(exc, XrpcRejected) and exc.error not in CONFLICTS:
            raise
        found = existing_post(xrpc, did, rkey)
        if found is not None and _same(found, text, to_uri):
            return Sent(external_id=str(found["uri"]))
        raise
    uri = created.get("uri") if isinstance(created, Mapping) else None
    return Sent(external_id=sent_id(uri, f"Bluesky channel {xrpc.channel!r}"))


def convo_with(xrpc: Xrpc, member_did: str) -> str:
    """The 1:1 convo id with ``member_did`` (created if needed); Rejected when they accept no messages."""
    found = xrpc.query("chat.bsky.convo.getConvoForMembers", {"members": [member_did]}, chat=True)
    convo = found.get("convo") if isinstance(found, Mapping) else None
    if not isinstance(convo, Mapping) or not isinstance(convo.get("id"), str):
        raise ConnectorError(f"Bluesky channel {xrpc.channel!r}: getConvoForMembers answered without a convo")
    return convo["id"]


def direct_message(xrpc: Xrpc, recipient_did: str, text: str, now: datetime | None = None) -> Sent:
    """``text`` to ``recipient_did`` in our 1:1 convo (1,000 graphemes at most)."""
    problem = text_problem(text, graphemes=DM_GRAPHEMES, max_bytes=DM_BYTES)
    if problem:
        raise Rejected(f"Bluesky channel {xrpc.channel!r}: {problem}")
    did = xrpc.ensure_session()
    convo_id = convo_with(xrpc, recipient_did)
    since = (now or datetime.now(UTC)) - DM_DEDUP_WINDOW
    already = find_message(xrpc, convo_id, did, text, since)
    if already is not None:
        return already
    sent = xrpc.procedure(
        "chat.bsky.convo.sendMessage", {"convoId": convo_id, "message": {"text": text}}, chat=True
    )
    ident = sent.get("id") if isinstance(sent, Mapping) else None
    return Sent(external_id=sent_id(ident, f"Bluesky channel {xrpc.channel!r}"), thread_key=convo_id)
