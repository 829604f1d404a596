"""`inbox config check`: validate every file of a config folder and the references between them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from inbox.config.loader import ConfigError
from inbox.i18n import _

Problem = tuple[str, str, str]


def _load(loader: Callable[[Path], Any], folder: Path, problems: list[Problem]) -> Any:
    try:
        return loader(folder)
    except ConfigError as exc:
        problems.extend(exc.problems)
        return None


def check_folder(folder: Path) -> list[Problem]:
    """Every problem found in ``folder`` as (file, key, message); empty when all is valid."""
    from inbox.charter.model import load_charter
    from inbox.config.channels import load_channels
    from inbox.nlp.settings import load_nlp_config
    from inbox.replies.composer import load_templates

    problems: list[Problem] = []
    channels = _load(load_channels, folder, problems)
    charter = _load(load_charter, folder, problems)
    templates = _load(load_templates, folder, problems)
    nlp = _load(load_nlp_config, folder, problems)
    if charter is not None and templates is not None:
        known = {t.name for t in templates.templates}
        for key, name in sorted(charter.template_names().items()):
            if name not in known:
                problems.append(
                    (
                        str(folder / "charter.toml"),
                        key,
                        _("template '{name}' is not in templates.toml (known: {known})").format(
                            name=name, known=", ".join(sorted(known))
                        ),
                    )
                )
    if nlp is not None:
        labels = list(nlp.reasons.labels)
        if charter is not None:
            problems.extend(charter_reason_problems(folder, charter, labels))
        if templates is not None:
            problems.extend(template_reason_problems(folder, templates, labels))
    if charter is not None and channels is not None:
        names = [c.name for c in channels.channels]
        problems.extend(brand_problems(folder, charter, names))
        problems.extend(_scope_problems(folder, charter, set(names)))
    return problems


def brand_problems(folder: Path, charter: Any, channels: list[str]) -> list[Problem]:
    """A brand naming a channel channels.toml lacks; when there are brands, a channel none speaks for (its
    automatic messages would be the charter's own text whatever the customer's language)."""
    from inbox.charter.rules import brand_for

    problems: list[Problem] = []
    known = set(channels)
    for brand, entry in charter.brands.items():
        for i, name in enumerate(entry.channels):
            if name not in known:
                problems.append(
                    (
                        str(folder / "charter.toml"),
                        f"brands.{brand}.channels[{i}]",
                        _("channel '{name}' is not in channels.toml").format(name=name),
                    )
                )
    if charter.brands:
        for i, name in enumerate(channels):
            if brand_for(charter, name) is None:
                problems.append(
                    (
                        str(folder / "channels.toml"),
                        f"channels[{i}].name",
                        _(
                            "no brand of charter.toml speaks for '{name}': its automatic messages would be "
                            "in the charter's own language whatever the customer writes in; list it in a "
                            "brand's channels"
                        ).format(name=name),
                    )
                )
    return problems


def _not_a_reason(file: Path, key: str, reason: str, labels: list[str]) -> Problem:
    known = ", ".join(sorted(labels))
    message = _("reason '{reason}' is not in nlp.toml [reasons] labels (known: {known})")
    return (str(file), key, message.format(reason=reason, known=known))


def charter_reason_problems(folder: Path, charter: Any, labels: list[str]) -> list[Problem]:
    """A response target ([sla.reasons]) or a rule ([reasons.<reason>]) for a reason nlp.toml does not give:
    it would never apply (a typo such as "acount_access")."""
    keys = [
        *((f"sla.reasons.{r}", r) for r in charter.sla.reasons),
        *((f"reasons.{r}", r) for r in charter.reasons),
    ]
    return [_not_a_reason(folder / "charter.toml", key, r, labels) for key, r in keys if r not in labels]


def template_reason_problems(folder: Path, templates: Any, labels: list[str]) -> list[Problem]:
    """A template offered first for a reason nlp.toml does not give (it never would be)."""
    return [
        _not_a_reason(folder / "templates.toml", f"templates[{i}].reasons[{j}]", reason, labels)
        for i, t in enumerate(templates.templates)
        for j, reason in enumerate(t.reasons)
        if reason not in labels
    ]


def _scope_problems(folder: Path, charter: Any, channels: set[str]) -> list[Problem]:
    """A target, goal or survey scoped to a channel that is neither in channels.toml nor a platform name: it
    would never apply (a typo such as "x-acm")."""
    from inbox.config.platforms import platform_names

    allowed = channels | set(platform_names())
    keys = [
        *((f"sla.channels.{name}", name) for name in charter.sla.channels),
        *(
            (f"sla.goals.{goal}.channels[{i}]", name)
            for goal, spec in charter.sla.goals.items()
            for i, name in enumerate(spec.channels)
        ),
        *((f"survey.channels[{i}]", name) for i, name in enumerate(charter.survey.channels)),
    ]
    return [
        (
            str(folder / "charter.toml"),
            key,
            _("'{name}' is neither a channel of channels.toml nor a platform ({allowed})").format(
                name=name, allowed=", ".join(sorted(allowed))
            ),
        )
        for key, name in keys
        if name not in allowed
    ]
