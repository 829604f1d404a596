"""config/nlp.toml as frozen pydantic models: a typo or a bad pattern is a ConfigError naming file and key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PositiveInt, ValidationError, field_validator, model_validator

from inbox.config.loader import ConfigError, Strict, load_model, read_toml, validation_problems
from inbox.nlp.pii import PiiPatterns, contact_key
from inbox.nlp.reasons import ReasonSettings

Level = Literal["low", "normal", "high", "critical"]
ANY_LANGUAGE = "any"


class Rule(Strict):
    """One urgency rule: PhraseMatcher phrases and/or spaCy Matcher token patterns, and the level it sets."""

    level: Level
    phrases: list[str] = []
    patterns: list[list[dict[str, Any]]] = []
    attr: Literal["LOWER", "ORTH", "NORM"] = "LOWER"
    # A match of this rule that lies inside one of these phrases does not count: the "merci" of "merci de me
    # rappeler" (please call me back) is not thanks
    unless: list[str] = []

    @model_validator(mode="after")
    def _not_empty(self) -> Rule:
        if not self.phrases and not self.patterns:
            raise ValueError("a rule needs `phrases` or `patterns`")
        return self

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, value: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        from spacy.schemas import validate_token_pattern

        for i, pattern in enumerate(value):
            errors = validate_token_pattern(pattern)
            if errors:
                raise ValueError(f"pattern {i} is not a valid spaCy Matcher pattern: {'; '.join(errors)}")
        return value


class LanguageSettings(Strict):
    """Which languages lingua chooses from, and when a text is too short to tell ("und")."""

    candidates: list[str] = Field(min_length=2)
    min_letters: PositiveInt = 3
    fallback_pipeline: str = "en"  # sentiment model for a language without its own pipeline, and for "und"

    @field_validator("candidates")
    @classmethod
    def _iso(cls, value: list[str]) -> list[str]:
        from lingua import IsoCode639_1

        for code in value:
            try:
                IsoCode639_1.from_str(code)
            except ValueError:
                raise ValueError(f"{code!r} is not an ISO 639-1 code lingua knows") from None
        return value


class LanguageUrgency(Strict):
    """What differs for one language's urgency model: its threshold and the rules it confirms."""

    urgent_threshold: float = Field(ge=0, le=1)
    model_confirms: tuple[str, ...] = ()


class UrgencySettings(Strict):
    """Thresholds that turn model scores and reach into urgency reasons."""

    large_following: PositiveInt = 10_000
    complaint_threshold: float = Field(default=0.5, ge=0, le=1)
    urgent_threshold: float = Field(default=0.5, ge=0, le=1)  # urgency-model P(high or critical) that counts
    # Rules that, in a language with an urgency model, only reach "high" when that model agrees (else normal).
    model_confirms: tuple[str, ...] = ()
    # Per language code, a threshold and confirmed rules of its own (the French model is transferred, not
    # trained on French labels: its scores are calibrated differently and it confirms nothing)
    by_language: dict[str, LanguageUrgency] = {}

    def for_language(self, language: str) -> UrgencySettings:
        """These settings with ``by_language[language]`` applied, if any."""
        own = self.by_language.get(language)
        if own is None:
            return self
        return self.model_copy(
            update={"urgent_threshold": own.urgent_threshold, "model_confirms": own.model_confirms}
        )


class SentimentSettings(Strict):
    """Rules that overrule the sentiment model (inbox/nlp/sentiment_rules.py)."""

    # rule names (any language) whose match means the message is not positive: a complaint stated in words
    never_positive: tuple[str, ...] = ()


class PiiSettings(Strict):
    """National phone regions tried in order, reference patterns (kind -> regex; group 1 is the span), and
    the brand's own public contact details (e-mail addresses, phone numbers) that agents may give publicly."""

    phone_regions: list[str] = ["FR", "GB", "US"]
    refs: dict[str, str] = {}
    allowed: list[str] = []

    @field_validator("refs")
    @classmethod
    def _compiles(cls, value: dict[str, str]) -> dict[str, str]:
        for kind, rx in value.items():
            try:
                re.compile(rx)
            except re.error as exc:
                raise ValueError(f"refs.{kind}: not a valid regular expression: {exc}") from None
        return value

    @field_validator("phone_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        import phonenumbers

        unknown = [r for r in value if r not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(f"unknown phone region(s): {', '.join(unknown)}")
        return value

    @model_validator(mode="after")
    def _contacts(self) -> PiiSettings:
        for i, entry in enumerate(self.allowed):
            if contact_key(entry, self.phone_regions) is None:
                raise ValueError(
                    f"allowed[{i}] = {entry!r}: neither an e-mail address nor a phone number valid in "
                    f"{', '.join(self.phone_regions)}"
                )
        return self

    def patterns(self) -> PiiPatterns:
        return PiiPatterns.build(self.phone_regions, self.refs, self.allowed)


class NlpConfig(Strict):
    """The whole of config/nlp.toml."""

    model_dir: Path | None = None  # a trained model folder to use instead of the packaged one
    language: LanguageSettings
    urgency: UrgencySettings = UrgencySettings()
    sentiment: SentimentSettings = SentimentSettings()
    pii: PiiSettings = PiiSettings()
    rules: dict[str, dict[str, Rule]] = {}  # language code or "any" -> rule name -> rule
    reasons: ReasonSettings = ReasonSettings()  # contact-reason taxonomy and phrase rules

    @model_validator(mode="after")
    def _known_rules(self) -> NlpConfig:
        known = {name for by_name in self.rules.values() for name in by_name}
        for i, name in enumerate(self.sentiment.never_positive):
            if name not in known:
                raise ValueError(f"sentiment.never_positive[{i}] = {name!r}: no rule has this name")
        return self

    def rules_for(self, lang: str) -> dict[str, Rule]:
        """The rules that apply to ``lang``: its own, then the ones for any language."""
        return {**self.rules.get(ANY_LANGUAGE, {}), **self.rules.get(lang, {})}


def load_nlp_config(config_dir: Path | None = None) -> NlpConfig:
    """Read and validate ``<config_dir>/nlp.toml`` (default ``config/``)."""
    path = (config_dir or Path("config")) / "nlp.toml"
    cfg = load_model(path, NlpConfig)
    if cfg.model_dir is not None and not cfg.model_dir.is_absolute():
        cfg = cfg.model_copy(update={"model_dir": path.parent / cfg.model_dir})
    if cfg.model_dir is not None and not cfg.model_dir.is_dir():
        raise ConfigError([(str(path), "model_dir", f"no such folder: {cfg.model_dir}")])
    return cfg


def load_pii_patterns(config_dir: Path | None = None) -> PiiPatterns:
    """The ``[pii]`` table of ``<config_dir>/nlp.toml`` as the classifier uses it; read alone, without spaCy.

    The composer checks drafts with these, so a reply is held to the personal data found in messages.
    """
    path = (config_dir or Path("config")) / "nlp.toml"
    try:
        return PiiSettings.model_validate(read_toml(path).get("pii", {})).patterns()
    except ValidationError as exc:
        problems = validation_problems(str(path), exc)
        raise ConfigError([(f, f"pii.{k}" if k else "pii", m) for f, k, m in problems]) from None
