"""The cursor of a newest-first Bluesky listing (no ``since`` parameter): pure, no I/O.

A *sweep* reads pages from the newest towards older ones until it meets an item older than ``seen`` (the
newest time of the previous sweep), then the next sweep starts again from the top. Items at exactly ``seen``
are told apart by id, so nothing is read twice and nothing with an equal timestamp is lost. The first sweep
of a stream reads at most ``COLD_START_PAGES`` pages of history. A page has reached the watermark when its
last dated item is older (``fresh``): one item out of order in the middle of a page (a faulty server's old
``indexedAt``) is skipped, and the newer items after it are still read. A page whose cursor is the one it was
asked with (a cache serving the same older page again), or one the sweep followed a few pages before (cursors
that cycle A -> B -> A: ``connectors.paging``), ends the sweep without moving the watermark: the next one
starts from the top, so newer items are read, and the older ones once the server pages again; ``trouble``
names the cycle until a sweep ends normally.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors import paging

COLD_START_PAGES = 5
MAX_EMPTY = 10  # empty pages in a row that name a next one, followed before the sweep starts from the top
EMPTY_PAGES = "EmptyPages"  # the trouble's first word: the Channels page tells it in the admin's language


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


@dataclass
class Sweep:
    seen: datetime | None = None  # the newest time of the last finished sweep
    seen_ids: frozenset[str] = frozenset()  # ids at exactly ``seen`` already read
    token: str | None = None  # the platform's cursor to the next older page of this sweep
    top: datetime | None = None  # the newest time met in this sweep so far
    top_ids: set[str] = field(default_factory=set)
    pages: int = 0
    trail: list[str] = field(default_factory=list)  # marks of the cursors followed in this sweep
    cycling: int = 0  # sweeps in a row that met a cycle
    looped: int = 0  # the length of the cycle this page closed, if it did
    empties: int = 0  # empty pages in a row this sweep followed
    emptied: int = 0  # sweeps in a row that ended on ``MAX_EMPTY`` empty pages

    @classmethod
    def load(cls, cursor: str | None, now: datetime | None = None) -> Sweep:
        """The sweep a cursor holds; a watermark after ``now`` (set by a poison time before times were
        capped at now) is dropped for a cold start, whose items are stored once: nothing newer than it
        would ever be read."""
        state = json.loads(cursor) if cursor else {}
        seen, seen_ids = _time(state.get("seen")), frozenset(state.get("ids") or ())
        if seen is not None and now is not None and seen > now:
            return cls()
        cycling, emptied = paging.cycling(state), state.get("emptied")
        emptied = emptied if isinstance(emptied, int) and not isinstance(emptied, bool) else 0
        if not state.get("token"):
            return cls(seen, seen_ids, None, seen, set(seen_ids), 0, cycling=cycling, emptied=emptied)
        top = _time(state.get("top"))
        trail = state.get("trail")
        return cls(
            seen,
            seen_ids,
            state["token"],
            top,
            set(state.get("top_ids") or ()),
            int(state.get("pages", 0)),
            [m for m in trail if isinstance(m, str)] if isinstance(trail, list) else [],
            cycling,
            empties=int(state.get("empties") or 0),
            emptied=emptied,
        )

    def dump(self) -> str:
        state: dict[str, object] = {
            "seen": self.seen.isoformat() if self.seen else None,
            "ids": sorted(self.seen_ids),
        }
        if self.token:
            state.update(
                token=self.token,
                top=self.top.isoformat() if self.top else None,
                top_ids=sorted(self.top_ids),
                pages=self.pages,
                trail=self.trail,
            )
            if self.empties:
                state["empties"] = self.empties
        if self.cycling:
            state["cycling"] = self.cycling
        if self.emptied:
            state["emptied"] = self.emptied
        return json.dumps(state)

    @property
    def trouble(self) -> str | None:
        """The stream's last error while its cursors cycle (``connectors.paging``), or while its sweeps end
        on ``MAX_EMPTY`` empty pages (``EMPTY_PAGES``; before, the stream said nothing while older items
        waited)."""
        cycle = paging.trouble({"cycling": self.cycling}, self.looped)
        if cycle or not self.emptied:
            return cycle
        return (
            f"{EMPTY_PAGES}: the platform answered {MAX_EMPTY} empty pages in a row, each naming a next one, "
            f"in {self.emptied} sweep(s) in a row; each sweep starts again from the newest page with the "
            "watermark kept, so newer items are read and the older ones once the platform pages normally"
        )

    def is_past(self, when: datetime | None) -> bool:
        """Older than the watermark: the sweep is done once it meets such an item."""
        return self.seen is not None and when is not None and when < self.seen

    def is_read(self, when: datetime | None, ident: str | None) -> bool:
        """Read by an earlier sweep (older, or at the watermark with a known id)."""
        return self.is_past(when) or (when is not None and when == self.seen and ident in self.seen_ids)

    def note(self, when: datetime | None, ident: str | None) -> None:
        """Remember the newest time (and the ids at it) met in this sweep."""
        if when is None or ident is None:
            return
        if self.top is None or when > self.top:
            self.top, self.top_ids = when, {ident}
        elif when == self.top:
            self.top_ids.add(ident)

    def fresh(self, page: Sequence[tuple[datetime | None, str | None, Any]]) -> tuple[list[Any], bool]:
        """The objects of a newest-first page (``(time, id, object)``) not read yet, each noted, and whether
        the page reached the watermark: its last dated object is older than it. An older object before
        that is skipped, never the objects after it."""
        out: list[Any] = []
        for when, ident, obj in page:
            if self.is_past(when):
                continue
            self.note(when, ident)
            if not self.is_read(when, ident):
                out.append(obj)
        dated = [when for when, _, _ in page if when is not None]
        return out, bool(dated) and self.is_past(dated[-1])

    def advance(self, token: str | None, reached: bool, *, empty: bool = False) -> tuple[str, bool]:
        """The cursor to store after this page (``empty``: it had no item), and whether another page is
        waiting now. An empty page naming a next one is followed (an AppView that filtered out what it
        read): ending the sweep there moved the watermark past the older pages, never read."""
        pages = self.pages + 1
        cold_done = self.seen is None and pages >= COLD_START_PAGES
        self.looped = paging.loop_length(self.trail, self.token, token)
        empties = self.empties + 1 if empty else 0
        if (self.looped or empties >= MAX_EMPTY) and not reached:  # a page already read, or empty ones
            self.cycling += 1 if self.looped else 0  # from the top, the watermark kept
            self.emptied += 0 if self.looped else 1
            return Sweep(self.seen, self.seen_ids, cycling=self.cycling, emptied=self.emptied).dump(), False
        if token and not reached and not cold_done:
            trail = paging.walked(self.trail, self.token)
            nxt = Sweep(self.seen, self.seen_ids, token, self.top, self.top_ids, pages, trail, self.cycling)
            nxt.empties, nxt.emptied = empties, self.emptied
            return nxt.dump(), True
        self.cycling = self.emptied = 0  # a sweep that ends normally
        if self.top is None:
            return Sweep(self.seen, self.seen_ids).dump(), False
        ids = frozenset(self.top_ids | (self.seen_ids if self.top == self.seen else frozenset()))
        return Sweep(self.top, ids).dump(), False
