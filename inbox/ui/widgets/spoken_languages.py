"""The "Languages spoken" field of the Team page (adding a user, managing an account): a multiselect of
language names, stored as ISO 639-1 codes (``inbox.desk.auth.spoken_languages``), the codes auto-assignment
compares with a conversation's language.

Offered: French and English, then the languages the detector tells apart (``[language].candidates`` of
``config/nlp.toml``), then any other code the user already has.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import streamlit as st

from inbox.config.loader import ConfigError
from inbox.i18n import _
from inbox.nlp.settings import load_nlp_config
from inbox.ui import labels, relabel, streamlit_words
from inbox.ui.common import config_dir


@st.cache_data(show_spinner=False)
def _detected(folder: str) -> list[str]:
    try:
        return list(load_nlp_config(Path(folder)).language.candidates)
    except ConfigError:  # `inbox config check` names the problem
        return []


def options(current: Sequence[str] = ()) -> list[str]:
    codes = ["fr", "en", *_detected(str(config_dir())), *current]
    return [c for c in dict.fromkeys(codes) if c != "und"]


def field(key: str, current: Sequence[str] = (), label: str | None = None) -> None:
    """The multiselect under ``key`` (its value: the codes picked); ``label`` when another field on the page
    would share the default name."""
    st.multiselect(
        label or _("Languages spoken"),
        options(current),
        key=relabel.keep(key),
        format_func=labels.language,
        placeholder=streamlit_words.choose(),
        select_all=False,
        help=_("Auto-assignment gives them conversations in these languages only."),
    )
