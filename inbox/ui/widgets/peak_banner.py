"""The queue's peak-plan banner (not a page): shown while the listener measures a peak."""

from __future__ import annotations

import streamlit as st

from inbox.automation.peak import peak_status
from inbox.charter.versions import current_charter
from inbox.config.loader import ConfigError
from inbox.ui.common import config_dir, now, reading


def peak_banner() -> None:
    with reading() as session:
        try:
            charter = current_charter(session, config_dir())
        except ConfigError:
            charter = None
        status = peak_status(session, charter, now())
    if status.active:
        st.warning(status.summary(), icon=":material/trending_up:")
