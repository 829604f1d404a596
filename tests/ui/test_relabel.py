"""inbox.ui.relabel: after a language switch a kept select box keeps its choice, a redrawn one starts afresh.

What the browser shows is checked in Chromium (tests/e2e/test_e2e_language_switch.py); this checks the values.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page() -> None:
    import streamlit as st

    from inbox.ui import relabel

    st.selectbox("Filter", ["any", "high"], key=relabel.keep("filter"))
    st.selectbox("Stored", ["open", "pending"], index=1, key=relabel.redraw("stored"))
    st.button("Switch", on_click=relabel.after_switch)


def test_a_switch_keeps_the_filters_and_redraws_the_boxes_read_from_stored_data() -> None:
    at = AppTest.from_function(_page).run()
    at.selectbox(key="filter").select("high")
    at.selectbox(key="stored").select("open").run()
    assert (at.selectbox(key="filter").value, at.selectbox(key="stored").value) == ("high", "open")
    at.button[0].click().run()
    assert not at.exception
    assert at.selectbox(key="filter").value == "high"
    assert at.selectbox(key="stored").value == "pending"  # from its index again
