"""Running the same work in several threads at once (each with its own engine), for race tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Engine

from inbox.store.engine import open_engine

T = TypeVar("T")


def at_once(db_url: str, workers: int, work: Callable[[Engine], T]) -> list[T]:
    """``work`` in ``workers`` threads released together, each on its own engine (a listener each)."""
    engines = [open_engine(db_url) for _ in range(workers)]
    start = threading.Barrier(workers)
    results: list[T] = []

    def run(own: Engine) -> None:
        start.wait()
        results.append(work(own))

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    return results
