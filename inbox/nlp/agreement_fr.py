"""French phrase rules in every agreement and with or without accents: "jamais arrivé" also reads "jamais
arrivée", "jamais arrives", "jamais arrivee".

French past participles and many adjectives agree with their noun: a customer writes "ma commande n'est
jamais arrivée", "mes colis pas reçus", "carte bloquée", and often drops the accents. The French pipeline has
no lemmatiser, and the urgency rules match lower-cased words, so a community manager would have to write
every form. ``expand`` writes them instead: each word of a phrase that looks like an agreeing form (a
participle in -é, a listed participle in -u/-i/-is/-it, an adjective in -eux/-if) gets its feminine and plural
forms, and the whole phrase its accent-free spelling (not a lone word in -é or -és: "coupé" is not
"coupe"). Forms that are not French words never occur in a message, so they cost nothing but a few entries
in the matcher.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from itertools import product

# Listed, not guessed from the ending: "tu", "du", "lu", "fi" must not become "tue", "due"...
_PARTICIPLES_U = frozenset(
    "reçu aperçu déçu perdu vendu rendu attendu entendu répondu suspendu interrompu corrompu disparu paru "
    "obtenu tenu venu revenu retenu prévenu détenu voulu connu vécu battu fondu pendu tendu".split()
)
_PARTICIPLES_I = frozenset(
    "fini parti sorti servi suivi subi choisi saisi trahi averti garanti rempli".split()
)
_PARTICIPLES_S = frozenset(
    "pris compris repris surpris appris mis remis promis transmis soumis permis commis omis".split()
)
_PARTICIPLES_T = frozenset("fait dit écrit inscrit interdit prédit détruit construit produit conduit".split())
MAX_FORMS = 64  # per phrase; a longer product keeps the phrase as written


def fold(text: str) -> str:
    """Without accents (ç -> c, é -> e), case kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def forms(word: str) -> list[str]:
    """The word, then its feminine and plural forms where it is an agreeing participle or adjective."""
    low = word.lower()
    if low.endswith("é") or low in _PARTICIPLES_U or low in _PARTICIPLES_I:
        return [word, word + "e", word + "s", word + "es"]
    if low in _PARTICIPLES_S:
        return [word, word + "e", word + "es"]
    if low in _PARTICIPLES_T:
        return [word, word + "e", word + "s", word + "es"]
    if low.endswith("eux") and len(low) > 4:
        stem = word[:-1]
        return [word, stem + "se", stem + "ses"]
    if low.endswith("if") and len(low) > 3:
        stem = word[:-1]
        return [word, word + "s", stem + "ve", stem + "ves"]
    return [word]


def phrase_forms(phrase: str) -> list[str]:
    """Every agreement of ``phrase`` (words split on spaces), each also without accents, the phrase first."""
    words = phrase.split(" ")
    choices = [forms(w) for w in words]
    count = 1
    for c in choices:
        count *= len(c)
    agreed = [" ".join(ws) for ws in product(*choices)] if count <= MAX_FORMS else [phrase]
    return list(dict.fromkeys([*agreed, *(fold(p) for p in agreed if _foldable(p))]))


def _foldable(phrase: str) -> bool:
    """A lone word in -é or -és is not spelt without its accent: "coupé" would read "coupe" (a cup)."""
    return " " in phrase or not phrase.lower().endswith(("é", "és"))


def expand(phrases: Iterable[str]) -> list[str]:
    """``phrase_forms`` of each phrase, in order, each form once."""
    return list(dict.fromkeys(form for p in phrases for form in phrase_forms(p)))
