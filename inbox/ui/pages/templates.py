"""The templates page: every reply template with its language, visibility and owner, searchable."""

from __future__ import annotations

import streamlit as st

from inbox.access import can
from inbox.i18n import N_, _, ngettext
from inbox.replies import composer
from inbox.ui.common import config_dir, current_user, md_escape, templates

VISIBILITY = {
    "public": N_("Public"),
    "private": N_("Private DM"),
    "any": N_("Public or private"),
}
ICONS = {"public": ":material/public: ", "private": ":material/lock: ", "any": ""}


def _visibility(value: str) -> str:
    return ICONS.get(value, "") + (_(VISIBILITY[value]) if value in VISIBILITY else value)


def main() -> None:
    user = current_user()
    assert user is not None
    st.title(_("Templates"))
    files = templates()
    if isinstance(files, str):
        st.error(_("The templates file cannot be loaded:") + f"\n\n{files}")
        return
    where = config_dir() / "templates.toml"
    if can(user.role, "templates"):
        st.caption(
            _("Edit {file}; changes are picked up within 30 seconds.").format(file=md_escape(str(where)))
        )
    query = st.text_input(
        _("Search"),
        key="tpl-search",
        placeholder=_("Words in the title, tags or text"),
        icon=":material/search:",
    )
    cols = st.columns(2)
    visibility = cols[0].segmented_control(
        _("For"), ["public", "private"], format_func=_visibility, key="tpl-vis"
    )
    languages = sorted({t.language for t in files.templates})
    language = cols[1].segmented_control(
        _("Language"), languages, key="tpl-lang", format_func=lambda v: str(v).upper()
    )
    found = [
        t
        for t in composer.search(files.templates, query or "", visibility=visibility)
        if language in (None, t.language)
    ]
    st.caption(ngettext("{n} template", "{n} templates", len(found)).format(n=len(found)))
    for t in found:
        with st.container(border=True):
            st.markdown(
                f"**{md_escape(t.title)}** :gray-badge[{t.language.upper()}] "
                f":blue-badge[{_visibility(t.visibility)}] :gray[`{t.name}`]"
            )
            st.text(t.text, width="stretch")
            then = _(" · then continues in DM with `{name}`").format(name=t.continue_in_dm)
            extra = then if t.continue_in_dm else ""
            st.caption(_("Owner: {owner}").format(owner=md_escape(t.owner)) + extra)


main()
