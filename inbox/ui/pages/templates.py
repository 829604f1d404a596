"""The templates page: every reply template with its language, visibility and owner, searchable."""

from __future__ import annotations

import streamlit as st

from inbox.desk.auth import can
from inbox.replies import composer
from inbox.ui.common import config_dir, current_user, md_escape, templates

VISIBILITY = {
    "public": ":material/public: Public",
    "private": ":material/lock: Private DM",
    "any": "Public or private",
}


def main() -> None:
    user = current_user()
    assert user is not None
    st.title("Templates")
    files = templates()
    if isinstance(files, str):
        st.error(f"The templates file cannot be loaded:\n\n{files}")
        return
    where = config_dir() / "templates.toml"
    if can(user.role, "templates"):
        st.caption(f"Edit {md_escape(str(where))}; changes are picked up within 30 seconds.")
    query = st.text_input(
        "Search", key="tpl-search", placeholder="Words in the title, tags or text", icon=":material/search:"
    )
    cols = st.columns(2)
    visibility = cols[0].segmented_control(
        "For", ["public", "private"], format_func=lambda v: VISIBILITY[v], key="tpl-vis"
    )
    languages = sorted({t.language for t in files.templates})
    language = cols[1].segmented_control(
        "Language", languages, key="tpl-lang", format_func=lambda v: str(v).upper()
    )
    found = [
        t
        for t in composer.search(files.templates, query or "", visibility=visibility)
        if language in (None, t.language)
    ]
    st.caption(f"{len(found)} template(s)")
    for t in found:
        with st.container(border=True):
            st.markdown(
                f"**{md_escape(t.title)}** :gray-badge[{t.language.upper()}] "
                f":blue-badge[{VISIBILITY[t.visibility]}] :gray[`{t.name}`]"
            )
            st.text(t.text, width="stretch")
            extra = f" · then continues in DM with `{t.continue_in_dm}`" if t.continue_in_dm else ""
            st.caption(f"Owner: {md_escape(t.owner)}{extra}")


main()
