"""Streamlit's own words, which its catalog does not translate: given in the user's language where a widget
takes them (the placeholder of a select box, the format of a date field), hidden where it does not.

- Every ``st.selectbox`` and ``st.multiselect`` passes ``placeholder=choose()`` (or a placeholder of its
  own): without one, Streamlit shows "Choose an option", "Choose options" or "No options to select" when
  nothing is picked, or when the user clears the field to type a search.
- Every ``st.multiselect`` passes ``select_all=False``: its list would start with "Select all" ("Select 3
  matches" while searching); none picked means all where it matters (channels).
- Every ``st.date_input`` passes ``format=date_format()``: "05/12/2026" in French. A date field starts with
  a day where one makes sense (the snooze day: tomorrow), since an empty one shows English letters (below).
- ``hide_hints`` hides the "Press Enter to apply" / "Press Enter to submit form" under text fields (English,
  and the forms' buttons say what Enter does).

What stays English, as Streamlit (1.67) draws it with no parameter to change it (its components have no
locale setting, and rewriting its page from a script would break with each Streamlit release):

- "No results" in a select box's or a multiselect's list when the words typed to search match no option
  (the composer's template picker: "mot de passe" when no template title has those words);
- the letters of an empty date field, "dd/mm/yyyy" (day first in French, as ``format`` says, but always
  Streamlit's English letters, not « jj/mm/aaaa »): only where a field may stay empty on purpose (an
  account's last day: empty is no end date);
- "Skip to main content", the keyboard link Streamlit puts first on every page (seen on the first Tab, read
  by screen readers);
- the date picker's calendar (month and day names), the toolbars of tables and charts (Search, Download as
  CSV, Fullscreen, their tooltips), "Add: …" while typing a new tag, and the accessibility labels screen
  readers read ("Choose date", "Show/hide columns", "11 options available").
"""

from __future__ import annotations

import streamlit as st

from inbox import i18n
from inbox.i18n import _

HINTS = "<style>[data-testid='InputInstructions'] { display: none; }</style>"
DATE_FORMATS = {"fr": "DD/MM/YYYY", "en": "YYYY/MM/DD"}


def hide_hints() -> None:
    """Hide Streamlit's English input hints on this page (a style only: nothing takes space or a place)."""
    st.html(HINTS)


def choose() -> str:
    """The placeholder of a select box or a multiselect with nothing picked."""
    return _("Choose…")


def date_format() -> str:
    """The format of date fields in the user's language."""
    return DATE_FORMATS.get(i18n.current(), DATE_FORMATS["en"])
