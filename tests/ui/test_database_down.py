"""A lost database (PostgreSQL restarting, a failover): one sentence where the page would be, never a
traceback; the page comes back once the database answers."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, queue_ids

UNREACHABLE = "postgresql://care@127.0.0.1:1/inbox"  # nothing listens on port 1
SAID = "The database cannot be reached just now (it may be restarting). Nothing saved is lost"


def said(at: AppTest) -> bool:
    return any(e.value.startswith(SAID) for e in at.error)


def test_the_sign_in_page_says_so_instead_of_a_traceback(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBOX_DATABASE_URL", UNREACHABLE)
    at = app_as(seeded, None)
    assert not at.exception and said(at), [e.value for e in at.error]


def test_a_signed_in_agent_sees_the_sentence_then_the_queue_once_the_database_answers(
    seeded: Seeded, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INBOX_DATABASE_URL", UNREACHABLE)
    at = app_as(seeded, "alice")
    assert not at.exception and said(at) and not queue_ids(at)
    monkeypatch.setenv("INBOX_DATABASE_URL", db_url)  # back (the page's own retry reruns it)
    at.run()
    assert not at.exception and not said(at) and queue_ids(at)
