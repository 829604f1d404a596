"""Adding a channel to config/channels.toml: validated by the same model as loading, appended as a new
``[[channels]]`` table so the file's comments and other channels stay as they are, and read back before it
counts. Credentials are written as environment variable NAMES; a value that looks like a secret is refused.
Only a user who may manage "channels" (``inbox.access``) adds one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inbox.access import Actor, require
from inbox.config.channels import ChannelConfig, ChannelsFile, load_channels
from inbox.config.loader import ConfigError, config_text, validation_problems

FILE = "channels.toml"
ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")


def _value(value: Any) -> str:
    """A TOML value: JSON's string escapes are valid TOML basic-string escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def table(cfg: ChannelConfig) -> str:
    """The ``[[channels]]`` table for ``cfg``, with only the keys that differ from the defaults."""
    data = cfg.model_dump(mode="json", exclude_defaults=True)
    nested = {k: data.pop(k) for k in ("credentials", "options") if k in data}
    lines = ["[[channels]]"] + [f"{_key(k)} = {_value(v)}" for k, v in data.items()]
    for name, values in nested.items():
        lines += ["", f"[channels.{name}]"] + [f"{_key(k)} = {_value(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def _env_problems(credentials: Mapping[str, str]) -> list[tuple[str, str, str]]:
    return [
        (
            FILE,
            f"credentials.{role}",
            "write the NAME of an environment variable (e.g. X_BEARER_TOKEN), never a secret",
        )
        for role, env in credentials.items()
        if not ENV_NAME.match(env)
    ]


def validate(data: Mapping[str, Any], existing: ChannelsFile) -> ChannelConfig:
    """A new channel from form data; ConfigError rows name the field that is wrong."""
    try:
        cfg = ChannelConfig.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(validation_problems(FILE, exc)) from None
    problems = _env_problems(cfg.credentials)
    if cfg.name in {c.name for c in existing.channels}:
        problems.append((FILE, "name", f"a channel named {cfg.name!r} already exists"))
    if problems:
        raise ConfigError(problems)
    return cfg


def append_channel(config_dir: Path, data: Mapping[str, Any], by: Actor) -> ChannelConfig:
    """Validate, append to ``config_dir/channels.toml`` and check the file still loads (else put it back)."""
    require(by, "channels")
    path = config_dir / FILE
    before = config_text(path)
    cfg = validate(data, load_channels(config_dir) if path.exists() else ChannelsFile())
    text = before.rstrip("\n") + ("\n\n" if before.strip() else "") + table(cfg)
    _write(path, text)
    try:
        loaded = load_channels(config_dir)
    except ConfigError:
        _write(path, before)
        raise
    return next(c for c in loaded.channels if c.name == cfg.name)


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so a reader never sees half of it."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
