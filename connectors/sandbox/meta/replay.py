"""Live-looking traffic for the Meta sandbox, from the shipped customer-support sample (see x_replay).

Each released item goes, in turn, to a Facebook comment, a Messenger message, an Instagram comment, an
Instagram DM and a WhatsApp message. The seed also leaves one WhatsApp customer whose last message is 30 hours
old, so the demo shows the 24-hour window closed (template only) next to open conversations.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from connectors.sandbox.x.replay import SampleRow, dm_text, load_sample, persona

if TYPE_CHECKING:
    from connectors.sandbox.meta.server import MetaSandbox

ROTATION = ("facebook", "messenger", "instagram", "instagram_dm", "whatsapp")
STALE_WHATSAPP = "Bonjour, je n'ai toujours pas reçu ma commande 4417 et personne ne me répond."


class MetaReplayer:
    """Seeds ``backlog`` items over the past two hours, then one every ``interval`` seconds until stopped."""

    def __init__(self, sandbox: MetaSandbox, *, backlog: int = 10, interval: float = 20.0) -> None:
        self.sandbox, self.backlog, self.interval = sandbox, backlog, interval
        self.rows: list[SampleRow] = load_sample()
        self.released = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def release(self, created_at: datetime | None = None) -> str:
        """The next sample row on the next platform of the rotation; returns the new item's id."""
        row = self.rows[self.released % len(self.rows)]
        target = ROTATION[self.released % len(ROTATION)]
        self.released += 1
        _, name, _ = persona(row.author_id)
        text = dm_text(row.text)
        if target in ("facebook", "instagram"):
            return self.sandbox.add_comment(text, platform=target, author=name, created_at=created_at)
        platform = "instagram" if target == "instagram_dm" else target
        return self.sandbox.add_message(text, platform=platform, name=name, created_at=created_at)

    def seed(self, now: datetime | None = None) -> None:
        now = now or datetime.now(UTC)
        self.sandbox.add_post(
            "Our spring collection is here! Tell us what you think.", created_at=now - timedelta(days=2)
        )
        self.sandbox.add_post(
            "New in: the Acme travel mug.", platform="instagram", created_at=now - timedelta(days=2)
        )
        self.sandbox.add_message(
            STALE_WHATSAPP, platform="whatsapp", name="Camille Martin", created_at=now - timedelta(hours=30)
        )
        step = timedelta(hours=2) / max(self.backlog, 1)
        for i in range(self.backlog):
            self.release(now - timedelta(hours=2) + step * i)

    def start(self) -> MetaReplayer:
        self.seed()
        if self.interval > 0:
            self._thread = threading.Thread(target=self._run, daemon=True, name="sandbox-meta-replay")
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.release()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
