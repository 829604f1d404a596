"""One-shot page messages ("saved", "not added: …") shown in a slot that is always there.

Rule: the slot is drawn on every run, message or not, so the elements below it keep their place.
Streamlit matches elements across reruns by position; a message that comes and goes would shift
the tabs below it, and the browser would then show their first tab again, hiding the one in use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

KINDS: dict[str, Callable[..., Any]] = {
    "success": st.success,
    "info": st.info,
    "warning": st.warning,
    "error": st.error,
}


def show(key: str, kind: str = "success", **options: Any) -> None:
    """Pop the message stored under `key` and show it in a slot that exists on every run.

    The stored value is either the text, shown as `kind`, or a `(kind, text)` pair.
    """
    slot = st.container()
    message = st.session_state.pop(key, None)
    if not message:
        return
    if isinstance(message, tuple):
        kind, message = message
    with slot:
        KINDS[kind](message, **options)
