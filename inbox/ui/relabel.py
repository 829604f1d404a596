"""Select boxes whose options are shown in the interface's words, across a language switch.

The browser keeps showing a chosen option's text until the app sets the select box's value again: after a
switch to French the queue's filters still read "High" and "Billing and payment" (seen in Chromium). Their
keys are remembered here; ``after_switch`` sets each kept choice again (same value, drawn in the new words)
and lets each redrawn box start afresh from its ``index``.
"""

from __future__ import annotations

import streamlit as st

_KEPT = "relabel-kept"
_REDRAWN = "relabel-redrawn"


def _remember(registry: str, name: str) -> str:
    names = st.session_state.setdefault(registry, set())
    names.add(name)
    return name


def keep(name: str) -> str:
    """The key ``name`` of a select box whose choice stays through a language switch (a filter)."""
    return _remember(_KEPT, name)


def redraw(name: str) -> str:
    """The key ``name`` of a select box given an ``index`` (from stored data): after a language switch it
    starts afresh from it (Streamlit warns when a box has both an index and a value set by the app)."""
    return _remember(_REDRAWN, name)


def after_switch() -> None:
    """Set the kept select boxes' values again and drop the redrawn ones': the next run draws them all in
    the new language. Call before the widgets are drawn (a callback, or the top of the run)."""
    state = st.session_state
    for name in state.get(_KEPT, set()):
        if name in state:
            state[name] = state[name]
    for name in state.get(_REDRAWN, set()):
        state.pop(name, None)
