"""A JSON array's elements compared by value in SQL (no I/O), never as substrings of its serialised text.

``any_element(column, test)`` is true when some element of the JSON array in ``column`` passes ``test``, a
condition on the element as text: ``json_each`` on SQLite, ``json_array_elements_text`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import exists, literal, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

ELEMENT: ColumnElement[str] = literal_column("value")  # one element of the array, as text


class json_elements(FunctionElement[Any]):  # noqa: N801 (SQL function names are lower case)
    """The elements of a JSON array as rows of one text column, ``value`` (a table-valued function)."""

    name = "json_elements"
    inherit_cache = True


@compiles(json_elements, "sqlite")
def _sqlite(element: json_elements, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"  # its column ``value``


@compiles(json_elements, "postgresql")
def _postgresql(element: json_elements, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array_elements_text({compiler.process(element.clauses, **kw)}) AS value"


def any_element(
    column: Any, test: Callable[[ColumnElement[str]], ColumnElement[bool]]
) -> ColumnElement[bool]:
    """Some element of the JSON array ``column`` passes ``test`` (false for an empty array)."""
    return exists(select(literal(1)).select_from(json_elements(column)).where(test(ELEMENT)))
