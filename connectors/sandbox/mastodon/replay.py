"""Live customer traffic for the Mastodon sandbox, in English and French, through the X sandbox's replayer
(the sample's threads as reply chains), its calls adapted to Mastodon here.

English: the attributed *Customer Support on Twitter* sample (connectors/sandbox/data, CC BY-NC-SA 4.0),
rewritten as Mastodon statuses. French: short customer messages written for this sandbox (no dataset).
Deterministic by hash: one customer in three lives on another instance (``user@domain``), one thread in
six goes private (direct statuses) as on X, and one new thread in five is a public post that names the
brand without @mentioning it (what keyword listening finds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from connectors.sandbox._replay import stable_hash
from connectors.sandbox._sample import Planned, SampleRow, as_written, load_sample, plan
from connectors.sandbox.x.replay import Replayer

REMOTE_DOMAINS = ("piaille.fr", "framapiaf.org", "mastodon.social", "mamot.fr", "fosstodon.org")
LISTENING_EVERY = 5
FRENCH: tuple[tuple[str, str, str], ...] = (  # (thread, author, text); a thread's rows in order
    ("fr1", "9001", "@AcmeCare bonjour, ma commande n'est toujours pas arrivée après 10 jours. Une idée ?"),
    ("fr1", "9001", "@AcmeCare toujours rien, et le suivi indique « en cours de livraison » depuis lundi…"),
    ("fr2", "9002", "@AcmeCare impossible de me connecter à mon compte depuis la mise à jour, c'est urgent"),
    ("fr3", "9003", "@AcmeCare merci pour le remboursement rapide, service au top 👏"),
    ("fr4", "9004", "@AcmeCare j'ai été débité deux fois pour le même abonnement, je veux un remboursement"),
    ("fr4", "9004", "@AcmeCare quelqu'un peut me répondre ? Deux prélèvements de 12,99 € ce mois-ci"),
    ("fr5", "9005", "@AcmeCare est-ce que la livraison en point relais est possible en Belgique ?"),
    ("fr6", "9006", "@AcmeCare le colis est arrivé abîmé, la boîte était ouverte. Je fais comment ?"),
    ("fr7", "9007", "@AcmeCare votre appli plante à chaque fois que j'ouvre mon panier #bug"),
    ("fr8", "9008", "@AcmeCare j'attends un retour du service client depuis une semaine, c'est inadmissible"),
    ("fr8", "9008", "@AcmeCare toujours aucune réponse à mon mail, je vais finir par résilier"),
    ("fr9", "9009", "@AcmeCare comment changer l'adresse de livraison d'une commande déjà passée ?"),
    ("fr10", "9010", "@AcmeCare super accueil en boutique à Lyon hier, merci à l'équipe !"),
    ("fr11", "9011", "@AcmeCare mon code promo ne fonctionne pas, il dit « expiré » alors qu'il est valable"),
    ("fr12", "9012", "@AcmeCare bonjour, je n'ai pas reçu la facture de ma dernière commande"),
    ("fr13", "9013", "@AcmeCare la batterie de mon appareil ne tient plus que 2 heures, c'est couvert ?"),
    ("fr13", "9013", "@AcmeCare je l'ai acheté il y a 8 mois, j'ai encore le ticket"),
    ("fr14", "9014", "@AcmeCare peut-on annuler une commande avant l'expédition ?"),
    ("fr15", "9015", "@AcmeCare le site affiche une erreur 500 au paiement depuis ce matin"),
    ("fr16", "9016", "@AcmeCare je voudrais supprimer mon compte et mes données, où faire la demande ?"),
    ("fr17", "9017", "@AcmeCare ça fait 45 minutes que j'attends au téléphone, personne ne décroche"),
    ("fr18", "9018", "@AcmeCare le produit reçu ne correspond pas à la photo du site, je veux le retourner"),
    ("fr18", "9018", "@AcmeCare l'étiquette de retour ne s'imprime pas, le lien renvoie une erreur"),
    ("fr19", "9019", "@AcmeCare vous livrez le samedi ? Je ne suis jamais chez moi en semaine"),
    ("fr20", "9020", "@AcmeCare mon abonnement a été renouvelé sans prévenir, je n'en veux plus"),
    ("fr21", "9021", "@AcmeCare bravo pour la nouvelle appli, beaucoup plus simple 👍"),
    ("fr22", "9022", "@AcmeCare je n'arrive pas à modifier mon mot de passe, le mail n'arrive jamais"),
    ("fr22", "9022", "@AcmeCare j'ai vérifié les spams, toujours rien"),
    (
        "fr23",
        "9023",
        "@AcmeCare commande passée il y a 3 semaines, toujours « en préparation ». Sérieusement ?",
    ),
    ("fr24", "9024", "@AcmeCare est-ce que vous acceptez les chèques cadeaux en ligne ?"),
)
FRENCH_EVERY = 4  # one replayed item in four is French


class ReplayTarget(Protocol):
    brand_handle: str

    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str: ...

    def add_mention(
        self,
        text: str,
        author: str = ...,
        in_reply_to: str | None = ...,
        *,
        created_at: datetime | None = ...,
        language: str | None = ...,
    ) -> str: ...

    def add_post(
        self,
        text: str,
        author: str = ...,
        in_reply_to: str | None = ...,
        *,
        created_at: datetime | None = ...,
        language: str | None = ...,
    ) -> str: ...

    def add_dm(
        self, text: str, sender: str = ..., *, created_at: datetime | None = ..., language: str | None = ...
    ) -> str: ...


def _bare(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"@\w+", "", text)).strip()


FRENCH_TEXTS = frozenset(_bare(text) for _, _, text in FRENCH)


def language_of(text: str) -> str:
    """``fr`` for the French messages above, else ``en`` (the English sample)."""
    return "fr" if _bare(text) in FRENCH_TEXTS else "en"


def french_rows(brand: str = "AcmeCare") -> list[SampleRow]:
    """The French messages as sample rows (ids ``fr…``; created_at unused by the replay)."""
    rows: list[SampleRow] = []
    previous: dict[str, str] = {}
    for index, (thread, author, text) in enumerate(FRENCH):
        tweet_id = f"fr{index:03d}"
        rows.append(SampleRow(tweet_id, author, brand, "", previous.get(thread, ""), thread, text))
        previous[thread] = tweet_id
    return rows


def interleave(english: Sequence[Planned], french: Sequence[Planned]) -> list[Planned]:
    """The English plan with a French item after every ``FRENCH_EVERY - 1`` (French cycles as needed)."""
    out: list[Planned] = []
    for index, item in enumerate(english, start=1):
        out.append(item)
        if french and index % (FRENCH_EVERY - 1) == 0:
            out.append(french[(index // (FRENCH_EVERY - 1) - 1) % len(french)])
    return out


class MastodonTraffic:
    """Adapts the replayer's calls to Mastodon: remote handles, listening posts, statuses per language."""

    def __init__(self, sandbox: ReplayTarget) -> None:
        self.sandbox = sandbox
        self.brand_handle = sandbox.brand_handle
        self.listening: set[str] = set()  # ids of statuses posted as listening threads

    def _handle(self, handle: str) -> str:
        h = stable_hash("instance", handle)
        return f"{handle}@{REMOTE_DOMAINS[h % len(REMOTE_DOMAINS)]}" if h % 3 == 0 else handle

    def add_user(self, handle: str, name: str | None = None, followers: int = 0) -> str:
        return self.sandbox.add_user(self._handle(handle), name=name, followers=followers)

    def add_mention(
        self,
        text: str,
        author: str = "customer",
        in_reply_to: str | None = None,
        *,
        created_at: datetime | None = None,
    ) -> str:
        handle, text = self._handle(author), as_written(text)
        listening = stable_hash("listen", text) % LISTENING_EVERY == 0
        as_post = in_reply_to in self.listening if in_reply_to else listening
        lang = language_of(text)
        if not as_post:
            return self.sandbox.add_mention(text, handle, in_reply_to, created_at=created_at, language=lang)
        plain = re.sub(rf"@{re.escape(self.brand_handle)}\b", self.brand_handle, text)
        status_id = self.sandbox.add_post(plain, handle, in_reply_to, created_at=created_at, language=lang)
        self.listening.add(status_id)
        return status_id

    def add_dm(self, text: str, sender: str = "customer", *, created_at: datetime | None = None) -> str:
        text = as_written(text)
        return self.sandbox.add_dm(
            text, sender=self._handle(sender), created_at=created_at, language=language_of(text)
        )


def replayer(
    sandbox: ReplayTarget,
    rows: Sequence[SampleRow] | None = None,
    *,
    backlog: int = 40,
    interval: float = 15.0,
) -> Replayer:
    """A replayer of ``rows`` (default: the English sample with French messages woven in) into ``sandbox``."""
    replay = Replayer(MastodonTraffic(sandbox), rows or load_sample(), backlog=backlog, interval=interval)
    if rows is None:
        replay.order = interleave(replay.order, plan(french_rows()))
    return replay
