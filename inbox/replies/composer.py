"""The reply composer's rules: templates, variables, length and personal-data checks. Pure, except loading.

A template variable with no known value stays a fill-in prompt and a reply that still holds one is
refused, so ``{order_number}`` is never sent raw. Replies are held to their platform's length rule (X's 280
weighted characters by default, see ``inbox.replies.rules``) and to its reply rules (a route the platform
refuses is refused here, with the reason); public replies may not carry personal data, as ``inbox.nlp.pii``
finds it (the one finder, also used on incoming messages): the agent is offered to send privately instead.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from inbox.config.loader import Strict, load_model
from inbox.i18n import N_, _
from inbox.nlp.pii import DEFAULT_PATTERNS, PiiPatterns, find_pii
from inbox.nlp.types import PiiSpan
from inbox.replies import rules as reply_rules
from inbox.replies.variable_labels import fields_to_fill

KNOWN_VARIABLES = ("customer_name", "handle", "agent_name", "ticket_ref")
MAX_DM = reply_rules.PRIVATE_LIMITS["x"][0]  # X direct messages
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
PII_WORDS = {  # the kinds of personal data inbox.nlp.pii finds, for people
    "email": N_("email"),
    "phone": N_("phone number"),
    "card": N_("card number"),
    "iban": N_("IBAN"),
    "nir": N_("social security number"),
    "address": N_("postal address"),
    "rib": N_("bank details (RIB)"),
    "cvv": N_("card security code"),
    "order_ref": N_("order reference"),
    "account_ref": N_("account reference"),
}


def pii_words(kinds: Iterable[str]) -> str:
    """``["email", "phone"]`` -> "e-mail, numéro de téléphone" in French; an unknown kind as it is."""
    return ", ".join(_(PII_WORDS[k]) if k in PII_WORDS else k for k in kinds)


TemplateVisibility = Literal["public", "private", "any"]


def variables(text: str) -> list[str]:
    """The variable names a template uses, in order of first use. Raises ValueError on bad braces."""
    names: list[str] = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or spec or conversion:
            raise ValueError(
                f"{{{name}}} is not a valid variable: use lower-case names like {{customer_name}}"
            )
        if name not in names:
            names.append(name)
    return names


class PlatformTemplate(Strict):
    """A template approved by the platform (WhatsApp), sent by name outside the 24-hour window."""

    name: str = Field(
        pattern=r"^[a-z0-9_]+$", max_length=512, description="the name approved in WhatsApp Manager"
    )
    language: str = Field(
        pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$", description="the approved language, e.g. fr, en_US"
    )
    parameters: tuple[str, ...] = Field(
        default=(), description="the variables filling {{1}}, {{2}}… in order"
    )


ReasonName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Template(Strict):
    """One ``[[templates]]`` table of config/templates.toml."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    title: str = Field(min_length=3, max_length=120)
    language: str = Field(pattern=r"^[a-z]{2}$")
    visibility: TemplateVisibility = "any"
    owner: str = Field(min_length=2, description="who maintains this template")
    text: str = Field(min_length=1)
    tags: tuple[str, ...] = ()
    reasons: tuple[ReasonName, ...] = ()  # the contact reasons it answers: offered first for them
    continue_in_dm: str | None = None  # a private template to open after this public reply
    whatsapp_template: PlatformTemplate | None = None  # ``text`` then mirrors the approved body
    retired: bool = False  # kept for its history and usage counts, no longer offered to agents

    @field_validator("text")
    @classmethod
    def _valid_variables(cls, text: str) -> str:
        variables(text)
        return text.strip()

    @model_validator(mode="after")
    def _platform_template(self) -> Template:
        wa = self.whatsapp_template
        if wa is None:
            return self
        if self.visibility != "private":
            raise ValueError('a whatsapp_template is a private message: set visibility = "private"')
        if set(wa.parameters) != set(variables(self.text)):
            raise ValueError(
                f"whatsapp_template.parameters {list(wa.parameters)} must list exactly the variables of text "
                f"{variables(self.text)}, in the order of the approved template"
            )
        return self

    def fits(self, visibility: str) -> bool:
        return self.visibility in ("any", visibility)


class TemplatesFile(Strict):
    templates: list[Template] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> TemplatesFile:
        by_name = {t.name: t for t in self.templates}
        if len(by_name) != len(self.templates):
            names = [t.name for t in self.templates]
            raise ValueError(
                f"template names must be unique; repeated: {sorted({n for n in names if names.count(n) > 1})}"
            )
        for t in self.templates:
            if t.continue_in_dm is None:
                continue
            target = by_name.get(t.continue_in_dm)
            if t.visibility == "private":
                raise ValueError(f"template {t.name!r}: continue_in_dm only makes sense on a public template")
            if target is None or not target.fits("private") or (target.retired and not t.retired):
                raise ValueError(f"template {t.name!r}: continue_in_dm must name a private template in use")
        return self

    def get(self, name: str) -> Template | None:
        return next((t for t in self.templates if t.name == name), None)


def load_templates(config_dir: Path) -> TemplatesFile:
    return load_model(config_dir / "templates.toml", TemplatesFile)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search(
    templates: Iterable[Template],
    query: str,
    *,
    visibility: str | None,
    language: str | None = None,
    reason: str | None = None,
    retired: bool = False,
) -> list[Template]:
    """Templates in use for ``visibility`` (None: all) whose name, title, tags or text hold every word of
    ``query``; retired ones only with ``retired`` (the Templates page lists them, agents are never offered
    them).

    The conversation's language comes first; within it, the templates written for its contact ``reason``
    (``Template.reasons``); then alphabetical by title. Accents and case are ignored.
    """
    words = _fold(query).split()
    found = [
        t
        for t in templates
        if (retired or not t.retired)
        and (visibility is None or t.fits(visibility))
        and all(w in _fold(" ".join((t.name, t.title, t.text, *t.tags))) for w in words)
    ]
    return sorted(found, key=lambda t: (t.language != language, reason not in t.reasons, _fold(t.title)))


def known_values(
    *, customer_name: str | None, handle: str | None, agent_name: str | None, conversation_id: int | None
) -> dict[str, str]:
    """Values the inbox knows for the standard variables; unknown ones are left out (they become prompts)."""
    values = {
        "customer_name": (customer_name or "").strip(),
        "handle": f"@{handle.lstrip('@')}" if handle else "",
        "agent_name": (agent_name or "").strip(),
        "ticket_ref": f"INB-{conversation_id:06d}" if conversation_id else "",
    }
    return {k: v for k, v in values.items() if v}


def render(text: str, values: Mapping[str, str]) -> str:
    """Fill the variables that have a non-empty value; the others stay as ``{name}`` to be filled in."""

    def fill(m: re.Match[str]) -> str:
        value = values.get(m.group(1), "").strip()
        return value if value else m.group(0)

    return (
        PLACEHOLDER_RE.sub(fill, text.replace("{{", "\0").replace("}}", "\1"))
        .replace("\0", "{")
        .replace("\1", "}")
    )


def unfilled(text: str) -> list[str]:
    """Variables still waiting for a value in a draft."""
    return list(dict.fromkeys(PLACEHOLDER_RE.findall(text)))


@dataclass(frozen=True)
class Verdict:
    """What the composer says about a draft. ``problems`` empty means it may be sent."""

    length: int
    limit: int
    unfilled: list[str]
    pii: list[PiiSpan] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    visibility: str = "public"
    unit: str = "x_weighted"  # a connectors.registry LimitUnit

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def offer_private(self) -> bool:
        """A public reply blocked only because it holds personal data: it could go as a DM."""
        return bool(self.pii) and self.visibility == "public"


def limit_for(visibility: str, platform: str = "x") -> int:
    return reply_rules.measure("", platform, visibility).limit


def measure(text: str, visibility: str, platform: str = "x") -> int:
    return reply_rules.measure(text, platform, visibility).count


def check(
    text: str,
    visibility: str,
    *,
    pii_patterns: PiiPatterns = DEFAULT_PATTERNS,
    platform: str = "x",
    route: reply_rules.Route | None = None,
    recipient: str | None = None,
    personal_data: bool = True,
) -> Verdict:
    """Whether a draft may be sent as a ``visibility`` reply on ``platform``, and why not.

    ``route`` is what ``replies.rules.decide`` says of that visibility now; a refused route is a problem.
    ``recipient`` is the customer's handle, where the platform's connector adds it to the text (Mastodon).
    Personal data is what ``inbox.nlp.pii.find_pii`` finds with ``pii_patterns`` (config/nlp.toml's [pii]);
    ``personal_data=False`` leaves it out where the text was checked already (an incident's approved reply,
    with the customer's name filled in).
    """
    length, missing = reply_rules.measure(text, platform, visibility, recipient), unfilled(text)
    problems: list[str] = []
    if route is not None and not route.allowed:
        refused = (
            _("A public reply is not possible on this conversation.")
            if visibility == "public"
            else _("A private reply is not possible on this conversation.")
        )
        problems.append(route.reason or refused)
    if not text.strip():
        problems.append(_("The reply is empty."))
    if missing:
        fields = fields_to_fill(missing)
        problems.append(_("Fill in {fields} before sending.").format(fields=fields))
    too_long = length.problem()
    if too_long:
        problems.append(too_long)
    pii = find_pii(text, pii_patterns) if visibility == "public" and personal_data else []
    if pii:
        kinds = pii_words(sorted({p.kind for p in pii}))
        problems.append(
            _("Personal data in a public reply ({kinds}): remove it, or send this privately.").format(
                kinds=kinds
            )
        )
    return Verdict(length.count, length.limit, missing, pii, problems, visibility, length.unit)
