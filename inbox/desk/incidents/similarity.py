"""How close a customer's text is to an incident: TF-IDF cosine similarity. Pure: no I/O, no clock.

Texts are folded (case and accents ignored, as the queue's search), @handles and links dropped, and read as
words plus the 4-letter pieces of longer words, so "coupure" meets "coupé" and "pannes" meets "panne".
Weights: sublinear term frequency times smoothed inverse document frequency, learnt over the texts compared
and a background of ordinary traffic (so words every message uses weigh little). A candidate's score is its
best cosine against the incident's reference texts (its description and its confirmed conversations),
from 0 (nothing shared) to 1 (the same words).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from inbox.store.folding import fold

_DROPPED = re.compile(r"(?:https?://|www\.)\S+|(?<![\w@])@[\w.@-]+")
_WORD = re.compile(r"[^\W_]{2,}")
PIECE = 4  # letters in a word piece
MIN_PIECED = 6  # words at least this long also count by pieces


def features(text: str) -> Counter[str]:
    """The words and word pieces of ``text``, counted."""
    words = _WORD.findall(fold(_DROPPED.sub(" ", text)))
    found: Counter[str] = Counter(words)
    for word in words:
        if len(word) >= MIN_PIECED:
            found.update(f"~{word[i : i + PIECE]}" for i in range(len(word) - PIECE + 1))
    return found


def _weights(doc: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    return {term: (1.0 + math.log(count)) * idf[term] for term, count in doc.items()}


def _rows(docs: Sequence[Counter[str]], idf: dict[str, float], vocabulary: dict[str, int]) -> np.ndarray:
    """Rows of TF-IDF weights on ``vocabulary``, each divided by its whole vector's length (terms outside
    the vocabulary still count in the length: a long message about something else scores low)."""
    out = np.zeros((len(docs), len(vocabulary)))
    for row, doc in enumerate(docs):
        weights = _weights(doc, idf)
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for term, weight in weights.items():
            if term in vocabulary:
                out[row, vocabulary[term]] = weight / norm
    return out


def _idf(docs: Iterable[Counter[str]]) -> dict[str, float]:
    counted = list(docs)
    df: Counter[str] = Counter(term for doc in counted for term in doc)
    n = len(counted)
    return {term: math.log((1 + n) / (1 + d)) + 1.0 for term, d in sorted(df.items())}


def scores(
    references: Sequence[str], candidates: Sequence[str], background: Sequence[str] = ()
) -> list[float]:
    """Each candidate's best cosine similarity to one of ``references`` (0 with no reference)."""
    if not candidates:
        return []
    refs = [f for f in map(features, references) if f]
    if not refs:
        return [0.0] * len(candidates)
    cands = [features(text) for text in candidates]
    idf = _idf([*refs, *cands, *map(features, background)])
    vocabulary = {term: i for i, term in enumerate(sorted({t for ref in refs for t in ref}))}
    similarity = _rows(cands, idf, vocabulary) @ _rows(refs, idf, vocabulary).T
    return [round(float(row.max()), 4) for row in similarity]


def keyword_hits(text: str, keywords: Sequence[str]) -> list[str]:
    """The keywords found in ``text`` (case and accents ignored; a keyword may be several words)."""
    folded = " ".join(_WORD.findall(fold(text)))
    return [k for k in keywords if (key := " ".join(_WORD.findall(fold(k)))) and key in folded]
