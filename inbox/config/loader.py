"""Reading TOML config files into pydantic models; every error names the file and the key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

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


def _message(err: dict[str, object]) -> str:
    msg = str(err["msg"])
    if err.get("type") == "extra_forbidden":
        return "unknown key (typo?)"
    if err.get("type") == "missing":
        return "required key is missing"
    ctx = err.get("ctx")
    if isinstance(ctx, dict) and "expected" in ctx:
        return f"{msg} (got {err.get('input')!r})"
    return msg


def validation_problems(file: str, exc: ValidationError) -> list[tuple[str, str, str]]:
    """Turn a pydantic error into (file, dotted key, message) rows."""
    return [(file, _key(tuple(e["loc"])), _message(dict(e))) for e in exc.errors()]


def read_toml(path: Path) -> dict[str, object]:
    """Parse one TOML file; a syntax error becomes a ConfigError naming the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError([(str(path), "", "file not found")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([(str(path), "", f"not valid TOML: {exc}")]) from None


def load_model(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``; raise ConfigError naming file and key."""
    data = read_toml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(validation_problems(str(path), exc)) from None
