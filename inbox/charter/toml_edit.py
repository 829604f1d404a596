"""Charter data written onto a TOML text with its comments and layout kept (tomlkit). Pure, no I/O.

Only the values that differ are rewritten, in place, each keeping its line's comment: a one-number change
is a one-line diff. A new key goes after the last key of its table (before the comments that introduce the
next section); a new value is written as ``inbox.charter.editor.to_toml`` writes it. Whatever the text, the
result always holds exactly the data given (checked by reading it back).
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Mapping
from typing import Any

import tomlkit
from tomlkit.container import Container
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, InlineTable, Item, Table

from inbox.charter.editor import fits_inline, to_toml, toml_value

log = logging.getLogger("inbox.charter")
Node = Container | Table | InlineTable


def rewrite(text: str, data: Mapping[str, Any]) -> str:
    """``text`` holding ``data`` instead of its own values, its comments and layout kept; the house TOML
    writer's text when ``text`` cannot be read or rewritten."""
    try:
        doc = tomlkit.parse(text)
        _sync(doc, data)
        out = doc.as_string()
        if tomllib.loads(out) == data:
            return out
        log.warning("charter: the commented text could not hold the new values; written afresh")
    except (TOMLKitError, tomllib.TOMLDecodeError, ValueError):
        log.warning("charter: the text given cannot be edited in place; written afresh", exc_info=True)
    return to_toml(data)


def _plain(item: Any) -> Any:
    return item.unwrap() if hasattr(item, "unwrap") else item


def _sync(node: Node, data: Mapping[str, Any]) -> None:
    for key in [k for k in node if k not in data]:
        del node[key]
    for key, value in data.items():
        if key not in node:
            _add(node, key, value)
            continue
        old = node[key]
        if isinstance(value, Mapping) and value and isinstance(old, Table | InlineTable):
            _sync(old, value)
        elif isinstance(old, AoT) and _tables(value):
            _sync_tables(node, key, old, value)
        elif _plain(old) != value:
            node[key] = _item(value)


def _tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _sync_tables(node: Node, key: str, old: AoT, value: list[Mapping[str, Any]]) -> None:
    """An array of tables (``[[surveys]]``) stays one: table by table when the count is the same."""
    if len(old) != len(value):
        tables = []
        for entry in value:
            table = tomlkit.table()
            _sync(table, entry)
            tables.append(table)
        node[key] = tomlkit.aot()
        node[key].extend(tables)
        return
    for table, entry in zip(old, value, strict=True):
        _sync(table, entry)


def _item(value: Any) -> Item:
    """``value`` as a tomlkit item written the house way (inline tables with spaces, one table per line of
    a multi-line array)."""
    if isinstance(value, Mapping) and not fits_inline(value):
        table = tomlkit.table()
        _sync(table, value)
        return table
    return tomlkit.parse(f"v = {toml_value(value)}\n")["v"]


def _add(node: Node, key: str, value: Any) -> None:
    item = _item(value)
    body = node.value if isinstance(node, Table) else node
    if isinstance(node, InlineTable) or not isinstance(body, Container) or isinstance(item, Table | AoT):
        node[key] = item
        return
    keyed = [n for n, (k, v) in enumerate(body.body) if k is not None and not isinstance(v, Table | AoT)]
    if not keyed or keyed[-1] + 1 >= len(body.body):
        node[key] = item
        return
    body._insert_at(keyed[-1] + 1, key, item)
