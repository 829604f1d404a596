"""The response charter (config/charter.toml) as frozen pydantic models; errors name file, key and allowed.

Target rule, stated once: the base target is the most specific one set for the conversation's channel name,
then its platform, then ``sla.default``; a next-response target set nowhere falls back to the first-response
one. Urgency and segment overrides that apply to the metric and kind then compete with it: **the shortest
wins** (on a tie, a 24/7 clock beats business hours, then base beats urgency beats segments, by name).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from inbox.charter.fields import (
    KINDS,
    METRICS,
    Clock,
    Kind,
    Metric,
    Minutes,
    Name,
    NonEmpty,
    PeakText,
    SignatureText,
    Tag,
    Urgency,
)
from inbox.charter.flow import Assignment, Spikes
from inbox.charter.goals import DEFAULT_GOALS, Goal
from inbox.charter.policies import Escalation, Moderation, Privacy, Survey, Ui
from inbox.charter.reason_rules import ReasonRule
from inbox.charter.teams import LanguageCode, Team
from inbox.config.loader import ConfigError, Strict, read_toml, validation_problems

CHARTER_FILE = "charter.toml"


class TargetSpec(Strict):
    """One response-time target: minutes on a clock; ``team`` defaults to ``sla.team``."""

    minutes: Minutes
    clock: Clock = "24/7"
    team: Name | None = None


class _Optional(Strict):
    next_response: TargetSpec | None = None
    resolution: TargetSpec | None = None


class KindTargets(_Optional):
    """Targets for one kind on one channel; anything left out comes from ``sla.default``."""

    first_response: TargetSpec | None = None


class DefaultKindTargets(_Optional):
    """The default targets for one kind: a first-response target is required."""

    first_response: TargetSpec


class ChannelTargets(Strict):
    public: KindTargets = Field(default_factory=KindTargets)
    private: KindTargets = Field(default_factory=KindTargets)
    listening: KindTargets = Field(default_factory=KindTargets)


class DefaultTargets(Strict):
    public: DefaultKindTargets
    private: DefaultKindTargets
    listening: DefaultKindTargets


class Override(Strict):
    """A shorter target for an urgency or segment; ``clock`` unset keeps the clock of the target it beats."""

    minutes: Minutes
    clock: Clock | None = None
    metrics: tuple[Metric, ...] = ("first_response", "next_response")
    kinds: tuple[Kind, ...] = KINDS

    @model_validator(mode="before")
    @classmethod
    def _bare_minutes(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return {"minutes": value}
        if not isinstance(value, dict | Override):
            raise ValueError(
                f'give minutes (e.g. 15) or a table such as {{ minutes = 15, clock = "24/7" }}, got {value!r}'
            )
        return value


class Sla(Strict):
    team: Name
    default: DefaultTargets
    channels: dict[Name, ChannelTargets] = Field(default_factory=dict)
    urgency: dict[Urgency, Override] = Field(default_factory=dict)
    segments: dict[Tag, Override] = Field(default_factory=dict)
    reasons: dict[Name, Override] = Field(default_factory=dict)  # per contact reason: shorter targets
    goals: dict[Name, Goal] = Field(default_factory=dict)  # service-level goals (inbox.charter.goals)

    def service_goals(self) -> dict[str, Goal]:
        """The charter's goals, or the default one (social media: 90 % within 60 minutes)."""
        return dict(self.goals) if self.goals else dict(DEFAULT_GOALS)

    def specs(self) -> Iterator[tuple[str, TargetSpec]]:
        """Every target set in the file with its dotted key."""
        tables = [
            ("sla.default", self.default),
            *((f"sla.channels.{k}", v) for k, v in self.channels.items()),
        ]
        for prefix, table in tables:
            for kind in KINDS:
                for metric in METRICS:
                    spec = getattr(getattr(table, kind), metric)
                    if spec is not None:
                        yield f"{prefix}.{kind}.{metric}", spec


class Peak(Strict):
    """When the backlog or the forecast of breaches passes a threshold, new items get an acknowledgement."""

    enabled: bool = True
    backlog_at_least: Annotated[int, Field(gt=0)] | None = None
    forecast_breaches_at_least: Annotated[int, Field(gt=0)] | None = None
    promise_hours: Annotated[int, Field(gt=0, le=72)]
    template: Name
    text: PeakText
    kinds: tuple[Kind, ...] = ("public",)
    translations: dict[LanguageCode, Name] = {}  # language -> template, for customers writing in it

    def template_for(self, language: str | None) -> str:
        return self.translations.get(language or "", self.template)

    @model_validator(mode="after")
    def _has_threshold(self) -> Peak:
        if self.backlog_at_least is None and self.forecast_breaches_at_least is None:
            raise ValueError("set backlog_at_least, forecast_breaches_at_least or both")
        return self


class Brand(Strict):
    """A brand's voice. ``language`` is its default; ``languages`` all it answers in (default: only that one):
    automatic messages are written in one of them, never in another (see inbox.nlp.reply_language).
    ``unsure_language``: when the customer's language cannot be told, "default" writes in ``language``,
    "all" in every language served, the default first (where the platform's length allows)."""

    display_name: NonEmpty
    channels: tuple[Name, ...] = ()
    language: LanguageCode = "en"
    languages: tuple[LanguageCode, ...] = ()
    unsure_language: Literal["default", "all"] = "default"
    tone: Literal["formal", "friendly", "playful"] = "friendly"
    guidelines: str = ""
    signature: SignatureText = ""

    @model_validator(mode="after")
    def _default_is_served(self) -> Brand:
        if self.languages and self.language not in self.languages:
            raise ValueError(
                f"languages {list(self.languages)} must include the brand's language {self.language!r}"
            )
        return self

    def served(self) -> tuple[str, ...]:
        """The languages the brand answers in, its default first."""
        return (self.language, *(code for code in self.languages if code != self.language))


class CharterReferenceError(ValueError):
    """Names that point nowhere; ``problems`` holds (dotted key, message) rows."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{key}: {msg}" for key, msg in problems))


class Charter(Strict):
    """The whole charter. Build it with ``load_charter`` or ``parse_charter`` to get file-and-key errors."""

    sla: Sla
    teams: Annotated[dict[Name, Team], Field(min_length=1)]
    escalation: Escalation = Field(default_factory=Escalation)
    peak: Peak | None = None
    privacy: Privacy = Field(default_factory=Privacy)
    moderation: Moderation = Field(default_factory=Moderation)
    brands: dict[Name, Brand] = Field(default_factory=dict)
    survey: Survey = Field(default_factory=Survey)
    surveys: tuple[Survey, ...] = ()  # more surveys ([[surveys]]), tried before [survey], in file order
    ui: Ui = Field(default_factory=Ui)
    reasons: dict[Name, ReasonRule] = Field(default_factory=dict)  # urgency bump, routing per contact reason
    spikes: Spikes = Field(default_factory=Spikes)
    assignment: Assignment = Field(default_factory=Assignment)

    @model_validator(mode="after")
    def _references(self) -> Charter:
        problems = _reference_problems(self)
        if problems:
            raise CharterReferenceError(problems)
        return self

    def team(self, name: str) -> Team:
        return self.teams[name]

    def survey_runs(self) -> tuple[Survey, ...]:
        """The surveys switched on, in the order tried: a resolved conversation gets the first that follows
        it and no other (one survey per conversation, so its answer is never ambiguous)."""
        return tuple(s for s in (*self.surveys, self.survey) if s.kind != "none")

    def template_names(self) -> dict[str, str]:
        """Template names the charter uses (dotted key → name), for checking against config/templates.toml."""
        used = {
            f"teams.{k}.out_of_hours.template": t.out_of_hours.template
            for k, t in self.teams.items()
            if t.out_of_hours
        }
        for k, t in self.teams.items():
            for lang, tr in (t.out_of_hours.translations if t.out_of_hours else {}).items():
                used[f"teams.{k}.out_of_hours.translations.{lang}.template"] = tr.template
        sections = [("peak", self.peak), ("survey", self.survey)]
        sections += [(f"surveys.{i}", s) for i, s in enumerate(self.surveys)]
        for section, translated in sections:
            for lang, name in (translated.translations if translated else {}).items():
                used[f"{section}.translations.{lang}"] = name
        if self.peak:
            used["peak.template"] = self.peak.template
        if self.privacy.template:
            used["privacy.template"] = self.privacy.template
        for lang, name in self.privacy.translations.items():
            used[f"privacy.translations.{lang}"] = name
        if self.survey.template:
            used["survey.template"] = self.survey.template
        for i, extra in enumerate(self.surveys):
            if extra.template:
                used[f"surveys.{i}.template"] = extra.template
        return used


def _reference_problems(charter: Charter) -> list[tuple[str, str]]:
    teams = sorted(charter.teams)
    problems = []
    if charter.sla.team not in charter.teams:
        problems.append(("sla.team", f"unknown team {charter.sla.team!r}; teams defined: {teams}"))
    for key, spec in charter.sla.specs():
        if spec.team is not None and spec.team not in charter.teams:
            problems.append((f"{key}.team", f"unknown team {spec.team!r}; teams defined: {teams}"))
    owner: dict[str, str] = {}
    for brand, entry in charter.brands.items():
        for channel in entry.channels:
            if channel in owner:
                problems.append(
                    (f"brands.{brand}.channels", f"channel {channel!r} already belongs to {owner[channel]!r}")
                )
            owner.setdefault(channel, brand)
    seen: dict[str, str] = {}
    runs = [(f"surveys.{i}", s) for i, s in enumerate(charter.surveys)] + [("survey", charter.survey)]
    for key, run in runs:
        if run.kind != "none" and run.kind in seen:
            problems.append((f"{key}.kind", f"a {run.kind} survey is already set in {seen[run.kind]}"))
        seen.setdefault(run.kind, key)
    for name, goal in charter.sla.goals.items():
        if goal.team is not None and goal.team not in charter.teams:
            problems.append((f"sla.goals.{name}.team", f"unknown team {goal.team!r}; teams defined: {teams}"))
    return problems


def parse_charter(data: dict[str, object], file: str = CHARTER_FILE) -> Charter:
    """Validate charter data (from TOML or the editor); raise ConfigError rows (file, dotted key, message)."""
    try:
        return Charter.model_validate(data)
    except ValidationError as exc:
        rows = validation_problems(file, exc)
        out: list[tuple[str, str, str]] = []
        for row, err in zip(rows, exc.errors(), strict=True):
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, CharterReferenceError):
                out.extend((file, key, msg) for key, msg in cause.problems)
            else:
                out.append(row)
        raise ConfigError(out) from None


def load_charter(config_dir: Path) -> Charter:
    """Read and validate ``config_dir/charter.toml``."""
    path = config_dir / CHARTER_FILE
    return parse_charter(read_toml(path), str(path))
