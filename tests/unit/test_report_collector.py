"""The report pauses Python's cyclic collector while it runs and gives it back as it found it, also after an
error and when reports overlap (``inbox.reports.collector``)."""

from __future__ import annotations

import gc
import threading

import pytest

from inbox.reports.collector import collector_paused


def test_the_collector_is_paused_inside_and_given_back_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer report still runs
    assert gc.isenabled()


def test_an_error_in_the_report_gives_the_collector_back() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("query failed")
    assert gc.isenabled()


def test_a_process_that_disabled_the_collector_keeps_it_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_reports_in_two_threads_give_it_back_once_both_end() -> None:
    inside, release = threading.Event(), threading.Event()

    def other_report() -> None:
        with collector_paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other_report)
    with collector_paused():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's report is still running
    release.set()
    thread.join(5)
    assert gc.isenabled()
