"""How X shows a text it stores: long posts cut, links as t.co links, & < > escaped. Pure.

- A post longer than 280 weighted characters (a Premium long post) has ``text`` cut to its first 280,
  ending with "…"; the whole of it is in ``note_tweet.text``, sent only when asked for.
- Every link becomes a 23-character t.co link; ``entities.urls`` maps each back to what was typed
  (``expanded_url``). A link that already is a t.co link (the replayed corpus) is left as it is.
- A post's text has &, < and > escaped as HTML entities (``&amp;``, ``&lt;``, ``&gt;``); a message's text
  does not.
"""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

from connectors.sandbox.x.params import weighted_length

LONG_POST_CUT = "…"
TCO = "https://t.co/"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LINK = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,!?;:'()\[\]]", re.IGNORECASE)


def post_text(text: str) -> tuple[str, str | None]:
    """``(text, note)``: a post over 280 weighted characters is cut, and the whole of it is the note."""
    if weighted_length(text) <= 280:
        return text, None
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the cut mark
        mid = (low + high + 1) // 2
        if weighted_length(text[:mid].rstrip() + LONG_POST_CUT) <= 280:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + LONG_POST_CUT, text


def tco(url: str) -> str:
    """The t.co link of ``url``: 23 characters, the same for the same URL."""
    number = int.from_bytes(hashlib.sha256(url.encode()).digest()[:8], "big")
    code = ""
    for _ in range(10):
        number, digit = divmod(number, len(_ALPHABET))
        code += _ALPHABET[digit]
    return TCO + code


def shown(text: str, *, escape: bool) -> tuple[str, list[dict[str, Any]]]:
    """``text`` as X sends it back, with the ``entities.urls`` of its t.co links (code point offsets)."""
    out, urls, pos = "", [], 0
    for match in LINK.finditer(text):
        plain = text[pos : match.start()]
        out += html.escape(plain, quote=False) if escape else plain
        typed = match.group()
        short = typed if typed.lower().startswith(TCO) else tco(typed)
        if short != typed:
            display = re.sub(r"^https?://(www\.)?", "", typed, flags=re.IGNORECASE)
            display = display if len(display) <= 26 else display[:25] + "…"
            urls.append(
                {
                    "start": len(out),
                    "end": len(out) + len(short),
                    "url": short,
                    "expanded_url": typed,
                    "display_url": display,
                }
            )
        out += short
        pos = match.end()
    rest = text[pos:]
    return out + (html.escape(rest, quote=False) if escape else rest), urls
