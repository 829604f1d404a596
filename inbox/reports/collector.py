"""Python's cyclic garbage collector paused while a report reads and judges a period. Process-wide, nested.

A 30-day report holds hundreds of thousands of small rows at once (a million messages: 250,000 conversations,
700,000 events); each allocation burst makes the collector walk that growing heap again, which cost as much as
the judging itself (bench/report_bench.py, docs/benchmarks.md). The rows hold no reference cycles: they are
freed as ever when the report drops them, and the collector resumes after the last report running in the
process ends, in the state it was found (a process that disabled it keeps it disabled).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; reports running at once in other threads share the pause."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
