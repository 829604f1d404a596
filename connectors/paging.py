"""A sweep's trail of page tokens, to tell a listing that cycles (A → B → A …): pure, no I/O.

A newest-first listing is read page by page, each page naming the next (X's ``next_token``, Mastodon's
``Link`` "next", Bluesky's ``cursor``, Graph's ``after``). A server may name a page already read in this
sweep: the page asked for itself (a cache serving it again) or one a few pages back (a cycle A → B → A …).
Followed, either reads the same pages for ever and nothing newer is read. The cursor keeps a short trail of
the tokens followed in the sweep (``TRAIL`` marks of 12 hex digits, so it stays small), and an *anchor*: the
mark of the token followed at the sweep's page 1, 2, 4, 8 … with the count of pages (Brent's cycle finding),
so a cycle longer than the trail is caught too, at most about twice the pages the sweep had read when it
entered the cycle, plus its length (before, only a cycle of up to ``TRAIL`` pages was caught); a token already
on it ends the sweep without moving the watermark, the next sweep starts from the top, and the stream's cursor
says ``cycling`` (how many sweeps in a row met a cycle) until one ends normally, so the Channels page shows
the trouble (``trouble``) as long as it lasts.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

TRAIL = 16  # tokens remembered per sweep; a longer cycle is caught by the anchor
ANCHOR = "@"  # the trail's first element when it holds the anchor: "@<mark>:<its page>:<pages walked>"
CYCLING = "CyclingCursor"  # the trouble's first word: the Channels page tells it in the admin's language


def mark(token: Any) -> str:
    """A short, stable fingerprint of a token (a string, or a page's query parameters)."""
    text = token if isinstance(token, str) else json.dumps(token, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:12]


def loop_length(trail: Any, asked: Any, token: Any) -> int:
    """The number of pages in the cycle ``token`` closes: 1 when it is the token the page was asked with,
    n when it was followed n - 1 pages before; 0 when it is new (or there is none)."""
    if token is None or token == "" or token == {}:
        return 0
    if asked is not None and (token == asked or mark(token) == mark(asked)):
        return 1
    marks, anchor = _split(trail)
    found = mark(token)
    if found in marks:
        return len(marks) - marks.index(found) + 1
    if anchor is not None and anchor[0] == found:
        return anchor[2] - anchor[1] + 2  # from the anchored page to ``asked``, not on the trail yet
    return 0


def _split(trail: Any) -> tuple[list[str], tuple[str, int, int] | None]:
    """The trail's marks and its anchor (mark, its page, pages walked), if it has a readable one."""
    items = [m for m in trail if isinstance(m, str)] if isinstance(trail, list) else []
    marks = [m for m in items if not m.startswith(ANCHOR)]
    head = items[0].removeprefix(ANCHOR).split(":") if items and items[0].startswith(ANCHOR) else []
    if len(head) == 3 and head[1].isdigit() and head[2].isdigit() and int(head[1]) <= int(head[2]):
        return marks, (head[0], int(head[1]), int(head[2]))
    return marks, None


def walked(trail: Any, asked: Any) -> list[str]:
    """The trail after a page asked with ``asked`` (None: the sweep's first page, which starts a new one)."""
    if asked is None or asked == "" or asked == {}:
        return []
    marks, anchor = _split(trail)
    walked_so_far = anchor[2] if anchor else len(marks)
    step = walked_so_far + 1
    if anchor is None or step & (step - 1) == 0:  # page 1, 2, 4, 8 …: the anchor moves here
        anchor = (mark(asked), step, step)
    head = f"{ANCHOR}{anchor[0]}:{anchor[1]}:{step}"
    return [head, *[*marks, mark(asked)][-TRAIL:]]


def cycling(state: Mapping[str, Any]) -> int:
    """How many sweeps in a row a cursor's stream met a cycle (0: none, or a cursor written before)."""
    value = state.get("cycling")
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def carried(state: Mapping[str, Any], *, looped: bool = False) -> dict[str, int]:
    """The ``cycling`` a cursor written after this page carries: one more when this page closed a cycle,
    as it was while the sweep goes on (``looped`` False)."""
    n = cycling(state) + (1 if looped else 0)
    return {"cycling": n} if n else {}


def onward(state: Mapping[str, Any], asked: Any) -> dict[str, Any]:
    """What a cursor following the next page carries besides: the sweep's trail (``asked`` added) and its
    ``cycling``."""
    return {"trail": walked(state.get("trail"), asked), **carried(state)}


def trouble(state: Mapping[str, Any], length: int = 0) -> str | None:
    """What the Channels page reads while a stream's pages cycle (``CYCLING: ...``), or None."""
    n = cycling(state)
    if not n:
        return None
    loop = f" (a cycle of {length} page{'s' if length > 1 else ''})" if length else ""
    return (
        f"{CYCLING}: the platform's next page leads back to a page already read{loop}, in {n} sweep(s) in a "
        "row; each sweep starts again from the newest page with the watermark kept, so newer items are read "
        "and the older ones once the platform pages normally"
    )
