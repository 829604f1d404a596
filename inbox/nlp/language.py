"""Language detection with lingua, restricted to the configured candidates and built once per classifier."""

from __future__ import annotations

from collections.abc import Sequence

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from inbox.nlp.normalise import letters
from inbox.nlp.types import UNDETERMINED


class LanguageDetect:
    """ISO 639-1 code of a text; "und" with fewer than ``min_letters`` letters or when lingua cannot tell.

    Two passes: lingua's low-accuracy (trigram) mode first; when its top confidence is below ``sure``, the
    full models decide. On the validation tweets this is as accurate as the full models and ~6x faster.
    """

    def __init__(self, candidates: Sequence[str], *, min_letters: int = 3, sure: float = 0.9) -> None:
        codes = [IsoCode639_1.from_str(c) for c in candidates]
        self._full: LanguageDetector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
        self._fast: LanguageDetector = (
            LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()
        )
        self.min_letters = min_letters
        self.sure = sure

    def detect(self, text: str) -> str:
        if letters(text) < self.min_letters:
            return UNDETERMINED
        ranked = self._fast.compute_language_confidence_values(text)
        if ranked and ranked[0].value >= self.sure:
            return str(ranked[0].language.iso_code_639_1.name.lower())
        found = self._full.detect_language_of(text)
        return UNDETERMINED if found is None else str(found.iso_code_639_1.name.lower())
