"""The queue's filters in its address: a filtered queue is a link a manager can send
("/?reason=billing_payment") and survives a reload, as in the help-desk tools agents know.

``restore`` sets the filters before they are drawn: from the address on the session's first run, afterwards
from the filters the queue last showed (Streamlit forgets a widget's value once a run of another page did not
draw it: back from a conversation, the queue had lost its filters). It keeps only values the filters offer the
user (their channels, reasons in use…). ``publish`` writes the filters that differ from the defaults into the
address (and keeps them for ``restore``), so the address always says what the queue shows.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import streamlit as st

RESTORED = "queue-address-restored"
SHOWN = "queue-address-shown"  # the filters the queue last showed (not a widget's key: never forgotten)
MAX_TEXT = 200  # a search typed in an address is cut there
# address parameter -> the filter widget's key
KEYS = {
    "q": "q-text",
    "assignee": "q-assignee",
    "status": "q-status",
    "channel": "q-channel",
    "urgency": "q-urgency",
    "sentiment": "q-sentiment",
    "language": "q-language",
    "reason": "q-reason",
    "source": "q-source",
}


def restore(choices: Mapping[str, Collection[str]]) -> None:
    """Set each filter Streamlit does not hold: from the address on the session's first run, else from the
    filters last shown; ``choices`` maps each parameter but ``q`` to the values its filter offers, and an
    unknown value is ignored."""
    first = not st.session_state.get(RESTORED)
    st.session_state[RESTORED] = True
    asked = st.query_params.to_dict() if first else st.session_state.get(SHOWN, {})
    for parameter, key in KEYS.items():
        value = asked.get(parameter)
        if value is None or key in st.session_state:
            continue
        if parameter == "q":
            st.session_state[key] = value[:MAX_TEXT]
        elif value in choices.get(parameter, ()):
            st.session_state[key] = value


def publish(chosen: Mapping[str, str], defaults: Mapping[str, str]) -> None:
    """Write the filters that differ from ``defaults`` (parameter -> value) into the address, and only
    them: a filter back to its default leaves the address."""
    wanted = {p: v for p, v in chosen.items() if p in KEYS and v and v != defaults.get(p)}
    st.session_state[SHOWN] = wanted
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
