"""Keyboard shortcuts for the frequent moves, and their help overlay ("?"), on every page of a signed-in user.

A small script (shortcuts.js) listens to the keyboard and clicks or focuses the matching control, found by its
Streamlit key or its icon, never by its translated text; keys typed in a text field are left to the field,
except Ctrl+Enter (Cmd+Enter on a Mac), which sends the reply being written. The overlay lists ``SHORTCUTS``
in the user's language.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from inbox.desk.queue import STATUSES
from inbox.i18n import N_, _
from inbox.ui.widgets import page_script

# (keys shown, the key the script listens to or None for a combination, action, what it does)
SHORTCUTS: tuple[tuple[str, str | None, str, str], ...] = (
    ("N", "n", "next", N_("Next conversation (queue)")),
    ("/", "/", "search", N_("Search the queue")),
    ("R", "r", "public", N_("Reply publicly")),
    ("P", "p", "private", N_("Reply privately (DM)")),
    ("T", "t", "template", N_("Search the templates")),
    (N_("Ctrl+Enter"), None, "send", N_("Send the reply")),
    ("E", "e", "resolve", N_("Resolve the conversation")),
    ("?", None, "help", N_("Show or hide this list")),
)
_SCRIPT = Path(__file__).with_name("shortcuts.js")


def install() -> None:
    """Listen to the keyboard on this page and offer the help overlay (call once per run of the app)."""
    page_script.run(
        _SCRIPT,
        {
            "keys": {key: action for _shown, key, action, _label in SHORTCUTS if key},
            "rows": [{"keys": _(shown), "label": _(label)} for shown, _key, _action, label in SHORTCUTS],
            "title": _("Keyboard shortcuts"),
            "close": _("Esc closes this list. Keys typed in a text field stay in the field."),
            "resolved_index": STATUSES.index("resolved"),
        },
    )
    st.caption(_("Press ? for keyboard shortcuts"))
