"""Live-looking traffic for the Meta sandbox, from the shipped customer-support sample (``_sample``).

Each released item goes, in turn, to a Facebook comment, a Messenger message, an Instagram comment, an
Instagram DM and a WhatsApp message. The seed also leaves one WhatsApp customer whose last message is 30 hours
old, so the demo shows the 24-hour window closed (template only) next to open conversations. The timing is
the shared ``_replay.Replayer``'s.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from connectors.sandbox import _replay
from connectors.sandbox._sample import SampleRow, as_written, dm_text, load_sample, name_brand, persona

if TYPE_CHECKING:
    from connectors.sandbox.meta.server import MetaSandbox

ROTATION = ("facebook", "messenger", "instagram", "instagram_dm", "whatsapp")
STALE_WHATSAPP = "Bonjour, je n'ai toujours pas reçu ma commande 4417 et personne ne me répond."
# The same wamid on every start: a restarted sandbox's seed is the message the inbox already has, not a copy
STALE_WHATSAPP_ID = "wamid.HBgLc3RhbGUtd2hhdHNhcHAtNDQxNw"


class MetaReplayer(_replay.Replayer[str]):
    """Seeds the brand's posts and ``backlog`` items over the past two hours, then one every ``interval``
    seconds until stopped."""

    thread_name = "sandbox-meta-replay"

    def __init__(self, sandbox: MetaSandbox, *, backlog: int = 10, interval: float = 20.0) -> None:
        super().__init__(backlog=backlog, interval=interval, span=timedelta(hours=2))
        self.sandbox = sandbox
        self.rows: list[SampleRow] = load_sample()

    @property
    def script_length(self) -> int:
        return len(self.rows)

    def post(self, index: int, at: datetime | None) -> str:
        """The sample's next row on the next platform of the rotation; returns the new item's id."""
        row = self.rows[index % len(self.rows)]
        target = ROTATION[index % len(ROTATION)]
        cycle = self.round_of(index)
        _, name, _ = persona(row.author_id, cycle)
        text = name_brand(dm_text(as_written(row.text)), row.brand, self.sandbox.store.page_name)
        platform = {"instagram_dm": "instagram"}.get(target, target)
        # the person's id from who they are (author and round), not their name: two people share a name
        who = self.sandbox.customer_id(platform, f"{row.author_id}:{cycle}")
        if target in ("facebook", "instagram"):
            return self.sandbox.add_comment(text, platform=target, author=name, author_id=who, created_at=at)
        return self.sandbox.add_message(text, platform=platform, name=name, sender=who, created_at=at)

    def seed(self, now: datetime | None = None) -> list[str]:
        """A post on each platform two days ago and the stale WhatsApp customer, then the backlog."""
        now = now or datetime.now(UTC)
        self.sandbox.add_post(
            "Our spring collection is here! Tell us what you think.", created_at=now - timedelta(days=2)
        )
        self.sandbox.add_post(
            "New in: the Acme travel mug.", platform="instagram", created_at=now - timedelta(days=2)
        )
        self.sandbox.add_message(
            STALE_WHATSAPP,
            platform="whatsapp",
            name="Camille Martin",
            created_at=now - timedelta(hours=30),
            message_id=STALE_WHATSAPP_ID,
        )
        return super().seed(now)
