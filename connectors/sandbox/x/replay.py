"""Replays the shipped customer-support sample (``connectors.sandbox._sample``) as live X traffic: each
customer a user, each thread a reply chain of mentions addressed to the brand, one thread in six as DMs.

The timing (a backdated backlog, then a drip) is the shared ``_replay.Replayer``'s; this says how an item
is posted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from connectors.sandbox import _replay
from connectors.sandbox._sample import SampleRow, dm_text, persona, plan, rewrite_brand


class ReplayTarget(Protocol):
    """What the replayer needs from a sandbox."""

    brand_handle: str

    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str: ...

    def add_mention(
        self,
        text: str,
        author: str = ...,
        in_reply_to: str | None = ...,
        *,
        created_at: datetime | None = ...,
    ) -> str: ...

    def add_dm(self, text: str, sender: str = ..., *, created_at: datetime | None = ...) -> str: ...


class Replayer(_replay.Replayer[str]):
    """The sample's rows in ``plan`` order (cycling, each round by other customers) into ``target``; each
    release returns the sandbox id of the mention or DM event. The backlog spans ``span`` with jitter."""

    jitter = True

    def __init__(
        self,
        target: ReplayTarget,
        rows: Sequence[SampleRow],
        *,
        backlog: int = 40,
        interval: float = 15.0,
        span: timedelta = timedelta(hours=2),
    ) -> None:
        if not rows:
            raise ValueError("nothing to replay")
        super().__init__(backlog=backlog, interval=interval, span=span)
        self.target, self.order = target, plan(rows)
        self.ids: dict[str, str] = {}  # sample tweet id -> sandbox id (mentions) of the current cycle

    @property
    def script_length(self) -> int:
        return len(self.order)

    def post(self, index: int, at: datetime | None) -> str:
        position = index % len(self.order)
        if position == 0:
            self.ids.clear()
        row, as_dm = self.order[position].row, self.order[position].as_dm
        handle, name, followers = persona(row.author_id, self.round_of(index))
        self.target.add_user(handle, name=name, followers=followers)
        if as_dm:
            return self.target.add_dm(dm_text(row.text), sender=handle, created_at=at)
        text = rewrite_brand(row.text, row.brand, self.target.brand_handle)
        parent = self.ids.get(row.reply_to) if row.reply_to else None
        new_id = self.target.add_mention(text, author=handle, in_reply_to=parent, created_at=at)
        self.ids[row.tweet_id] = new_id
        return new_id
