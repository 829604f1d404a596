"""A second step before an action that is hard to undo (retire a template, pause a channel's sending): the
first click asks, a "Yes" button right there does it, "Cancel" forgets it (not a page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from inbox.i18n import _

ASKING = "confirm-asking"  # the key of the action waiting for its "Yes"


def ask(key: str) -> None:
    """The first click's callback: the action under ``key`` waits for its "Yes"."""
    st.session_state[ASKING] = key


def _forget() -> None:
    st.session_state.pop(ASKING, None)


def _yes(action: Callable[..., Any], args: tuple[Any, ...]) -> None:
    _forget()
    action(*args)


def asking(key: str) -> bool:
    return st.session_state.get(ASKING) == key


def prompt(
    key: str,
    question: str,
    yes: str,
    action: Callable[..., Any],
    args: tuple[Any, ...] = (),
    no: str | None = None,
) -> None:
    """While ``key`` is asked: the question, then "Yes" (``yes``, keyed ``<key>-yes``) and the way back
    (``no``, keyed ``<key>-no``): Cancel, unless the action is itself a cancel, where "Cancel this reply?"
    then "Cancel" reads as yes, in French as in English."""
    if not asking(key):
        return
    st.warning(question, icon=":material/help:")
    row = st.container(horizontal=True)
    row.button(yes, key=f"{key}-yes", type="primary", on_click=_yes, args=(action, args))
    row.button(no or _("Cancel"), key=f"{key}-no", on_click=_forget)
