"""Demo traffic for the Telegram sandbox: customers writing to the brand's bot in French and English.

The messages are short synthetic examples written for this sandbox (no real person's words). A replay seeds
a backdated backlog, then releases one message every ``interval`` seconds in a daemon thread.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


@dataclass(frozen=True)
class Customer:
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str


@dataclass(frozen=True)
class Line:
    customer: int  # index in CUSTOMERS
    text: str


CUSTOMERS = (
    Customer("Camille", "Durand", "camille_d", "fr"),
    Customer("Jonas", None, "jonas_k", "en"),
    Customer("Léa", "Martin", None, "fr"),
    Customer("Priya", "Shah", "priya_s", "en"),
    Customer("Hugo", "Bernard", "hugob", "fr"),
    Customer("Sam", "Taylor", None, "en"),
)

LINES = (
    Line(
        0,
        "Bonjour, ma commande n°48213 devait arriver hier et le suivi ne bouge plus. Pouvez-vous vérifier ?",
    ),
    Line(1, "Hi, I was charged twice for my subscription this month. Can you refund one of the payments?"),
    Line(2, "Bonjour ! Je n'arrive plus à me connecter à mon compte depuis la mise à jour de l'appli."),
    Line(0, "Je précise : le colis est indiqué « en cours de livraison » depuis trois jours."),
    Line(3, "Hello, is the store on Baker Street open on Sunday?"),
    Line(4, "C'est la troisième fois que j'écris, personne ne me répond. Je veux être remboursé."),
    Line(5, "My order arrived damaged, the box was crushed. What should I do?"),
    Line(1, "Any update on the double charge? The bank shows both payments."),
    Line(2, "J'ai réinitialisé mon mot de passe mais le lien a expiré. Merci de m'aider."),
    Line(3, "Thanks, and do you still have the blue model in size M?"),
    Line(5, "Photos of the damaged box are ready if you need them."),
    Line(4, "Merci de me rappeler au plus vite, c'est urgent."),
)


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


class Replayer:
    """Seeds ``backlog`` messages over the past ``span``, then one every ``interval`` s until stopped."""

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
        self.target, self.lines = target, list(lines)
        self.backlog, self.interval, self.span = backlog, interval, span
        self.released = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def release(self, at: datetime | None = None) -> dict[str, object]:
        """Send the next line of the script (cycling) from its customer; returns the update."""
        line = self.lines[self.released % len(self.lines)]
        self.released += 1
        who = CUSTOMERS[line.customer % len(CUSTOMERS)]
        return self.target.add_message(
            line.text,
            first_name=who.first_name,
            last_name=who.last_name,
            username=who.username,
            language_code=who.language_code,
            user_id=610_000_001 + line.customer,
            at=at,
        )

    def start(self) -> Replayer:
        now = datetime.now(UTC)
        step = self.span / max(self.backlog, 1)
        for i in range(self.backlog):
            self.release(now - self.span + step * i)
        if self.interval > 0:
            self._thread = threading.Thread(target=self._run, daemon=True, name="telegram-replay")
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.release()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
