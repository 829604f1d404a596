"""The shape of an X v2 page and its paging: pure, no I/O.

``page_of`` checks a page's shape, ``meta_id`` reads an id or token from its ``meta``, ``loop`` tells a
``next_token`` the sweep already followed (a cache serving the same older page again, or tokens that cycle
A -> B -> A: ``connectors.paging``): the stream then starts again from the top with its watermark kept, so
newer posts and DMs are still read, and its last error names the cycle until a sweep ends normally.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from connectors import paging
from connectors.base import BadPayload


def page_of(payload: Any, what: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """A page and its ``meta``; BadPayload when X answered something else (a list, a string, a ``data``
    that is not a list, no ``meta``, which X sends with every page, its ``result_count`` 0 when empty):
    the page is then read again later. An object without ``meta`` (a gateway's ``{"error": …}``) used to
    read as an empty page that ended the sweep, and the pages behind it were never read."""
    if not isinstance(payload, Mapping):
        raise BadPayload(f"X answered {what} with a {type(payload).__name__}, not a page object")
    meta, data = payload.get("meta"), payload.get("data")
    if not isinstance(meta, Mapping) or not isinstance(data, list | None):
        shape = f"'meta' {type(meta).__name__}, 'data' {type(data).__name__}"
        raise BadPayload(f"X answered {what} with a page of the wrong shape ({shape})")
    return payload, meta or {}


def meta_id(value: Any) -> str | None:
    """A tweet id or pagination token from ``meta``; anything else is ignored."""
    return value if isinstance(value, str) and value and value.isascii() else None


def count(data: Any) -> int:
    return len(data) if isinstance(data, list) else 0


def loop(state: Mapping[str, Any], token: str | None) -> int:
    """The length of the cycle the page's ``next_token`` closes (``connectors.paging``): 1 when it is the
    token the page was asked with, n when the sweep followed it n - 1 pages before; 0 to go on."""
    return paging.loop_length(state.get("trail"), state.get("token"), token)


def onward(state: Mapping[str, Any]) -> dict[str, Any]:
    """What a cursor following ``next_token`` carries besides: the sweep's trail and its ``cycling``."""
    return paging.onward(state, state.get("token"))


def from_the_top(state: Mapping[str, Any], *keep: str, looped: int = 0) -> dict[str, Any]:
    """The cursor that reads the stream again from its newest page, its watermark (``keep``) as it was;
    after a cycle (``looped`` pages), one more sweep counted as ``cycling``."""
    return {k: state[k] for k in keep if state.get(k)} | paging.carried(state, looped=bool(looped))
