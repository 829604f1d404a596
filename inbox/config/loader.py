"""Reading TOML config files into pydantic models; every error names the file and the key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from inbox import i18n
from inbox.i18n import N_, _

M = TypeVar("M", bound=BaseModel)


class Strict(BaseModel):
    """Base for config models: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ConfigError(Exception):
    """A config file is missing, unreadable or invalid. ``problems`` lists (file, key, message)."""

    def __init__(self, problems: list[tuple[str, str, str]]) -> None:
        self.problems = problems
        super().__init__("\n".join(f"{f}: {k}: {m}" if k else f"{f}: {m}" for f, k, m in problems))


def _key(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# pydantic's messages for people who do not read English (English keeps pydantic's own wording)
_TRANSLATED = {
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be at most {le}"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be text"),
    "string_too_short": N_("must not be empty"),
    "literal_error": N_("must be one of {expected}"),
    "string_pattern_mismatch": N_("does not have the expected form ({pattern})"),
    "too_short": N_("needs at least {min_length}"),
    "dict_type": N_("must be a table"),
    "list_type": N_("must be a list"),
    "tuple_type": N_("must be a list"),
}


def _message(err: dict[str, object]) -> str:
    msg = str(err["msg"])
    if err.get("type") == "extra_forbidden":
        return _("unknown key (typo?)")
    if err.get("type") == "missing":
        return _("required key is missing")
    kind, ctx_ = str(err.get("type")), err.get("ctx")
    if i18n.current() != "en" and kind in _TRANSLATED:
        said = _(_TRANSLATED[kind]).format(**(ctx_ if isinstance(ctx_, dict) else {}))
        return _("{problem} (got {value})").format(problem=said, value=repr(err.get("input")))
    ctx = err.get("ctx")
    if isinstance(ctx, dict) and "expected" in ctx:
        return f"{msg} (got {err.get('input')!r})"
    return msg


def validation_problems(file: str, exc: ValidationError) -> list[tuple[str, str, str]]:
    """Turn a pydantic error into (file, dotted key, message) rows."""
    return [(file, _key(tuple(e["loc"])), _message(dict(e))) for e in exc.errors()]


def config_text(path: Path) -> str:
    """A config file's text ('' when there is none), read as UTF-8. The byte-order mark that Windows
    editors may write first is dropped; a file saved in another encoding (Latin-1, Windows-1252) is a
    ConfigError naming the file and the line, not a traceback."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        said = _("not UTF-8 text (line {line}): save the file with the UTF-8 encoding").format(line=line)
        raise ConfigError([(str(path), "", said)]) from None


def read_toml(path: Path) -> dict[str, object]:
    """Parse one TOML file; a syntax error becomes a ConfigError naming the file."""
    if not path.exists():
        raise ConfigError([(str(path), "", _missing(path))])
    try:
        return tomllib.loads(config_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([(str(path), "", _("not valid TOML: {error}").format(error=exc))]) from None


def _missing(path: Path) -> str:
    """A missing file names the folder it was looked for in and how to point at another: run from the
    project's folder (``./config``) or set ``INBOX_CONFIG_DIR``."""
    return _(
        "file not found in {folder}: run inbox from the project's folder, or set INBOX_CONFIG_DIR "
        "to the configuration folder"
    ).format(folder=path.parent.resolve())


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``; raise ConfigError naming file and key."""
    data = read_toml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(validation_problems(str(path), exc)) from None
