"""Synthetic customers and what they write, in French and English, for the Telegram and Bluesky replays.

Short examples written for the sandboxes (no real person's words, no dataset). Pure data.
"""

from __future__ import annotations

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


def customer_of(line: Line) -> Customer:
    return CUSTOMERS[line.customer % len(CUSTOMERS)]
