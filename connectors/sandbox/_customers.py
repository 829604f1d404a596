"""Synthetic customers and what they write, in French and English, for the Telegram and Bluesky replays.

Short examples written for the sandboxes (no real person's words, no dataset). The script's first round is
written by the six customers below; each later round by new customers of the same languages (names drawn from
the pools below), so that a demo left running shows many people with the same problems, not the same six
repeating their words every few minutes. Pure data.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


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


FIRST_NAMES = {
    "fr": ("Chloé", "Louis", "Manon", "Nathan", "Inès", "Jules", "Sarah", "Théo", "Emma", "Lucas", "Zoé"),
    "en": ("Olivia", "Noah", "Amelia", "Leo", "Maya", "Ethan", "Zara", "Owen", "Ruby", "Isaac", "Grace"),
}
LAST_NAMES = {
    "fr": ("Petit", "Robert", "Richard", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia"),
    "en": ("Smith", "Jones", "Brown", "Wilson", "Evans", "Walker", "Wright", "Green", "Hall", "Clarke"),
}


def short(number: int) -> int:
    """The last five digits of a customer or round number, for names people read (a restarted demo's rounds
    are counted in seconds: "leo_e31935", not "leo_e175931935"; the platform ids stay whole and unique)."""
    return number % 100_000


def customer_number(line: Line, cycle: int = 0) -> int:
    """A number for who writes ``line`` in round ``cycle`` of the script (0, 1, 2 ...), unique to them."""
    return line.customer % len(CUSTOMERS) + cycle * len(CUSTOMERS)


def customer_of(line: Line, cycle: int = 0) -> Customer:
    """Who writes ``line`` in round ``cycle``: the script's own customer first, then a new one of the same
    language (with a username when the first one had one) in each later round."""
    first = CUSTOMERS[line.customer % len(CUSTOMERS)]
    if cycle == 0:
        return first
    number = customer_number(line, cycle)
    firsts, lasts = FIRST_NAMES[first.language_code], LAST_NAMES[first.language_code]
    given, family = firsts[number % len(firsts)], lasts[(number * 7 + cycle) % len(lasts)]
    folded = unicodedata.normalize("NFKD", given).encode("ascii", "ignore").decode().lower()
    username = f"{folded}_{family[0].lower()}{short(number)}" if first.username else None
    return Customer(given, family, username, first.language_code)
