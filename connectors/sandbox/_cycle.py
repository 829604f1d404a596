"""A listing whose next-page tokens cycle (A → B → A …), as a faulty cache or server serves them.

``Cycler.next`` is called with the token a page was asked with and the one it would name next. With
``length`` n, the n-th page followed from the top names, instead of its own next, the first token of that
walk: the client reads the same n pages round and round. ``length`` 0 pages normally.
"""

from __future__ import annotations

from typing import Any


class Cycler:
    def __init__(self) -> None:
        self.length = 0
        # (listing, token handed out) -> (pages from the top, first token)
        self._walks: dict[tuple[str, str], tuple[int, Any]] = {}

    def set(self, length: int) -> None:
        self.length, self._walks = max(0, length), {}

    def next(self, asked: Any, token: Any, listing: str = "") -> Any:
        """The token to name as the next page of a page of ``listing`` asked with ``asked`` (None: the
        top)."""
        if not self.length or not token:
            return token
        if not asked:
            self._walks[listing, repr(token)] = (1, token)
            return token
        depth, first = self._walks.get((listing, repr(asked)), (1, asked))
        if depth >= self.length:
            return first
        self._walks[listing, repr(token)] = (depth + 1, first)
        return token
