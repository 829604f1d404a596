"""The English urgency model: a small logistic regression over the cues the urgency GUIDELINE names.

Features of one message (``features``): hashed word uni/bi-grams and character 3-5-grams of the normalised
text, the guideline's cues (``CUES``: the service or log-in wholly blocked, money taken, safety, security,
legal threats, a threat to leave, insults or shouted anger at the brand, persistence: "still", "again",
"days", "nobody answers"...), style (ALL-CAPS words, repeated ``!!!``), and the scores of the components
that run before it in the pipeline: the prior-corrected negative sentiment and the complaint probability.
``UrgencyLinear`` (spaCy factory ``urgency_linear``, component ``urgency``) writes P(high or critical) to
``doc.cats["urgent"]``; ``inbox.nlp.urgency.lift`` names it ``model:urgency``. The weights are a numpy
array shipped in the package (no text in them); ``fit`` trains them (numpy only, deterministic).
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

from inbox.nlp import urgency_cues_fr

FACTORY = "urgency_linear"
BITS = 18
DIM = 1 << BITS
URGENT = "urgent"

# Searched in the lower-cased text (faster than re.IGNORECASE, same matches)
CUES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        # the service, product, account or log-in does not work at all
        "blocked": r"\b(?:can'?t|cannot|can not|unable to|won'?t|will not|doesn'?t|does not|did ?n'?t|"
        r"not able to)"
        r"\s+(?:even\s+|seem to\s+|get it to\s+)?(?:log ?in|login|sign ?in|access|play|use|connect|load|"
        r"open|work|download|book|order|pay|get (?:in|into|through)|bypass|stream)\b",
        "not_working": r"\b(?:not|isn'?t|aren'?t|stopped|still not|never) (?:working|work|loading|playing|"
        r"responding)\b|\bnothing (?:happens|works|is working)\b|\bis (?:down|offline)\b|\boutages?\b|"
        r"\bno (?:internet|service|signal|connection|wifi|power|network)\b|\blocked out\b|"
        r"\bcrash(?:es|ing)?\b|"
        r"\bfrozen\b|\bstuck\b|\bbroke(?:n)?\b|\bfail(?:s|ed|ure|ing)?\b|\berror\b|\bwon'?t let me\b",
        "at_all": r"\bat all\b|\bany (?:song|songs|thing|of)\b|\banything\b|\bevery ?(?:thing|time|song)\b|"
        r"\bcompletely\b|\btotally\b|\bentirely\b",
        "money": r"\b(?:charg(?:e|ed|ing)|refund(?:ed|s)?|money|paid|paying|billed|bill|overcharg\w*|fee|"
        r"compensat\w*|funds?|stealing|stole|steal)\b|[$£€]\s?\d",
        "safety": r"\b(?:unsafe|not safe|danger\w*|fire|hospital|injur\w*|hurt|police|emergency|"
        r"stranded|alone|at night)\b",
        "security": r"\bhack\w*|\bscam\w*|\bfraud\w*|\bphishing\b|\bsecurity\b|\bprivacy\b|"
        r"\bpersonal (?:data|details|info\w*)\b|\bstolen\b|\bidentity\b|\bunauthori[sz]ed\b|\bgdpr\b",
        "legal": r"\b(?:lawyer|solicitor|attorney|sue|suing|lawsuit|court|legal|ombudsman|regulator|"
        r"trading standards|press|journalist|bbb|ftc)\b",
        "leave": r"\b(?:cancel\w*|switch\w*|leav(?:e|ing)|stop being|no longer|last time|never again|"
        r"elsewhere|go (?:to|with)|apple music|tidal|prime|competitor|continue being|customer anymore)\b|"
        r"#cancel",
        "insult": r"\b(?:shit\w*|fuck\w*|f'n|wtf|crap\w*|suck\w*|trash|worst|useless|pathetic|joke|"
        r"ridiculous|crooks?|bs|bitch\w*|damn\w*|awful|terrible|disgust\w*|furious|angry|fed up|pissed|"
        r"nightmare|ruin\w*|rubbish|incompetent|liars?|lying|stoplying|disgrace\w*|shameful|lame|"
        r"unacceptable|horrible|appalling|outrageous|sad)\b",
        "persist": r"\b(?:still|again|anymore|any ?more|repeatedly|every time|once again|keeps?)\b|"
        r"\b(?:\d+|few|several|two|three|four|five|many|multiple) (?:days|hours|weeks|months|times)\b|"
        r"\b(?:for|all) (?:days|hours|weeks|months|day|week|night)\b|\b\d+(?:st|nd|rd|th) time\b|"
        r"\bthird time\b|\bnobody\b|\bno one\b|\bno (?:reply|response|answer|help|one)\b|\bwaiting\b|"
        r"\btried everything\b|\bgiven up\b",
        "now": r"\b(?:urgent\w*|asap|immediately|right now|today|tonight|need (?:it|this|to)|help!+)\b",
        "question": r"\?",
        "thanks": r"\b(?:thanks?|thank you|thx|ty|cheers|appreciate\w*|great|love|awesome|perfect|"
        r"brilliant|cool|nice|happy|glad|worked|works now|fixed|sorted|resolved)\b",
        "pleasant": r"[:;]-?[)dp]|<3|\blol\b|\bhaha\w*\b",
    }.items()
}
_TOKEN = re.compile(r"[a-z0-9']+|[!?]+|[^\sa-z0-9]")
# Cue patterns and tokeniser per language: the cue names are the same, so weights learnt on the cues of one
# language read another (the French urgency model, inbox/nlp/urgency_train.py)
CUE_SETS: dict[str, tuple[dict[str, re.Pattern[str]], re.Pattern[str]]] = {
    "en": (CUES, _TOKEN),
    "fr": (urgency_cues_fr.CUES, urgency_cues_fr.TOKEN),
}
_WORD = re.compile(r"[^\W\d_]+")
_CAPS = re.compile(r"\b[A-Z]{3,}\b")
_IGNORED_CAPS = frozenset({"USA", "UK", "DM", "DMS", "URL", "PC", "iOS", "APP", "ETA", "ETR", "PS4", "USB"})


def _h(text: str) -> int:
    return zlib.crc32(text.encode()) & (DIM - 1)


def _slot(name: str) -> int:
    return _h("\x00dense:" + name)


def features(
    text: str,
    negative: float,
    complaint: float,
    *,
    chars: bool = True,
    words: bool = True,
    cues: str = "en",
) -> dict[int, float]:
    """The sparse feature vector of one (normalised) message: hashed index -> value; ``cues`` names the
    language whose cue patterns and tokeniser are used (``CUE_SETS``)."""
    out: dict[int, float] = {}
    low = text.lower()
    patterns, token = CUE_SETS[cues]
    tokens = token.findall(low)
    for i, tok in enumerate(tokens if words else ()):
        k = _h("w:" + tok)
        out[k] = out.get(k, 0.0) + 1.0
        if i:
            k = _h("b:" + tokens[i - 1] + " " + tok)
            out[k] = out.get(k, 0.0) + 1.0
    for word in _WORD.findall(low) if chars else ():
        padded = f" {word} "
        for n in (3, 4, 5):
            for j in range(len(padded) - n + 1):
                k = _h("c:" + padded[j : j + n])
                out[k] = out.get(k, 0.0) + 1.0
    # counts -> log-scaled, then the row is L2-normalised (a long tweet is not more urgent for its length)
    if out:
        logged = {k: 1.0 + math.log(v) for k, v in out.items()}
        scale = 1.0 / math.sqrt(sum(v * v for v in logged.values()))
        out = {k: v * scale for k, v in logged.items()}
    fired = [name for name, rx in patterns.items() if rx.search(low)]
    for name in fired:
        out[_slot("cue:" + name)] = 1.0
    for a in fired:  # pairs of cues: "still" + "not working", "money" + "insult"...
        for b in fired:
            if a < b:
                out[_slot(f"pair:{a}+{b}")] = 1.0
    caps = [w for w in _CAPS.findall(text) if w not in _IGNORED_CAPS]
    if caps:
        out[_slot("caps")] = 1.0
        if len(caps) >= 2:
            out[_slot("caps2")] = 1.0
    if "!!" in text:
        out[_slot("bang2")] = 1.0
    if "?!" in text or "!?" in text:
        out[_slot("interrobang")] = 1.0
    out[_slot("negative")] = negative
    out[_slot("complaint")] = complaint
    out[_slot("neg*cmp")] = negative * complaint
    out[_slot("short")] = float(len(tokens) < 6)
    return out


def _csr(rows: Sequence[dict[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    idx = np.fromiter((k for r in rows for k in r), dtype=np.int64, count=int(indptr[-1]))
    val = np.fromiter((v for r in rows for v in r.values()), dtype=np.float64, count=int(indptr[-1]))
    return indptr, idx, val


def _dot(indptr: np.ndarray, idx: np.ndarray, val: np.ndarray, w: np.ndarray) -> np.ndarray:
    prod = w[idx] * val
    sums = np.add.reduceat(prod, indptr[:-1]) if len(prod) else np.zeros(len(indptr) - 1)
    sums[indptr[:-1] == indptr[1:]] = 0.0
    return sums


def fit(
    rows: Sequence[dict[int, float]],
    targets: Sequence[float],
    weights: Sequence[float],
    *,
    l2: float = 1e-4,
    steps: int = 300,
    lr: float = 0.5,
) -> tuple[np.ndarray, float]:
    """Logistic regression (soft targets in [0, 1], per-row weights), full-batch Adagrad; deterministic."""
    indptr, idx, val = _csr(rows)
    y = np.asarray(targets, dtype=np.float64)
    sw = np.asarray(weights, dtype=np.float64)
    sw = sw / sw.sum()
    row = np.repeat(np.arange(len(rows)), np.diff(indptr))
    w = np.zeros(DIM)
    b = 0.0
    gw2 = np.full(DIM, 1e-8)
    gb2 = 1e-8
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(_dot(indptr, idx, val, w) + b)))
        err = (p - y) * sw
        grad = np.bincount(idx, weights=err[row] * val, minlength=DIM) + l2 * w
        gb = float(err.sum())
        gw2 += grad * grad
        gb2 += gb * gb
        w -= lr * grad / np.sqrt(gw2)
        b -= lr * gb / np.sqrt(gb2)
    return w.astype(np.float32), b


def predict(rows: Sequence[dict[int, float]], w: np.ndarray, b: float) -> np.ndarray:
    indptr, idx, val = _csr(rows)
    return 1.0 / (1.0 + np.exp(-(_dot(indptr, idx, val, w) + b)))


def score(row: dict[int, float], w: np.ndarray, b: float) -> float:
    keys = np.fromiter(row.keys(), dtype=np.int64, count=len(row))
    vals = np.fromiter(row.values(), dtype=np.float64, count=len(row))
    z = b + float(w[keys] @ vals)
    return 1.0 / (1.0 + math.exp(-z))


class UrgencyLinear:
    """spaCy component: ``doc.cats["urgent"]`` = P(high or critical) from ``features`` of the doc."""

    def __init__(self, name: str = "urgency") -> None:
        self.name = name
        self.weights = np.zeros(DIM, dtype=np.float32)
        self.bias = 0.0
        self.chars = False
        self.words = True
        self.cues = "en"

    def set_weights(
        self, weights: np.ndarray, bias: float, *, chars: bool = False, words: bool = True, cues: str = "en"
    ) -> None:
        if cues not in CUE_SETS:
            raise ValueError(f"no urgency cues for {cues!r} (have: {', '.join(CUE_SETS)})")
        self.weights = weights.astype(np.float32)
        self.bias = float(bias)
        self.chars, self.words, self.cues = chars, words, cues

    def _row(self, doc: Doc) -> dict[int, float]:
        cats = doc.cats
        return features(
            doc.text,
            float(cats.get("negative", 0.0)),
            float(cats.get("complaint", 0.0)),
            chars=self.chars,
            words=self.words,
            cues=self.cues,
        )

    def __call__(self, doc: Doc) -> Doc:
        doc.cats[URGENT] = score(self._row(doc), self.weights, self.bias)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterable[Doc]:
        """Features per doc, then one sparse product per batch."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._score(list(batch))

    def _score(self, docs: list[Doc]) -> list[Doc]:
        for doc, p in zip(docs, predict([self._row(d) for d in docs], self.weights, self.bias), strict=True):
            doc.cats[URGENT] = float(p)
        return docs

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        nz = np.flatnonzero(self.weights)
        np.savez_compressed(path / "weights.npz", index=nz.astype(np.int32), value=self.weights[nz])
        (path / "cfg.json").write_text(
            json.dumps(
                {"bias": self.bias, "bits": BITS, "chars": self.chars, "words": self.words, "cues": self.cues}
            )
            + "\n",
            encoding="utf-8",
        )

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> UrgencyLinear:
        path = Path(path)
        cfg: dict[str, Any] = json.loads((path / "cfg.json").read_text(encoding="utf-8"))
        if cfg.get("bits") != BITS:
            raise ValueError(f"{path}: urgency weights for {cfg.get('bits')} bits, code expects {BITS}")
        data = np.load(path / "weights.npz")
        weights = np.zeros(DIM, dtype=np.float32)
        weights[data["index"]] = data["value"]
        self.set_weights(
            weights,
            float(cfg["bias"]),
            chars=bool(cfg.get("chars", False)),
            words=bool(cfg.get("words", True)),
            cues=str(cfg.get("cues", "en")),
        )
        return self


@Language.factory(FACTORY)
def make_urgency_linear(nlp: Language, name: str) -> UrgencyLinear:
    return UrgencyLinear(name)
