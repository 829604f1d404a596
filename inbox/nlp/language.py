"""Language detection: lingua's character models and word frequencies, one confidence; loads once, then pure.

A short text is where detectors fail: lingua alone read "I did" as Portuguese and "Samsung Galaxy S7, Android
7.0 and Spotify version 8.4" as German. Words carry what character n-grams miss ("did", "and" are English), so
the two are multiplied: lingua's confidence per candidate times a naive-Bayes word posterior from wordfreq's
frequency lists (shipped in the wordfreq package). Names and product strings ("iPhone", "Galaxy", "plus" in
"6s plus") are not words of any language and are left out. The answer is "und" below ``min_confidence``,
and when the words alone do not point to the chosen language (lingua read "Thnks", "S7 android" as French).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from inbox.nlp.normalise import letters
from inbox.nlp.types import UNDETERMINED

FLOOR = 1e-7  # frequency of a word a language's list does not have (its lists stop near 1e-6)
LINGUA_FLOOR = 1e-3  # lingua's zero for a candidate is not proof: keep words able to outvote it
WORDS_AGREE = 0.5  # the words alone must give the chosen language at least this: lingua alone is not trusted
CHUNK = re.compile(r"\S+")
TOKEN = re.compile(r"[\w']+")
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# a code, model or version ("6s", "g5", "8.4.24", "2017", "10:30"): the words next to it are names; a bare
# count of one or two digits ("2 fois", "3 days") is no code, its neighbours are ordinary words, unless it
# follows a name ("iPhone 8 plus")
CODE = re.compile(r"\d(?=.*[^\W\d_])|[^\W\d_].*\d|\d[.,:/]\d|\d{3}")
SENTENCE_END = (".", "!", "?", ":", ";")


@dataclass(frozen=True, slots=True)
class Guess:
    """A language code (or "und") and the detector's confidence in it, 0..1."""

    language: str
    confidence: float


def evidence_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` that can tell a language: no names, codes or model numbers.

    Left out: codes (a digit with letters, a version, 3+ digits, a number after a name) and two words either
    side ("Galaxy 6 edge plus"; a bare count such as "2 fois" is no code), mixed case
    ("iPhone"), and capitalised words inside a sentence ("Samsung Galaxy", "Firefox"); a first word stays.
    """
    chunks = CHUNK.findall(text.replace("’", "'"))
    codes = [CODE.search(c) is not None for c in chunks]  # once per chunk, not once per neighbour
    for i in range(1, len(chunks)):  # a bare number after a name is a model: "iPhone 8", "iOS 11"
        if chunks[i].isdigit() and any(ch.isupper() for ch in chunks[i - 1]):
            codes[i] = True
    out: list[str] = []
    starts = True
    for i, chunk in enumerate(chunks):
        near_code = any(codes[max(i - 2, 0) : i + 3])
        for token in TOKEN.findall(chunk):
            if near_code or not WORD.fullmatch(token):
                continue
            if not token.isupper() and (
                any(c.isupper() for c in token[1:]) or (token[0].isupper() and not starts)
            ):
                continue
            out.append(token.lower())
        starts = chunk.endswith(SENTENCE_END)
    return out


class WordModel:
    """log P(word | language) from wordfreq's lists, one tuple per word: a single lookup per token."""

    def __init__(self, candidates: Sequence[str]) -> None:
        import wordfreq

        self.candidates = list(candidates)
        lists = [wordfreq.get_frequency_dict(code, "small") for code in self.candidates]
        floor = math.log(FLOOR)
        self.log_p: dict[str, tuple[float, ...]] = {
            word: tuple(math.log(max(f.get(word, 0.0), FLOOR)) for f in lists) for word in set().union(*lists)
        }
        self._unknown = tuple(floor for _ in self.candidates)

    def posterior(self, words: Sequence[str]) -> list[float]:
        """P(language | words) with equal priors; uniform when no word is known."""
        sums = [0.0] * len(self.candidates)
        for word in words:
            for i, lp in enumerate(self.log_p.get(word, self._unknown)):
                sums[i] += lp
        top = max(sums)
        exp = [math.exp(s - top) for s in sums]
        total = sum(exp)
        return [e / total for e in exp]


class LanguageDetect:
    """ISO 639-1 code of a text; "und" with fewer than ``min_letters`` letters or below ``min_confidence``.

    lingua runs in two passes: its low-accuracy (trigram) mode first, the full models when that mode's top
    confidence is below ``sure``.
    """

    def __init__(
        self,
        candidates: Sequence[str],
        *,
        min_letters: int = 3,
        min_confidence: float = 0.8,
        sure: float = 0.9,
    ) -> None:
        codes = [IsoCode639_1.from_str(c) for c in candidates]
        self._full: LanguageDetector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
        self._fast: LanguageDetector = (
            LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
        )
        self.words = WordModel(candidates)
        self.candidates = list(candidates)
        self.min_letters = min_letters
        self.min_confidence = min_confidence
        self.sure = sure

    def _lingua(self, text: str) -> dict[str, float]:
        ranked = self._fast.compute_language_confidence_values(text)
        if not ranked or ranked[0].value < self.sure:
            ranked = self._full.compute_language_confidence_values(text)
        return {str(v.language.iso_code_639_1.name.lower()): v.value for v in ranked}

    def guess(self, text: str) -> Guess:
        """The most likely candidate and its confidence (lingua x words, renormalised); a candidate the
        words alone give less than ``WORDS_AGREE`` has confidence 0."""
        if letters(text) < self.min_letters:
            return Guess(UNDETERMINED, 0.0)
        lingua = self._lingua(text)
        words = self.words.posterior(evidence_words(text))
        joint = [w * (lingua.get(c, 0.0) + LINGUA_FLOOR) for c, w in zip(self.candidates, words, strict=True)]
        best = max(range(len(joint)), key=joint.__getitem__)
        confidence = joint[best] / sum(joint) if words[best] >= WORDS_AGREE else 0.0
        return Guess(self.candidates[best], confidence)

    def detect(self, text: str) -> str:
        found = self.guess(text)
        return found.language if found.confidence >= self.min_confidence else UNDETERMINED
