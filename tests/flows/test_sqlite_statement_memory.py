"""SQLite's memory stays flat when queries with ``IN`` lists of ever-changing lengths run on one connection.

Every length is a new prepared statement, and Python's sqlite3 keeps 128 of them on each connection: the
automation tick (keys of hundreds of open conversations, a different count every tick) made the listener
grow by megabytes a minute. The engine's connections keep a few statements only.

Measured with SQLite's own allocator counter (``sqlite3_memory_used``) in the library Python's sqlite3 uses;
a plain connection with Python's default cache is the control that shows the counter sees the statements.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from inbox.store.engine import make_engine

LENGTHS = range(1000, 1200)  # 200 statements, each with a list of about a thousand values


def _sqlite_memory() -> Callable[[], int]:
    name = ctypes.util.find_library("sqlite3")
    if name is None:
        pytest.skip("no shared libsqlite3 to read the allocator counter from")
    used = ctypes.CDLL(name).sqlite3_memory_used
    used.restype = ctypes.c_int64
    return lambda: int(used())


def _statement(n: int) -> str:
    return f"SELECT count(*) FROM t WHERE k IN ({', '.join('?' * n)})"


def _grown_mib(used: Callable[[], int], run: Callable[[], None]) -> float:
    before = used()
    run()
    return (used() - before) / 2**20


def test_changing_in_lists_do_not_pile_up_prepared_statements(tmp_path: Path) -> None:
    used = _sqlite_memory()
    db = tmp_path / "s.db"
    with sqlite3.connect(db) as raw:
        raw.execute("CREATE TABLE t (k TEXT)")
    control = sqlite3.connect(db)  # Python's default: 128 statements kept
    engine: Engine = make_engine(f"sqlite:///{db}")

    def plain() -> None:
        for n in LENGTHS:
            control.execute(_statement(n), [str(i) for i in range(n)]).fetchall()

    def ours() -> None:
        with engine.connect() as connection:
            for n in LENGTHS:
                connection.exec_driver_sql(_statement(n), tuple(str(i) for i in range(n))).fetchall()
            connection.execute(text("SELECT 1"))

    try:
        control_growth = _grown_mib(used, plain)
        assert control_growth > 15, f"the counter misses sqlite3's statements ({control_growth:.1f})"
        assert _grown_mib(used, ours) < 5
    finally:
        control.close()
        engine.dispose()
