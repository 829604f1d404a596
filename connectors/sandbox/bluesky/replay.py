"""Demo traffic for the Bluesky sandbox: the synthetic customers (``_customers``) as mentions of the brand,
one line in four as a chat message instead.

The timing (a backdated backlog, then a drip) is the shared ``_replay.Replayer``'s; this says how a line
becomes a post or a message.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from connectors.sandbox import _replay
from connectors.sandbox._customers import LINES, customer_of, short

if TYPE_CHECKING:
    from connectors.sandbox.bluesky.server import BlueskySandbox

DM_EVERY = 4  # one line in four arrives as a chat message


def handle_of(name: str) -> str:
    """A Bluesky handle is a domain name: "Léa" is @lea.bsky.social (ASCII letters, digits and hyphens)."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return f"{re.sub(r'[^a-z0-9-]+', '-', folded).strip('-')}.bsky.social"


class Replayer(_replay.Replayer[str]):
    """Seeds ``backlog`` items over the past hour, then one every ``interval`` seconds until stopped."""

    thread_name = "bluesky-replay"

    def __init__(self, sandbox: BlueskySandbox, *, backlog: int = 6, interval: float = 25.0) -> None:
        super().__init__(backlog=backlog, interval=interval, span=timedelta(hours=1))
        self.sandbox = sandbox

    @property
    def script_length(self) -> int:
        return len(LINES)

    def post(self, index: int, at: datetime | None) -> str:
        """The next line from its customer's account; returns the post's URI or the message's id."""
        line, cycle = LINES[index % len(LINES)], self.round_of(index)
        who = customer_of(line, cycle)
        handle = handle_of(who.username or (f"{who.first_name}-{short(cycle)}" if cycle else who.first_name))
        name = " ".join(n for n in (who.first_name, who.last_name) if n)
        self.sandbox.add_account(handle, name)
        if (index + 1) % DM_EVERY == 0:
            return self.sandbox.add_dm(line.text, sender=handle, at=at)
        brand = self.sandbox.store.brand.handle
        return self.sandbox.add_post(f"@{brand} {line.text}", author=handle, at=at)
