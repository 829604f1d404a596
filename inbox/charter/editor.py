"""The charter editor's pure helpers: dotted keys, TOML writing, what changed between versions. No I/O.

Validation is not here: the editor validates with ``inbox.charter.parse_charter``, as the file loader does.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Data = dict[str, Any]
_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_INLINE_MAX = 100  # a table of scalars longer than this is written as a [header] table
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\b": "\\b", "\f": "\\f"}
EDITED_HEADER = (
    "# Response charter, saved from the inbox's charter editor. Every key is described in the comments of\n"
    "# config/charter.toml as shipped; `inbox config check` validates a copy of this file.\n"
)


# ---------------------------------------------------------------------------------------------- dotted keys
def get_key(data: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """The value at dotted ``key`` (``"sla.segments.vip"``), or ``default`` when any part is missing."""
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return default
        node = node[part]
    return node


def set_key(data: Data, key: str, value: Any) -> None:
    """Set dotted ``key``, creating the tables on the way; ``None`` removes the key instead."""
    *parents, last = key.split(".")
    node = data
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is None:
                return
            child = node[part] = {}
        node = child
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def target_minutes(value: Any) -> int:
    """Minutes of a target or override (a table or bare minutes); 0 when unset."""
    if isinstance(value, Mapping):
        return int(value.get("minutes", 0))
    return int(value) if isinstance(value, int) else 0


def target_with_minutes(old: Any, minutes: int, **extra: Any) -> Any:
    """``old`` (bare minutes or a table) with new minutes; None (remove) for 0."""
    if not minutes:
        return None
    if isinstance(old, Mapping):
        return {**old, "minutes": minutes, **extra}
    return {"minutes": minutes, **extra} if extra else minutes


def edited(data: Mapping[str, Any], updates: Mapping[str, Any]) -> Data:
    """A deep copy of ``data`` with dotted ``updates`` applied (``None`` removes a key)."""
    out = copy.deepcopy(dict(data))
    for key, value in updates.items():
        set_key(out, key, value)
    return out


# ---------------------------------------------------------------------------------------------- TOML output
def _key(name: str) -> str:
    return name if _BARE.match(name) else _string(name)


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, Mapping) for v in value):
            return "[\n" + "".join(f"    {toml_value(v)},\n" for v in value) + "]"
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML: {value!r}")


def fits_inline(value: Any) -> bool:
    """A table written on one line: only scalars inside, and short."""
    if not isinstance(value, Mapping):
        return True
    scalars = all(not isinstance(v, Mapping | list | tuple) for v in value.values())
    return scalars and len(toml_value(value)) <= _INLINE_MAX


def _tables(data: Mapping[str, Any], path: tuple[str, ...]) -> Iterator[str]:
    nested = len(path) >= 2  # [sla.default.public] holds inline targets; [sla.urgency] stays a table
    here = [(k, v) for k, v in data.items() if not isinstance(v, Mapping) or (nested and fits_inline(v))]
    if (here or not data) and path:
        yield "\n[" + ".".join(_key(p) for p in path) + "]\n"
    for k, v in here:
        yield f"{_key(k)} = {toml_value(v)}\n"
    for k, v in data.items():
        if isinstance(v, Mapping) and not (nested and fits_inline(v)):
            yield from _tables(v, (*path, k))


def to_toml(data: Mapping[str, Any], header: str = EDITED_HEADER) -> str:
    """TOML text for charter data (tables, strings, numbers, booleans, dates, arrays)."""
    body = "".join(_tables(data, ())).lstrip("\n")
    return f"{header}\n{body}" if header else body


# ---------------------------------------------------------------------------------------------- changes
@dataclass(frozen=True, slots=True)
class Change:
    """One dotted key whose value differs; ``None`` stands for absent."""

    key: str
    before: Any
    after: Any

    def __str__(self) -> str:
        def show(v: Any) -> str:
            return "(none)" if v is None else toml_value(v).replace("\n", " ")

        return f"{self.key}: {show(self.before)} → {show(self.after)}"


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaf values by dotted key (arrays are leaves)."""
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, Mapping) and v:
            out.update(flatten(v, key))
        else:
            out[key] = v
    return out


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """What differs between two versions, key by key, in the order of the newer one."""
    old, new = flatten(before), flatten(after)
    keys = list(new) + [k for k in old if k not in new]
    return [Change(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


def text_diff(before: str, after: str, before_label: str, after_label: str) -> str:
    """A unified diff of two TOML texts."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), before_label, after_label
    )
    return "".join(lines)


# ---------------------------------------------------------------------------------------------- form text
def shifts_from_text(text: str) -> list[str]:
    """``"08:00-12:00, 14:00-20:00"`` → the two shifts; empty text → no shift (closed)."""
    return [s.strip() for s in re.split(r"[,;]", text) if s.strip()]


def _day_line(entry: Any) -> str:
    table = entry if isinstance(entry, Mapping) else {"date": entry}
    line = f"{table.get('date', '')} {table.get('name', '')}".rstrip()
    if table.get("shifts"):
        line += " | " + ", ".join(table["shifts"])
    return line


def days_to_text(entries: list[Any]) -> str:
    """One line per closed or reduced day (a table or a bare date): ``12-24 Veille de Noël | 08:00-12:00``."""
    return "\n".join(_day_line(e) for e in entries)


def _day(text: str) -> dt.date | str | None:
    """``2026-12-25`` → that date, ``12-25`` → the text (every year), anything else → None."""
    if re.fullmatch(r"\d{2}-\d{2}", text):
        return text
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def days_from_text(text: str, base: str) -> tuple[list[Any], list[Data], list[tuple[str, str]]]:
    """(``closed_days``, ``reduced_days``, problems) from the editor's lines; a line with ``| shifts`` is a
    reduced day. Problems are (dotted key under team key ``base``, message) for bad lines."""
    closed: list[Any] = []
    reduced: list[Data] = []
    problems: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        head, _, shifts = line.partition("|")
        first, _, name = head.strip().partition(" ")
        day = _day(first)
        if day is None:
            problems.append(
                (
                    f"{base}.{'reduced_days' if shifts.strip() else 'closed_days'}[line {number}]",
                    "start with a date as YYYY-MM-DD (that year) or MM-DD (every year), "
                    f"e.g. 2026-12-25 Noël, got {first!r}",
                )
            )
            continue
        item: Data = {"date": day}
        if name.strip():
            item["name"] = name.strip()
        if shifts.strip():
            reduced.append({**item, "shifts": shifts_from_text(shifts)})
        else:
            closed.append(item if "name" in item else day)
    return closed, reduced, problems
