"""The team page (managers and admins): who is online, their load, round-robin distribution, new users."""

from __future__ import annotations

import streamlit as st

from inbox.access import ROLE_LABELS, ROLES, PermissionDenied, can
from inbox.desk import accounts, assignment, auth, presence
from inbox.ui.common import current_user, md_escape, now, reading, transaction
from inbox.ui.widgets import accounts as accounts_form


def _distribute() -> None:
    user = current_user()
    if user is None:
        return
    try:
        with transaction() as session:
            done = assignment.assign_unassigned(session, user, now())
    except PermissionDenied as exc:
        st.session_state["team-flash"] = f"Not distributed: {exc}"
        return
    st.session_state["team-flash"] = f"{len(done)} conversation(s) assigned round-robin."


def _add_user() -> None:
    s, user = st.session_state, current_user()
    if user is None:
        return
    try:
        accounts.check_password(s["new-password"])
        with transaction() as session:
            auth.add_user(
                session,
                user,
                s["new-name"],
                s["new-password"],
                s["new-role"],
                display_name=s["new-display"] or None,
                languages=[x.strip() for x in s["new-langs"].split(",") if x.strip()],
            )
        s["team-flash"] = f"User {s['new-name']} added."
    except (auth.AuthError, PermissionDenied) as exc:
        s["team-flash"] = f"Not added: {exc}"


def _add_user_form() -> None:
    with st.expander("Add a user"):
        st.text_input("User name", key="new-name")
        st.text_input("Display name", key="new-display")
        st.text_input("Password", type="password", key="new-password")
        st.selectbox("Role", list(ROLES), format_func=lambda r: ROLE_LABELS[r], key="new-role")
        st.text_input("Languages (comma-separated)", key="new-langs", value="fr,en")
        st.button("Add user", key="add-user", on_click=_add_user)


def main() -> None:
    user = current_user()
    assert user is not None
    if not can(user.role, "distribute"):
        st.error("Managers and admins only.")
        return
    st.title("Team")
    flash = st.session_state.pop("team-flash", None)
    if flash:
        st.info(flash)
    with reading() as session:
        users = auth.list_users(session)
        online = presence.online_users(session, now())
        loads = assignment.open_loads(session)
    st.dataframe(
        [
            {
                "name": u.display_name or u.name,
                "login": u.name,
                "role": ROLE_LABELS.get(u.role, u.role),
                "online": u.id in online,
                "open conversations": loads.get(u.id or 0, 0),
                "capacity": u.capacity,
                "languages": ", ".join(u.languages),
                "active": u.active,
            }
            for u in users
        ],
        hide_index=True,
    )
    st.button(
        "Distribute unassigned conversations (round-robin)",
        icon=":material/shuffle:",
        key="distribute",
        on_click=_distribute,
        help="Signed-in agents who speak the conversation's language, up to their capacity.",
    )
    if can(user.role, "users"):
        _add_user_form()
        accounts_form.admin_form(users)
    st.caption(f"Signed in as {md_escape(user.name)}. Every change here is written to the audit log.")


main()
