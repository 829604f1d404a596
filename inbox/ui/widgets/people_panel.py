"""The customer's other handles (not a page): the contacts linked into one person, and, for community
managers, search, link and unlink. Rules live in desk.people; handles are customer text, shown escaped."""

from __future__ import annotations

import streamlit as st

from inbox.access import PermissionDenied, allowed
from inbox.config.platforms import platform_label
from inbox.desk import people
from inbox.i18n import _
from inbox.store.tables import Contact, User
from inbox.ui.common import current_user, md_escape, md_name, now, reading, transaction
from inbox.ui.widgets import privacy_panel


def describe(hit: people.ContactHit) -> str:
    handle = f"@{hit.handle}" if hit.handle else f"#{hit.id}"
    name = f" ({hit.display_name})" if hit.display_name and hit.display_name != hit.handle else ""
    return (
        md_name(f"{handle}{name}")
        + f" · :gray-badge[{md_escape(platform_label(hit.platform))}]"
        + (f" :gray[{md_escape(hit.channel)}]")
    )


def _act(action: str, contact_id: int, other_id: int) -> None:
    user = current_user()
    if user is None:
        return
    try:
        with transaction() as session:
            if action == "link":
                people.link(session, contact_id, other_id, user, now())
            else:
                people.unlink(session, other_id, user, now())
    except (people.PeopleError, PermissionDenied) as exc:
        st.session_state[f"people-flash-{contact_id}"] = str(exc)
        return
    st.session_state[f"people-q-{contact_id}"] = ""
    st.toast(_("Contacts linked.") if action == "link" else _("Contact unlinked."))


def _search(contact: Contact) -> None:
    cid = contact.id or 0
    query = st.text_input(
        _("Link another handle of this customer"),
        key=f"people-q-{cid}",
        placeholder=_("Search handles and names on every channel"),
        icon=":material/person_search:",
    )
    if not (query or "").strip():
        return
    with reading() as session:
        hits = people.search_contacts(session, query, exclude=cid)
    if not hits:
        st.caption(_("No contact matches."))
    for hit in hits:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].markdown(describe(hit))
        linked = hit.person_id is not None and hit.person_id == contact.person_id
        cols[1].button(
            _("Linked") if linked else _("Link"),
            key=f"link-{cid}-{hit.id}",
            disabled=linked,
            on_click=_act,
            args=("link", cid, hit.id),
        )


def panel(contact: Contact | None, user: User) -> None:
    """The same person's other contacts; search, link and unlink for a community manager or an admin; their
    Privacy action (export, erase)."""
    if contact is None or contact.id is None:
        return
    error = st.session_state.pop(f"people-flash-{contact.id}", None)
    if error:
        st.error(error)
    with reading() as session:
        others = people.linked_contacts(session, contact)
    manage = allowed(user, "link")
    if others:
        st.markdown("**{}**".format(_("Same person on")))
    for other in others:
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].markdown(describe(other))
        if manage:
            cols[1].button(
                _("Unlink"), key=f"unlink-{other.id}", on_click=_act, args=("unlink", contact.id, other.id)
            )
    if manage:
        _search(contact)
    privacy_panel.panel(contact, user)
