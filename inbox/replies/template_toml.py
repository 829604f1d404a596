"""One template changed in the text of config/templates.toml, every comment and other template kept. Pure.

An edited template keeps its place and its comments: only the keys whose value changed are rewritten, so a
wording change is a one-line diff to review. A new template is appended at the end of the file. The result
is read back and must hold exactly the templates intended (``TemplateTextError`` otherwise).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

FIELD_ORDER = (
    "name",
    "title",
    "language",
    "visibility",
    "owner",
    "tags",
    "reasons",
    "continue_in_dm",
    "whatsapp_template",
    "retired",
    "text",
)


class TemplateTextError(ValueError):
    """The file's text cannot take the change (it is not valid TOML, or holds no [[templates]] array)."""


def plain(template: Mapping[str, Any]) -> dict[str, Any]:
    """A template as the file writes it: keys in the file's order, empty values and defaults left out."""
    out: dict[str, Any] = {}
    for key in FIELD_ORDER:
        value = template.get(key)
        if value in (None, "", (), []) or (key == "retired" and not value):
            continue
        if key == "visibility" and value == "any" and "visibility" not in template:
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    if isinstance(out.get("whatsapp_template"), Mapping):
        wa = dict(out["whatsapp_template"])
        wa["parameters"] = list(wa.get("parameters") or ())
        out["whatsapp_template"] = wa
    return out


def _array(doc: tomlkit.TOMLDocument) -> AoT:
    found = doc.get("templates")
    if found is None:
        doc["templates"] = tomlkit.aot()
        found = doc["templates"]
    if not isinstance(found, AoT):
        raise TemplateTextError("templates must be an array of [[templates]] tables")
    return found


def _table(values: Mapping[str, Any]) -> Table:
    table = tomlkit.table()
    for key, value in values.items():
        table[key] = _multiline(value) if key == "text" and "\n" in value else value
    return table


def _multiline(text: str) -> Any:
    return tomlkit.string(text, multiline=True)


def _sync(table: Table, values: Mapping[str, Any]) -> None:
    for key in [k for k in table if k not in values]:
        del table[key]
    for key, value in values.items():
        if key in table and table[key].unwrap() == value:
            continue
        table[key] = _multiline(value) if key == "text" and "\n" in value else value


def apply(text: str, name: str, values: Mapping[str, Any] | None) -> str:
    """``text`` with template ``name`` set to ``values`` (a new one appended; None removes it)."""
    try:
        doc = tomlkit.parse(text)
    except Exception as exc:  # tomlkit raises its own parse errors
        raise TemplateTextError(f"config/templates.toml is not valid TOML: {exc}") from None
    array = _array(doc)
    index = next((i for i, t in enumerate(array) if t.get("name") == name), None)
    if values is None:
        if index is not None:
            del array[index]
    elif index is None:
        array.append(_table(values))
    else:
        _sync(array[index], values)
    out = doc.as_string()
    _check(out, name, values)
    return out


def _check(out: str, name: str, values: Mapping[str, Any] | None) -> None:
    try:
        found = [t for t in tomllib.loads(out).get("templates", []) if t.get("name") == name]
    except tomllib.TOMLDecodeError as exc:
        raise TemplateTextError(f"the edited text is not valid TOML: {exc}") from None
    expected = [dict(values)] if values is not None else []
    if found != expected:
        raise TemplateTextError(f"the edited text does not hold template {name!r} as intended")
