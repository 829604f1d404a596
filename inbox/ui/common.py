"""Shared helpers for the Streamlit pages (not a page). The only place that builds the app's engine."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from inbox.db import open_engine
from inbox.settings import Settings


@st.cache_resource
def _engine(url: str) -> Engine:  # keyed by URL, so each test database gets its own engine
    return open_engine(url)


def engine() -> Engine:
    return _engine(Settings().database_url)
