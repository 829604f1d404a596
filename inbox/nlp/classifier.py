"""The Classifier: language, sentiment, urgency and PII for a batch of texts; loads once, read-only after."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language

from inbox.config.loader import ConfigError
from inbox.nlp import agreement_fr
from inbox.nlp import prior as _prior  # noqa: F401  (registers the "prior_correction" factory)
from inbox.nlp import rules as _rules  # noqa: F401  (registers the "urgency_rules" factory)
from inbox.nlp import sentiment_vectors as _sentiment_vectors  # noqa: F401  (registers "sentiment_vectors")
from inbox.nlp import urgency_model as _urgency_model  # noqa: F401  (registers "urgency_linear")
from inbox.nlp.language import LanguageDetect
from inbox.nlp.normalise import for_detection, normalise
from inbox.nlp.pii import PiiPatterns, find_pii
from inbox.nlp.reason_model import ReasonWeights
from inbox.nlp.reasons import ReasonDecider, load_reason_models
from inbox.nlp.rules import UrgencyRules, fired
from inbox.nlp.sentiment_rules import never_positive
from inbox.nlp.settings import ANY_LANGUAGE, NlpConfig, load_nlp_config
from inbox.nlp.types import SENTIMENTS, UNDETERMINED, Classification
from inbox.nlp.urgency import Signals, decide

MODEL_DIR = Path(__file__).parent / "model"
SENTIMENT = "sentiment"
COMPLAINT = "complaint"
URGENT = "urgent"
EMPTY_SCORES = {"negative": 0.0, "neutral": 1.0, "positive": 0.0}


class ModelMissing(FileNotFoundError):
    """The trained pipelines are not where they should be."""


def load_pipelines(model_dir: Path) -> dict[str, Language]:
    """Every trained pipeline under ``model_dir`` (one folder per language code), loaded offline."""
    found = sorted(p for p in model_dir.glob("*/meta.json")) if model_dir.is_dir() else []
    if not found:
        raise ModelMissing(f"no trained pipeline under {model_dir}: run `inbox train` (needs ../shared/data)")
    # Tokenizers are not stored: each pipeline uses its language's default one (as in training).
    return {meta.parent.name: spacy.load(meta.parent, exclude=["tokenizer"]) for meta in found}


def _blank(lang: str) -> Language:
    try:
        return spacy.blank(lang)
    except Exception:  # noqa: BLE001 - a language whose tokenizer needs extra packages
        return spacy.blank("xx")


class Classifier:
    """Classifies batches with ``nlp.pipe``; thread-safe for reading (nothing changes after ``__init__``)."""

    def __init__(
        self,
        pipelines: dict[str, Language],
        config: NlpConfig,
        reasons: dict[str, ReasonWeights] | None = None,
    ) -> None:
        if config.language.fallback_pipeline not in pipelines:
            raise ConfigError(
                [
                    (
                        "nlp.toml",
                        "language.fallback_pipeline",
                        f"no trained pipeline {config.language.fallback_pipeline!r} "
                        f"(have: {', '.join(sorted(pipelines))})",
                    )
                ]
            )
        self.config = config
        self.pipelines = pipelines
        self.detector = LanguageDetect(config.language.candidates, min_letters=config.language.min_letters)
        self.pii_patterns: PiiPatterns = config.pii.patterns()
        self.reasons = ReasonDecider(config.reasons, reasons or {}, config.language.fallback_pipeline)
        self._urgency = {lang: config.urgency.for_language(lang) for lang in pipelines}
        specs = {
            lang: {n: _spec(r.model_dump(), lang) for n, r in config.rules_for(lang).items()}
            for lang in {*pipelines, *config.rules, UNDETERMINED} - {ANY_LANGUAGE}
        }
        # A language with a pipeline matches its rules on the same Doc; one with rules but no pipeline gets a
        # blank tokenizer of its own; every other language (and "und") only has the rules for "any".
        self._own_rules = {
            lang: UrgencyRules(nlp, "urgency_rules", specs[lang]) for lang, nlp in pipelines.items()
        }
        self._rulers: dict[str, Language] = {}
        for lang, lang_specs in specs.items():
            if lang not in pipelines:
                ruler = _blank(lang if lang != UNDETERMINED else "xx")
                ruler.add_pipe("urgency_rules", config={"rules": lang_specs})
                self._rulers[lang] = ruler

    def route(self, language: str) -> str:
        """Which trained pipeline scores a text in ``language``."""
        return language if language in self.pipelines else self.config.language.fallback_pipeline

    def classify(
        self, texts: Sequence[str], *, followers: Sequence[int | None] | None = None
    ) -> list[Classification]:
        """One Classification per text, in order. ``followers`` (same length) gives each author's reach."""
        if followers is not None and len(followers) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(followers)} follower counts")
        norm = [normalise(t) for t in texts]
        langs = [self.detector.detect(for_detection(t)) if t else UNDETERMINED for t in norm]
        groups: dict[str, list[int]] = defaultdict(list)
        for i, text in enumerate(norm):
            if text:
                groups[self.route(langs[i])].append(i)
        out: list[Classification | None] = [None] * len(texts)
        for key, idx in groups.items():
            for i, doc in zip(
                idx, self.pipelines[key].pipe([norm[j] for j in idx], batch_size=256), strict=True
            ):
                out[i] = self._one(texts[i], langs[i], key, doc, followers[i] if followers else None)
        for i, text in enumerate(texts):
            if out[i] is None:
                out[i] = Classification(
                    UNDETERMINED, "neutral", dict(EMPTY_SCORES), "low", [], find_pii(text, self.pii_patterns)
                )
        decided = self.reasons.decide(norm, langs)
        return [
            replace(c, reason=r, reason_scores=s)
            for c, (r, s) in zip(out, decided, strict=True)
            if c is not None
        ]

    def _one(
        self, text: str, lang: str, key: str, doc: spacy.tokens.Doc, followers: int | None
    ) -> Classification:
        if lang == key:
            rule_names = fired(self._own_rules[key](doc))
            rule_levels = self._own_rules[key].levels
        else:
            ruler = self._rulers.get(lang) or self._rulers[UNDETERMINED]
            rule_names = fired(ruler(doc.text))
            rule_levels = cast(UrgencyRules, ruler.get_pipe("urgency_rules")).levels
        scores = never_positive(
            {label: float(doc.cats.get(label, 0.0)) for label in SENTIMENTS},
            rule_names,
            self.config.sentiment.never_positive,
        )
        sentiment = max(scores, key=scores.__getitem__)
        complaint = doc.cats.get(COMPLAINT) if lang == key else None
        urgent = doc.cats.get(URGENT) if lang == key else None
        signals = Signals([(n, rule_levels[n]) for n in rule_names], sentiment, complaint, followers, urgent)
        urgency, reasons = decide(signals, self._urgency[key] if lang == key else self.config.urgency)
        return Classification(lang, sentiment, scores, urgency, reasons, find_pii(text, self.pii_patterns))


def _spec(rule: dict[str, Any], lang: str) -> dict[str, Any]:
    """A rule as its matcher reads it: French phrases in every agreement, with or without accents."""
    if lang != "fr":
        return rule
    return {**rule, **{key: agreement_fr.expand(rule[key]) for key in ("phrases", "unless") if rule.get(key)}}


def load_classifier(config_dir: Path | None = None) -> Classifier:
    """Rules from ``<config_dir>/nlp.toml`` (default ``config/``); pipelines from the packaged model data."""
    config = load_nlp_config(config_dir)
    model_dir = config.model_dir or MODEL_DIR
    # per language, model_dir's reason model, else the packaged one (a fresh model_dir may have none)
    packaged = load_reason_models(MODEL_DIR) if model_dir != MODEL_DIR else {}
    reasons = {**packaged, **load_reason_models(model_dir)}
    return Classifier(load_pipelines(model_dir), config, reasons)
