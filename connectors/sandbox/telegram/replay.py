"""Demo traffic for the Telegram sandbox: the synthetic customers (``_customers``) writing to the brand's bot.

The timing (a backdated backlog, then a drip) is the shared ``_replay.Replayer``'s; this says how a line
becomes a customer's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from connectors.sandbox import _replay
from connectors.sandbox._customers import LINES, Line, customer_number, customer_of


class ReplayTarget(Protocol):
    def add_message(
        self,
        text: str,
        *,
        first_name: str = ...,
        last_name: str | None = ...,
        username: str | None = ...,
        language_code: str | None = ...,
        user_id: int | None = ...,
        at: datetime | None = ...,
    ) -> dict[str, object]: ...


class Replayer(_replay.Replayer[dict[str, object]]):
    """Seeds ``backlog`` messages over the past ``span``, then one every ``interval`` s until stopped."""

    thread_name = "telegram-replay"

    def __init__(
        self,
        target: ReplayTarget,
        lines: Sequence[Line] = LINES,
        *,
        backlog: int = 6,
        interval: float = 20.0,
        span: timedelta = timedelta(hours=1),
    ) -> None:
        if not lines:
            raise ValueError("nothing to replay")
        super().__init__(backlog=backlog, interval=interval, span=span)
        self.target, self.lines = target, list(lines)

    @property
    def script_length(self) -> int:
        return len(self.lines)

    def post(self, index: int, at: datetime | None) -> dict[str, object]:
        """The script's next line (cycling, each round by new customers); returns the update."""
        line, cycle = self.lines[index % len(self.lines)], self.round_of(index)
        who = customer_of(line, cycle)
        return self.target.add_message(
            line.text,
            first_name=who.first_name,
            last_name=who.last_name,
            username=who.username,
            language_code=who.language_code,
            user_id=610_000_001 + customer_number(line, cycle),
            at=at,
        )
