"""A template's history on the Templates page: each saved version (who, when, what, why) with its diff."""

from __future__ import annotations

import streamlit as st

from inbox.i18n import N_, _
from inbox.replies import template_editor
from inbox.store.tables import TemplateVersion
from inbox.ui.common import local_time, md_escape, person, zone_note

ACTIONS = {
    "created": N_("created"),
    "edited": N_("edited"),
    "retired": N_("retired"),
    "restored": N_("put back in use"),
}


def history(versions: list[TemplateVersion]) -> None:
    """The versions of one template, newest first, each with what it changed."""
    if not versions:
        st.caption(_("No change made on this page yet: the file's own history (git) tells the rest."))
        return
    st.caption(zone_note())
    for row in versions:
        action = _(ACTIONS.get(row.action, row.action))
        line = _("Version {id}: {action} by {who}, {when}").format(
            id=row.id, action=action, who=md_escape(person(row.saved_by)), when=local_time(row.saved_at)
        )
        st.markdown(f"**{line}**")
        if row.comment:
            st.caption(_("Why: {comment}").format(comment=md_escape(row.comment)))
        changed = template_editor.changed_keys(row.before, row.after)
        if changed and row.before is not None:
            st.caption(_("Changed: {keys}").format(keys=", ".join(changed)))
        st.code(template_editor.diff(row), language="diff")
