"""Contact reasons: the taxonomy and phrase rules of config/nlp.toml ``[reasons]``, and the decision that
gives each message one reason with its scores; pure (no I/O but loading the packaged weights).

A language with a trained model (English; French once a team's corrections trained one, see
``inbox.nlp.reason_train_fr``) scores every reason of the model, then each reason whose phrase rules matched
gets ``rule_boost`` added to its log-score. A language with rules but no model (French by default) is
decided by its rules alone: each matched reason scores ``rules_only_boost``, ``other`` half of it. Every other
language (and ``und``) uses the fallback model with that model's rules. A reason added in the config with
rules only (no training data) gets, where a model decides, half a uniform share (0.5 / the model's labels)
as its model probability and ``rules_only_boost`` when its phrases match, so it wins when they match and no
other reason's do. Ties go to the earlier
reason of ``labels`` (the guideline's order).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pydantic import Field, field_validator, model_validator

from inbox.config.loader import Strict
from inbox.nlp.reason_model import ReasonWeights, features, softmax

REASONS: tuple[str, ...] = (
    "account_access",
    "billing_payment",
    "cancellation",
    "delivery_order",
    "travel_booking",
    "technical_issue",
    "product_info",
    "service_complaint",
    "praise_thanks",
    "other",
)
OTHER = "other"
ANY = "any"
FLOOR = 1e-4  # the smallest model probability (its log stays finite)
UNTRAINED = 0.5  # a reason the model does not know gets this share of a uniform probability (0.5 / labels)
# A model that never learnt "other" must give a reason more than this to move a phrase-less message off it.
UNLEARNT_OTHER = 0.5
_HANDLES_LINKS = re.compile(r"@user|(?<!\w)http(?!\w)")  # what ``normalise`` leaves of handles and links
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def has_content(text: str) -> bool:
    """A letter or digit besides handles and links: the guideline makes a message without one (emoji, a lone
    link or handle) ``other``; of the 25 such tweets the annotators labelled, 24 are."""
    return bool(_LETTER_OR_DIGIT.search(_HANDLES_LINKS.sub(" ", text)))


class ReasonRule(Strict):
    """Phrases that point to one reason; case and accents are ignored; a final ``*`` matches any ending."""

    phrases: list[str] = Field(min_length=1)


class ReasonSettings(Strict):
    """The taxonomy (``labels``, in tie-breaking order, ``other`` among them) and its phrase rules."""

    labels: list[str] = list(REASONS)
    # Added to a reason's log-score when its phrases match, where a model decides; 0 would silence the
    # phrases (and never let a reason with phrases only win)
    rule_boost: float = Field(default=2.0, gt=0)
    # The score a matched reason gets where no model decides (French by default), ``other`` half of it
    rules_only_boost: float = Field(default=3.0, gt=0)
    rules: dict[str, dict[str, ReasonRule]] = {}  # language code or "any" -> reason -> rule
    # Politeness formulas per language code or "any": blanked out before the phrases are matched, so the
    # "merci" of "merci de me rappeler" (please call me back) does not point to thanks
    politeness: dict[str, list[str]] = {}

    @field_validator("labels")
    @classmethod
    def _has_other(cls, value: list[str]) -> list[str]:
        if OTHER not in value or len(set(value)) != len(value):
            raise ValueError(f"labels must be distinct and include {OTHER!r}")
        return value

    @model_validator(mode="after")
    def _known_reasons(self) -> ReasonSettings:
        for lang, rules in self.rules.items():
            unknown = sorted(set(rules) - set(self.labels))
            if unknown:
                raise ValueError(f"rules.{lang}: reason(s) not in labels: {', '.join(unknown)}")
        return self

    def rules_for(self, lang: str) -> dict[str, ReasonRule]:
        """The rules for ``lang``: those for any language, each reason's phrases extended by its own."""
        out = {r: list(rule.phrases) for r, rule in self.rules.get(ANY, {}).items()}
        for r, rule in self.rules.get(lang, {}).items():
            out[r] = out.get(r, []) + list(rule.phrases)
        return {r: ReasonRule(phrases=p) for r, p in out.items()}

    def politeness_for(self, lang: str) -> list[str]:
        """The politeness formulas of ``lang``: those for any language, then its own."""
        return [*self.politeness.get(ANY, []), *(self.politeness.get(lang, []) if lang != ANY else [])]


def fold(text: str) -> str:
    """Lower case without accents: what phrase rules are compared on."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _alternatives(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """One whole-word pattern for ``phrases`` (longest first; a final ``*`` matches any ending; a final
    elided word such as "m'" runs into the next word: "merci de m'" matches "merci de m'aider")."""
    alts = sorted({fold(p).strip() for p in phrases} - {""}, key=len, reverse=True)
    if not alts:
        return None
    body = "|".join(_alternative(a) for a in alts)
    return re.compile(rf"(?<!\w)(?:{body})")


def _alternative(phrase: str) -> str:
    if phrase.endswith("*"):
        return re.escape(phrase[:-1]) + r"\w*"
    if phrase.endswith("'"):
        return re.escape(phrase)
    return re.escape(phrase) + r"(?!\w)"


class PhraseRules:
    """Which reasons' phrases occur in a text (whole words; ``rembours*`` matches any ending), once its
    politeness formulas are blanked out."""

    def __init__(self, rules: dict[str, ReasonRule], politeness: Sequence[str] = ()) -> None:
        self._rx = {reason: rx for reason, rule in rules.items() if (rx := _alternatives(rule.phrases))}
        self._polite = _alternatives(politeness)

    def fired(self, text: str) -> list[str]:
        folded = fold(text)
        if self._polite is not None:
            folded = self._polite.sub(" | ", folded)
        return [reason for reason, rx in self._rx.items() if rx.search(folded)]


class ReasonDecider:
    """One reason and its scores per (normalised text, language); read-only after ``__init__``."""

    def __init__(self, settings: ReasonSettings, models: dict[str, ReasonWeights], fallback: str) -> None:
        self.settings = settings
        self.labels = tuple(settings.labels)
        self.models = models
        self.fallback = fallback if fallback in models else None
        langs = {*models, *settings.rules, fallback} - {ANY}
        self._rules = {
            lang: PhraseRules(settings.rules_for(lang), settings.politeness_for(lang)) for lang in langs
        }
        self._any = PhraseRules(settings.rules_for(ANY), settings.politeness_for(ANY))

    def route(self, lang: str) -> tuple[str | None, PhraseRules]:
        """The model (None: rules only) and the rules that decide a text in ``lang``."""
        if lang in self.models:
            return lang, self._rules[lang]
        if lang in self._rules or self.fallback is None:
            return None, self._rules.get(lang, self._any)
        return self.fallback, self._rules[self.fallback]

    def decide(self, texts: Sequence[str], langs: Sequence[str]) -> list[tuple[str, dict[str, float]]]:
        """(reason, scores) per normalised text, scored in one batch per model."""
        routed = [self.route(lang) for lang in langs]
        fired = [rules.fired(text) if text else [] for text, (_, rules) in zip(texts, routed, strict=True)]
        groups: dict[str | None, list[int]] = {}
        for i, (model, _) in enumerate(routed):
            groups.setdefault(model, []).append(i)
        out: list[tuple[str, dict[str, float]]] = [(OTHER, {})] * len(texts)
        for model, idx in groups.items():
            found = self.scores(
                [texts[i] for i in idx], [fired[i] for i in idx], self.models.get(model or "")
            )
            for i, result in zip(idx, found, strict=True):
                out[i] = result
        return out

    def scores(
        self,
        texts: Sequence[str],
        fired: Sequence[Sequence[str]],
        model: ReasonWeights | None,
        boost: float | None = None,
    ) -> list[tuple[str, dict[str, float]]]:
        """The reason and the scores of every label, from the model's probabilities and the fired rules."""
        if not texts:
            return []
        matched = np.array([[label in f for label in self.labels] for f in fired], dtype=np.float64)
        if model is None:
            boost = self.settings.rules_only_boost if boost is None else boost
            z = boost * matched
            z[:, self.labels.index(OTHER)] += boost / 2
        else:
            p = softmax(
                model.logits(
                    [
                        features(t, f, chars=model.chars, words=model.words)
                        for t, f in zip(texts, fired, strict=True)
                    ]
                )
            )
            column = {label: j for j, label in enumerate(model.labels)}
            known = np.full((len(texts), len(self.labels)), UNTRAINED / len(model.labels))
            for j, label in enumerate(self.labels):
                if label in column:
                    known[:, j] = np.maximum(p[:, column[label]], FLOOR)
            if OTHER not in column:  # e.g. a French model learnt from corrections only
                known[:, self.labels.index(OTHER)] = UNLEARNT_OTHER
            # a reason the model knows gets ``rule_boost``; one it does not, the rules-only score
            trained = self.settings.rule_boost if boost is None else boost
            per_label = [
                trained if label in column else self.settings.rules_only_boost for label in self.labels
            ]
            z = matched * np.array(per_label) + np.log(known)
        probs = softmax(z)
        for i, text in enumerate(texts):
            if not has_content(text):
                probs[i] = np.eye(len(self.labels))[self.labels.index(OTHER)]
        return [
            (
                self.labels[int(np.argmax(row))],
                {label: float(v) for label, v in zip(self.labels, row, strict=True)},
            )
            for row in probs
        ]


def load_reason_models(model_dir: Path) -> dict[str, ReasonWeights]:
    """The trained reason models under ``<model_dir>/reasons/<lang>/`` (none is fine: rules only)."""
    folder = model_dir / "reasons"
    found = sorted(folder.glob("*/cfg.json")) if folder.is_dir() else []
    return {cfg.parent.name: ReasonWeights.load(cfg.parent) for cfg in found}


def conversation_reason(current: str | None, latest: str | None) -> str | None:
    """A conversation's reason after an inbound message with reason ``latest``: the latest message's reason,
    unless it says nothing (``other``, or unclassified) and the conversation already has one."""
    if latest is None or (latest == OTHER and current is not None):
        return current
    return latest
