"""When the database cannot be reached (PostgreSQL restarting, a failover, a network cut): one sentence in the
user's language where the page or the refreshed part would be, never a traceback, and the page back by
itself as soon as the database answers. Nothing is lost: what was saved is in the database, and a field being
typed keeps its text (Streamlit keeps widget state across reruns)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from inbox.i18n import _
from inbox.ui.common import engine

log = logging.getLogger("inbox.ui")
RETRY_SECONDS = 10
P = ParamSpec("P")
R = TypeVar("R")


def _say(exc: OperationalError) -> None:
    log.warning("the database cannot be reached: %s", str(exc.orig or exc).strip())
    st.error(
        _(
            "The database cannot be reached just now (it may be restarting). Nothing saved is lost; "
            "this page tries again every {seconds} seconds."
        ).format(seconds=RETRY_SECONDS),
        icon=":material/cloud_off:",
    )


@st.fragment(run_every=RETRY_SECONDS)
def _back_when_it_answers() -> None:
    try:
        with engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError:
        return
    st.rerun(scope="app")


@contextmanager
def guard() -> Iterator[None]:
    """The whole page: on a lost database, the sentence, then the page again once the database answers."""
    try:
        yield
    except OperationalError as exc:
        _say(exc)
        _back_when_it_answers()


def _on_loss(part: Callable[P, R], *, say: bool) -> Callable[P, R | None]:
    @functools.wraps(part)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return part(*args, **kwargs)
        except OperationalError as exc:
            if say:
                _say(exc)
            return None

    return run


def said_in_place(part: Callable[P, R]) -> Callable[P, R | None]:
    """A part of the page refreshed on its own (``st.fragment(run_every=…)``, under it): on a lost database,
    the sentence in its place; its own next refresh brings it back."""
    return _on_loss(part, say=True)


def quiet_while_down(part: Callable[P, R]) -> Callable[P, R | None]:
    """A background part (the notification bell's poll): nothing while the database is lost, since the
    page itself says so; its next refresh tries again."""
    return _on_loss(part, say=False)
