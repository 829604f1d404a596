"""The contact-reason model: a multinomial logistic regression over hashed features; pure numpy, no I/O but
its own ``save``/``load``.

Features of one normalised message (``features``): hashed word uni/bi-grams and character 3-5-grams (counts
log-scaled, the row L2-normalised), one feature per contact reason whose phrase rules matched
(``rule:<reason>``), and a few shapes (very short text, question mark, a bare link or mention). Weights are
kept only for the hashed slots seen in training (sorted index + a float16 matrix), so the shipped file holds
numbers, no text.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BITS = 20
DIM = 1 << BITS
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?|[!?]+|[:;<][()dp/3]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")


def slot(key: str) -> int:
    """The hashed feature index of ``key``."""
    return zlib.crc32(key.encode()) & (DIM - 1)


_h = slot


def features(
    text: str, fired: Iterable[str] = (), *, chars: bool = True, words: bool = True
) -> dict[int, float]:
    """The sparse feature vector of one normalised message: hashed index -> value; without ``words``, only
    the fired rules and the shapes (features that mean the same in every language)."""
    out: dict[int, float] = {}
    low = text.lower()
    tokens = [t for t in _TOKEN.findall(low) if t != "user"]
    keys = ["w:" + tok for tok in tokens] if words else []
    keys += ["b:" + a + " " + b for a, b in zip(tokens, tokens[1:], strict=False)] if words else []
    for word in _WORD.findall(low) if chars and words else ():
        padded = f" {word} "
        keys += ["c:" + padded[j : j + n] for n in (3, 4, 5) for j in range(len(padded) - n + 1)]
    crc, mask = zlib.crc32, DIM - 1
    for key in keys:
        k = crc(key.encode()) & mask
        out[k] = out.get(k, 0.0) + 1.0
    # counts -> 1 + log(count), then the row is L2-normalised (a long message does not weigh more)
    weighted = {k: 1.0 + math.log(v) for k, v in out.items()}
    norm = math.sqrt(sum(v * v for v in weighted.values()))
    out = {k: v / norm for k, v in weighted.items()} if norm else weighted
    for reason in fired:
        out[_h("\x00rule:" + reason)] = 1.0
    lexical = [t for t in tokens if t[0].isalpha() and t != "http"]
    out[_h("\x00short")] = float(len(lexical) < 4)
    out[_h("\x00empty")] = float(not lexical)
    out[_h("\x00question")] = float("?" in text)
    return out


def _csr(rows: Sequence[dict[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    idx = np.fromiter((k for r in rows for k in r), dtype=np.int64, count=int(indptr[-1]))
    val = np.fromiter((v for r in rows for v in r.values()), dtype=np.float64, count=int(indptr[-1]))
    return indptr, idx, val


@dataclass(frozen=True, slots=True)
class ReasonWeights:
    """``labels`` (columns), the sorted hashed slots ``index`` with their weight rows ``matrix``, a bias."""

    labels: tuple[str, ...]
    index: np.ndarray  # (n,) int64, sorted
    matrix: np.ndarray  # (n, len(labels))
    bias: np.ndarray  # (len(labels),)
    chars: bool = True
    words: bool = True  # False: rules and shapes only (``features``)

    def logits(self, rows: Sequence[dict[int, float]]) -> np.ndarray:
        """One row of logits per feature vector."""
        indptr, idx, val = _csr(rows)
        pos = np.searchsorted(self.index, idx).clip(0, max(len(self.index) - 1, 0))
        known = self.index[pos] == idx if len(self.index) else np.zeros(len(idx), dtype=bool)
        contrib = np.where(known[:, None], self.matrix[pos].astype(np.float64) * val[:, None], 0.0)
        row = np.repeat(np.arange(len(rows)), np.diff(indptr))
        out = np.tile(self.bias.astype(np.float64), (len(rows), 1))
        np.add.at(out, row, contrib)
        return out

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "weights.npz",
            index=self.index.astype(np.int32),
            matrix=self.matrix.astype(np.float16),
            bias=self.bias.astype(np.float32),
        )
        meta = {"labels": list(self.labels), "bits": BITS, "chars": self.chars, "words": self.words}
        (folder / "cfg.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> ReasonWeights:
        meta = json.loads((folder / "cfg.json").read_text(encoding="utf-8"))
        if meta.get("bits") != BITS:
            raise ValueError(f"{folder}: reason weights for {meta.get('bits')} bits, code expects {BITS}")
        data = np.load(folder / "weights.npz")
        return cls(
            tuple(meta["labels"]),
            data["index"].astype(np.int64),
            data["matrix"].astype(np.float32),
            data["bias"].astype(np.float32),
            bool(meta.get("chars", True)),
            bool(meta.get("words", True)),
        )


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fit(
    rows: Sequence[dict[int, float]],
    targets: np.ndarray,
    weights: Sequence[float],
    labels: Sequence[str],
    *,
    l2: float = 1e-4,
    steps: int = 100,
    lr: float = 0.5,
    chars: bool = True,
    words: bool = True,
) -> ReasonWeights:
    """Softmax regression on (soft) ``targets`` (rows x labels), per-row ``weights``; full-batch Adagrad,
    deterministic."""
    indptr, idx, val = _csr(rows)
    index, inverse = np.unique(idx, return_inverse=True)
    n, k = len(index), len(labels)
    row = np.repeat(np.arange(len(rows)), np.diff(indptr))
    sw = np.asarray(weights, dtype=np.float64)
    sw = sw / sw.sum()
    w, b = np.zeros((n, k)), np.zeros(k)
    gw2, gb2 = np.full((n, k), 1e-8), np.full(k, 1e-8)
    starts = indptr[:-1].clip(0, max(len(idx) - 1, 0))
    empty = indptr[:-1] == indptr[1:]
    flat = (inverse[:, None] * k + np.arange(k)[None, :]).ravel()
    for _ in range(steps):
        z = (
            np.add.reduceat(w[inverse] * val[:, None], starts, axis=0)
            if len(idx)
            else np.zeros((len(rows), k))
        )
        z[empty] = 0.0
        err = (softmax(z + b) - targets) * sw[:, None]
        counts = np.bincount(flat, weights=(err[row] * val[:, None]).ravel(), minlength=n * k)
        grad: np.ndarray = counts.reshape(n, k) + l2 * w
        gb = err.sum(axis=0)
        gw2 += grad * grad
        gb2 += gb * gb
        w -= lr * grad / np.sqrt(gw2)
        b -= lr * gb / np.sqrt(gb2)
    return ReasonWeights(
        tuple(labels), index.astype(np.int64), w.astype(np.float32), b.astype(np.float32), chars, words
    )
