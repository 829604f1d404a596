"""Graph API shapes for the Meta sandbox: error bodies, cursor paging, and objects as Graph returns them.

Errors follow ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`` (WhatsApp adds
``error_data``). Pages follow ``{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}``; the
cursors are opaque base64 offsets and ``next`` is present only when another page exists.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode

from connectors.sandbox._cycle import Cycler
from connectors.sandbox._server import Reply, Request
from connectors.sandbox.meta.store import Comment, graph_time, ig_username


class GraphError(Exception):
    """Raised by a handler; becomes a Graph error body."""

    def __init__(
        self,
        message: str,
        code: int,
        *,
        status: int = 400,
        subcode: int | None = None,
        kind: str = "OAuthException",
        details: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code, self.status, self.subcode, self.kind, self.details = code, status, subcode, kind, details


def error_reply(exc: GraphError, headers: dict[str, str] | None = None) -> Reply:
    error: dict[str, Any] = {"message": str(exc), "type": exc.kind, "code": exc.code}
    if exc.subcode is not None:
        error["error_subcode"] = exc.subcode
    if exc.details is not None:
        error["error_data"] = {"messaging_product": "whatsapp", "details": exc.details}
    error["fbtrace_id"] = "A" + secrets.token_urlsafe(15)
    return Reply(exc.status, {"error": error}, dict(headers or {}))


def unknown_object(ident: str, method: str = "get") -> GraphError:
    return GraphError(
        f"Unsupported {method} request. Object with ID '{ident}' does not exist, cannot be loaded due to "
        "missing permissions, or does not support this operation.",
        100,
        subcode=33,
        kind="GraphMethodException",
    )


def _cursor(index: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"i": index}).encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return int(json.loads(base64.urlsafe_b64decode(padded))["i"])
    except (ValueError, KeyError, TypeError):
        raise GraphError("Invalid cursor", 100) from None


def limit_of(req: Request, default: int = 25, most: int = 100) -> int:
    raw = req.arg("limit")
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise GraphError(f"(#100) Param limit must be a positive integer, got {raw!r}", 100)
    return min(int(raw), most)


def page(
    req: Request,
    rows: Sequence[dict[str, Any]],
    base_url: str,
    *,
    default: int = 25,
    cycler: Cycler | None = None,
) -> dict[str, Any]:
    """One page of ``rows`` after the request's ``after`` cursor, with Graph's ``paging`` block (whose
    ``after`` leads back to a page already served while ``cycler`` cycles)."""
    start, size = _offset(req.arg("after")), limit_of(req, default)
    chunk = list(rows[start : start + size])
    body: dict[str, Any] = {"data": chunk}
    if chunk:
        paging: dict[str, Any] = {"cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk))}}
        if start + size < len(rows):
            if cycler is not None:
                paging["cursors"]["after"] = cycler.next(
                    req.arg("after"), paging["cursors"]["after"], req.path
                )
            query = {k: v[0] for k, v in req.query.items() if k not in ("after", "access_token")}
            paging["next"] = (
                f"{base_url}{req.path}?{urlencode({**query, 'after': paging['cursors']['after']})}"
            )
        body["paging"] = paging
    return body


def fb_comment_json(c: Comment, *, with_parent: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "from": {"id": c.author_id, "name": c.author_name},
        "message": c.text,
        "created_time": graph_time(c.created_at),
        "is_hidden": c.hidden,
    }
    if with_parent and c.parent_id:
        out["parent"] = {"id": c.parent_id}
    if c.photo:  # a photo comment's words may be empty: Graph leaves "message" out then
        out["attachment"] = {"type": "photo", "url": c.photo, "media": {"image": {"src": c.photo}}}
        if not c.text:
            del out["message"]
    return out


def ig_comment_json(c: Comment, replies: Sequence[Comment] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "text": c.text,
        "timestamp": graph_time(c.created_at),
        "username": ig_username(c.author_name),
        "from": {"id": c.author_id, "username": ig_username(c.author_name)},
        "hidden": c.hidden,
    }
    if c.parent_id:
        out["parent_id"] = c.parent_id
    if replies is not None:
        out["replies"] = {"data": [ig_comment_json(r) for r in replies]}
    return out


def payload_of(req: Request) -> dict[str, Any]:
    """A POST's parameters: a JSON body, else form fields, else the query string (Graph takes all three)."""
    params: dict[str, Any] = {k: v[0] for k, v in req.query.items()}
    if req.body:
        content_type = req.headers.get("content-type", "")
        if "json" in content_type:
            try:
                body = req.json()
            except ValueError:
                raise GraphError("(#100) The request body is not valid JSON", 100) from None
            if not isinstance(body, dict):
                raise GraphError("(#100) The request body must be a JSON object", 100)
            params.update(body)
        else:
            params.update({k: v[0] for k, v in parse_qs(req.body.decode()).items()})
    return params
