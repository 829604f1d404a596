"""The Team page's channel restriction form (admins): the channels an agent works, or every channel.

The rule lives in ``inbox.desk.channel_scope``; this collects the choice and shows the outcome. It also says
whether live assignment (``[assignment] automatic`` in the charter) is on.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from inbox.access import PermissionDenied
from inbox.desk import channel_scope
from inbox.desk.auth import AuthError
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui import streamlit_words
from inbox.ui.common import charter, config_dir, current_user, now, reading, transaction

FLASH = "team-flash"  # the Team page shows it on its next run


def _chosen(name: str) -> list[str]:
    return list(st.session_state.get(f"scope-channels-{name}") or [])


def _save() -> None:
    s, by = st.session_state, current_user()
    name = s.get("scope-user")
    if by is None or not name:
        return
    try:
        with transaction() as session:
            known = channel_scope.known_channels(session, config_dir())
            channel_scope.set_channels(session, by, name, _chosen(name), known, now())
    except (AuthError, PermissionDenied) as exc:
        s[FLASH] = _("Not changed: {error}").format(error=exc)
        return
    chosen = _chosen(name)
    done = _("{name} works {channels}.") if chosen else _("{name} works every channel.")
    s[FLASH] = done.format(name=name, channels=", ".join(chosen))


def live_assignment_note() -> None:
    """One line: whether the charter hands conversations out by itself."""
    rules = charter()
    if rules is not None and rules.assignment.automatic:
        st.caption(
            _("Live assignment is on: agents with room get the most urgent conversation they can take.")
        )
    else:
        st.caption(_("Live assignment is off: agents take the next conversation, managers distribute."))


def admin_form(users: Sequence[User]) -> None:
    """The form, for admins (the page decides who sees it)."""
    with reading() as session:
        known = channel_scope.known_channels(session, config_dir())
    with st.expander(_("Channels an agent works")):
        st.caption(
            _("An outsourcer or a point of sale: only these channels' conversations are handed to them.")
        )
        name = st.selectbox(
            _("User"), [u.name for u in users], key="scope-user", placeholder=streamlit_words.choose()
        )
        current = next((list(u.channels) for u in users if u.name == name), [])
        st.multiselect(
            _("Channels (none: every channel)"),
            known,
            default=[c for c in current if c in known],
            key=f"scope-channels-{name}",
            placeholder=_("Choose channels"),  # not Streamlit's English "Choose options"
        )
        st.button(_("Save the channels"), key="scope-save", on_click=_save)
