"""What the Templates page checks before a template is saved, beyond the file's own validation. Pure.

Errors stop the save: every rule of config/templates.toml (``inbox.replies.composer.Template`` and the whole
file's consistency), a name already taken, a language code that names no language, a variable that looks
like a misspelt known one (``{customer_nme}``), a text too long for every platform, retiring a template the
charter sends. Warnings do not: the
fields agents will have to fill in, a text the language detector reads as another language, the platforms
where the text, filled with long but ordinary values, is too long (the composer refuses it there).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.core import Locale, UnknownLocaleError
from pydantic import ValidationError

from connectors.registry import PLATFORMS
from inbox.config.loader import validation_problems
from inbox.i18n import _
from inbox.replies import rules
from inbox.replies.composer import KNOWN_VARIABLES, Template, TemplatesFile, render, variables
from inbox.replies.template_toml import plain

# long but ordinary values, so that a template that fits here fits nearly every customer
SAMPLE_VALUES = {
    "customer_name": "Marie-Christine",
    "handle": "@marie_christine_75",
    "agent_name": "Alexandre",
    "ticket_ref": "DOS-2026-123456",
}
FILL_IN_SAMPLE = "X" * 14


@dataclass
class Checked:
    """The template as it would be saved (None when an error stops it), the errors and the warnings."""

    template: Template | None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _problems(exc: ValidationError) -> list[str]:
    return [f"{key}: {message}" if key else message for _file, key, message in validation_problems("", exc)]


def known_language(code: str) -> bool:
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def misspelt(text: str) -> list[tuple[str, str]]:
    """(variable, the known one it resembles) for each variable that looks like a typo."""
    found = []
    for name in variables(text):
        if name in KNOWN_VARIABLES:
            continue
        close = difflib.get_close_matches(name, KNOWN_VARIABLES, n=1, cutoff=0.75)
        if close:
            found.append((name, close[0]))
    return found


def length_problems(template: Template) -> tuple[list[str], int]:
    """The platforms' length problems for the text filled with ``SAMPLE_VALUES``, and how many platforms
    could take it."""
    values = {name: SAMPLE_VALUES.get(name, FILL_IN_SAMPLE) for name in variables(template.text)}
    filled = render(template.text, values)
    visibility = "private" if template.visibility == "private" else "public"
    problems, fits = [], 0
    for platform, info in PLATFORMS.items():
        if visibility == "public" and info.private_only:
            continue
        problem = rules.measure(filled, platform, visibility).problem()
        if problem is None:
            fits += 1
        else:
            problems.append(problem)
    return problems, fits


def check(
    fields: Mapping[str, Any],
    files: TemplatesFile,
    *,
    original: str | None,
    detect: Callable[[str], str] | None = None,
    charter_uses: Mapping[str, str | None] | None = None,
) -> Checked:
    """``fields`` as a template replacing ``original`` (None: a new one) among ``files``' templates.

    ``detect`` (the classifier's language detector, "und" when unsure) warns of a text written in another
    language than the one declared; ``charter_uses`` (the charter's ``template_names()``) refuses retiring a
    template the charter's automatic messages send."""
    try:
        template = Template.model_validate(plain(fields))
    except ValidationError as exc:
        return Checked(None, _problems(exc))
    out = Checked(template)
    if original is None and files.get(template.name) is not None:
        out.errors.append(_("A template named {name} already exists.").format(name=template.name))
    if original is not None and template.name != original:
        out.errors.append(_("A template's name cannot change: create a new one and retire this one."))
    if not known_language(template.language):
        out.errors.append(
            _("{code} is not a language code: use two letters such as fr or en.").format(
                code=template.language
            )
        )
    for name, known in misspelt(template.text):
        out.errors.append(
            _(
                "{{{name}}} looks like a misspelt {{{known}}}: correct it, or agents would have to type it."
            ).format(name=name, known=known)
        )
    used_by = sorted(k for k, v in (charter_uses or {}).items() if v == template.name)
    if template.retired and used_by:
        out.errors.append(
            _(
                "The charter's automatic messages send this template ({keys}): change the charter first."
            ).format(keys=", ".join(used_by))
        )
    others = [t for t in files.templates if t.name not in (original, template.name)]
    try:
        TemplatesFile(templates=[*others, template])
    except ValidationError as exc:
        out.errors.extend(_problems(exc))
    fill_in = [v for v in variables(template.text) if v not in KNOWN_VARIABLES]
    if fill_in:
        fields_text = ", ".join("{" + v + "}" for v in fill_in)
        out.warnings.append(_("Agents will fill in {fields} before sending.").format(fields=fields_text))
    found = detect(template.text) if detect is not None else None
    if found and found != "und" and found != template.language:
        out.warnings.append(
            _("The text reads as {found}, not {language}: check its language.").format(
                found=found, language=template.language
            )
        )
    problems, fits = length_problems(template)
    (out.warnings if fits else out.errors).extend(problems)
    if out.errors:
        out.template = None
    return out
