"""A Bluesky text with its links as its facets give them. Pure.

Bluesky's app shortens each link in the text it posts (``acme.example/orders/12...``: the host and at most
15 characters of the rest) and keeps the whole link in a ``#link`` facet over those words (UTF-8 byte
offsets); other apps may put any words over a link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

LINK_FEATURE = "app.bsky.richtext.facet#link"
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)


def short_link(uri: str) -> str:
    """The words Bluesky's app shows for ``uri``: the host and path, cut to 13 characters of the path and
    "..." when the path (with query and fragment) is over 15."""
    bare = _SCHEME.sub("", uri)
    host, slash, path = bare.partition("/")
    path = slash + path if path else ""
    return host + (path[:13] + "..." if len(path) > 15 else path)


def linked_text(text: str, facets: Any) -> str:
    """``text`` with each link facet's words replaced by the link when they are a shortening of it (or the
    link itself), or followed by ``(link)`` when they are other words, so the agent sees where a link
    leads. A facet that is odd, overlaps another or cuts a character is ignored, and so are all of them in
    a text that cannot be encoded (a lone surrogate, which ``connectors.boundary`` repairs)."""
    if not isinstance(facets, list) or not facets:
        return text
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: left as it is, for the boundary to repair
        return text
    found = [_link_span(f, len(data)) for f in facets]
    spans = sorted(s for s in found if s is not None)
    out, pos = b"", 0
    for start, end, uri in spans:
        if start < pos:
            continue
        try:
            shown = data[start:end].decode()
        except UnicodeDecodeError:
            continue
        out += data[pos:start] + _with_link(shown, uri).encode()
        pos = end
    return (out + data[pos:]).decode(errors="replace")


def _link_span(facet: Any, size: int) -> tuple[int, int, str] | None:
    if not isinstance(facet, Mapping):
        return None
    index, features = facet.get("index"), facet.get("features")
    if not isinstance(index, Mapping) or not isinstance(features, list):
        return None
    start, end = index.get("byteStart"), index.get("byteEnd")
    uris = [f.get("uri") for f in features if isinstance(f, Mapping) and f.get("$type") == LINK_FEATURE]
    uri = uris[0] if uris else None
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= size:
        return None
    if not isinstance(uri, str) or not _SCHEME.match(uri) or any(c.isspace() for c in uri):
        return None
    return start, end, uri


def _with_link(shown: str, uri: str) -> str:
    stem = shown.removesuffix("...").removesuffix("…")
    bare = _SCHEME.sub("", uri)
    if stem and (uri.lower().startswith(stem.lower()) or bare.lower().startswith(stem.lower())):
        return uri
    return f"{shown} ({uri})"
