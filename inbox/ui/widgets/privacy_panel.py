"""The Privacy action on a customer's profile (not a page): a manager exports the person's record (JSON, and
a page the person reads) or erases it, with a reason, an erasure confirmed by typing the handle, and legal
holds respected; an admin puts the person under legal hold or lifts it, with a reason. The rules and the
audit are ``inbox.privacy.requests``'."""

from __future__ import annotations

import json

import streamlit as st

from inbox.access import PermissionDenied, allowed
from inbox.i18n import _, ngettext, number
from inbox.privacy import erase, requests
from inbox.privacy.readable import record_html
from inbox.store.gone import TOMBSTONE
from inbox.store.tables import Contact, User
from inbox.ui.common import engine, md_escape, md_name, now, reading, team_zone, transaction
from inbox.ui.widgets import flash


def _key(what: str, contact_id: int) -> str:
    return f"privacy-{what}-{contact_id}"


def _export(contact_id: int, user: User) -> None:
    reason = st.session_state.get(_key("export-reason", contact_id), "")
    if not reason.strip():
        st.session_state[_key("export-flash", contact_id)] = ("error", _("Say why you export this data."))
        return
    try:
        with transaction() as session:
            data = requests.export_for(session, user, contact_id, reason, now())
    except PermissionDenied as exc:
        st.session_state[_key("export-flash", contact_id)] = ("error", str(exc))
        return
    st.session_state[_key("export", contact_id)] = json.dumps(data, ensure_ascii=False, indent=2)
    st.session_state[_key("export-page", contact_id)] = record_html(data, team_zone())


def _erase(contact_id: int, user: User) -> None:
    reason = st.session_state.get(_key("erase-reason", contact_id), "")
    typed = st.session_state.get(_key("erase-confirm", contact_id), "")
    flash = _key("erase-flash", contact_id)
    if not reason.strip():
        st.session_state[flash] = ("error", _("Say why this person's data is erased."))
        return
    try:
        report = requests.erase_for(engine(), user, contact_id, reason, typed, now())
    except requests.RequestError:
        st.session_state[flash] = ("error", _("Type the customer's handle exactly to confirm the erasure."))
    except erase.LegalHold:
        st.session_state[flash] = ("error", _("This person is under legal hold: nothing was erased."))
    except PermissionDenied as exc:
        st.session_state[flash] = ("error", str(exc))
    else:
        done = ngettext(
            "Erased: {count} message anonymised.", "Erased: {count} messages anonymised.", report.messages
        )
        st.session_state[flash] = ("success", done.format(count=number(report.messages)))


def _hold(contact_id: int, user: User, lift: bool) -> None:
    reason = st.session_state.get(_key("hold-reason", contact_id), "")
    key = _key("hold-flash", contact_id)
    if not reason.strip():
        st.session_state[key] = ("error", _("Say why (e.g. the case or court reference)."))
        return
    change = requests.release_for if lift else requests.hold_for
    try:
        with transaction() as session:
            change(session, user, contact_id, reason, now())
    except PermissionDenied as exc:
        st.session_state[key] = ("error", str(exc))
        return
    st.session_state[_key("hold-reason", contact_id)] = ""
    held = _("Under legal hold: their data is kept and cannot be erased.")
    done = _("Legal hold lifted.") if lift else held
    st.session_state[key] = ("success", done)


def _hold_part(contact: Contact, user: User, holds: list[str]) -> None:
    """Admins only: put the person under legal hold, or lift it."""
    cid = contact.id or 0
    st.markdown("**{}**".format(_("Legal hold")))
    st.caption(
        _(
            "A hold keeps everything on this person (a dispute, a court order) and refuses any erasure. "
            "Audited."
        )
    )
    st.text_input(
        _("Reason for the hold"), key=_key("hold-reason", cid), placeholder=_("e.g. dispute ref. 2026-7")
    )
    if holds:
        st.button(
            _("Lift the legal hold"),
            key=_key("release-go", cid),
            on_click=_hold,
            args=(cid, user, True),
            icon=":material/lock_open:",
        )
    else:
        st.button(
            _("Put under legal hold"),
            key=_key("hold-go", cid),
            on_click=_hold,
            args=(cid, user, False),
            icon=":material/gavel:",
        )
    flash.show(_key("hold-flash", cid))  # each outcome right under its button


def _export_part(contact: Contact, user: User) -> None:
    cid = contact.id or 0
    st.markdown("**{}**".format(_("Export this person's data")))
    st.caption(
        _(
            "Everything held on them across their linked accounts: as JSON (complete, for machines) and as a "
            "page they can read. Audited with your reason."
        )
    )
    st.text_input(
        _("Reason for the export"),
        key=_key("export-reason", cid),
        placeholder=_("e.g. access request ref. 2026-041"),
    )
    st.button(_("Prepare the export"), key=_key("export-go", cid), on_click=_export, args=(cid, user))
    flash.show(_key("export-flash", cid))
    ready = st.session_state.get(_key("export", cid))
    if ready:
        cols = st.columns(2)
        cols[0].download_button(
            _("Download (JSON)"),
            data=ready,
            file_name=f"person-{cid}.json",
            mime="application/json",
            key=_key("download", cid),
            icon=":material/download:",
        )
        cols[1].download_button(
            _("Download the page to send them (HTML)"),
            data=st.session_state.get(_key("export-page", cid), ""),
            file_name=f"person-{cid}.html",
            mime="text/html",
            key=_key("download-page", cid),
            icon=":material/description:",
        )


def _erase_part(contact: Contact, user: User, holds: list[str]) -> None:
    cid = contact.id or 0
    st.markdown("**{}**".format(_("Erase this person's data")))
    if holds:
        st.warning(
            _("Under legal hold ({why}): their data must be kept and cannot be erased.").format(
                why=md_escape("; ".join(holds))
            ),
            icon=":material/gavel:",
        )
        flash.show(_key("erase-flash", cid))
        return
    st.caption(
        _(
            "Their messages, names and handles on every linked account are erased for good; anonymous "
            "figures stay so past reports do not change. This cannot be undone."
        )
    )
    st.text_input(
        _("Reason for the erasure"),
        key=_key("erase-reason", cid),
        placeholder=_("e.g. erasure request ref. 2026-042"),
    )
    st.text_input(
        _("Type {handle} to confirm").format(handle=md_name(contact.handle or contact.platform_id)),
        key=_key("erase-confirm", cid),
    )
    st.button(
        _("Erase for good"),
        key=_key("erase-go", cid),
        type="primary",
        icon=":material/delete_forever:",
        on_click=_erase,
        args=(cid, user),
    )
    flash.show(_key("erase-flash", cid))


def panel(contact: Contact | None, user: User) -> None:
    """The Privacy action, for a community manager or an admin only; once the person is erased, what was
    done, in sight (the panel is closed by then), and no form."""
    if contact is None or contact.id is None or not allowed(user, "privacy"):
        return
    if contact.platform_id.startswith(TOMBSTONE):  # erased: said in sight, not in a panel that closed
        flash.show(_key("erase-flash", contact.id))
        st.caption(_("This customer's data was erased: nothing is left to export or erase."))
        return
    with reading() as session:
        holds = requests.hold_reasons(session, contact.id)
    with st.expander(_("Privacy"), icon=":material/shield_person:"):
        _export_part(contact, user)
        st.divider()
        _erase_part(contact, user, holds)
        if allowed(user, "legal_hold"):
            st.divider()
            _hold_part(contact, user, holds)
