"""What Bluesky's app does to a post before it sends it: each link is shortened in the text and kept whole
in a ``#link`` facet (social-app's ``shortenLinks`` and ``toShortUrl``). Pure."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

_URL = re.compile(r"https?://[^\s]+?(?=[.,;:!?)\"']*(?:\s|$))", re.IGNORECASE)


def to_short_url(url: str) -> str:
    """The host, and the path with query and fragment when it is 15 characters or fewer, else its first
    13 and "..."."""
    parts = urlsplit(url)
    path = ("" if parts.path == "/" else parts.path) + (f"?{parts.query}" if parts.query else "")
    path += f"#{parts.fragment}" if parts.fragment else ""
    return parts.netloc + (path[:13] + "..." if len(path) > 15 else path)


def shorten_links(text: str) -> tuple[str, list[dict[str, Any]]]:
    """``text`` with its links shortened, and a link facet (UTF-8 byte offsets) over each."""
    out, facets, pos = "", [], 0
    for match in _URL.finditer(text):
        out += text[pos : match.start()]
        start = len(out.encode())
        out += to_short_url(match.group())
        index = {"byteStart": start, "byteEnd": len(out.encode())}
        facets.append(
            {"index": index, "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group()}]}
        )
        pos = match.end()
    return out + text[pos:], facets
