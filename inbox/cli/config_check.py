"""`inbox config check`: validate every file of a config folder and the references between them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from inbox.config.loader import ConfigError

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
    _load(load_channels, folder, problems)
    charter = _load(load_charter, folder, problems)
    templates = _load(load_templates, folder, problems)
    _load(load_nlp_config, folder, problems)
    if charter is not None and templates is not None:
        known = {t.name for t in templates.templates}
        for key, name in sorted(charter.template_names().items()):
            if name not in known:
                problems.append(
                    (
                        str(folder / "charter.toml"),
                        key,
                        f"template {name!r} is not in templates.toml (known: {', '.join(sorted(known))})",
                    )
                )
    return problems
