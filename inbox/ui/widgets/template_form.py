"""The Templates page's editor (managers): a new template, or one to edit, checked then saved to the file.

"Check" shows what the save would refuse and the warnings without saving; "Save" saves when nothing is
refused (``inbox.replies.template_editor``). The form remembers the file it read, so another manager's save
meanwhile is never overwritten.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from inbox.config.loader import ConfigError
from inbox.i18n import N_, _
from inbox.replies import template_editor
from inbox.replies.composer import KNOWN_VARIABLES, Template, TemplatesFile
from inbox.replies.template_checks import check
from inbox.replies.template_editor import StaleTemplates, TemplateRefused
from inbox.store.tables import User
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import config_dir, language_detector, now, transaction
from inbox.ui.labels import REASON, label
from inbox.ui.widgets import classification_panel

EDITING = "tpl-editing"  # the name of the template being edited, or NEW
NEW = "\x00new"
BASED_ON = "tpl-based-on"
VISIBILITIES = {"public": N_("Public"), "private": N_("Private DM"), "any": N_("Public or private")}


def start(name: str | None) -> None:
    """Open the editor on template ``name`` (None: a new one), remembering the file as it is now."""
    st.session_state[EDITING] = NEW if name is None else name
    st.session_state[BASED_ON] = template_editor.digest(template_editor.read_text(config_dir()))
    for key in [k for k in st.session_state if str(k).startswith("tpl-f-")]:
        del st.session_state[key]


def close() -> None:
    st.session_state.pop(EDITING, None)


def editing() -> str | None:
    """The name being edited (``NEW`` for a new template), or None when the editor is closed."""
    value = st.session_state.get(EDITING)
    return str(value) if value is not None else None


def _fields(original: Template | None, files: TemplatesFile) -> dict[str, Any]:
    o = original
    top = st.columns([1, 2])
    name = top[0].text_input(
        _("Name (unique id)"),
        value=o.name if o else "",
        key="tpl-f-name",
        disabled=o is not None,
        help=_("Lower-case letters, digits, - or _. It cannot change once saved."),
    )
    title = top[1].text_input(_("Title agents search"), value=o.title if o else "", key="tpl-f-title")
    mid = st.columns(3)
    language = mid[0].text_input(
        _("Language (two letters)"), value=o.language if o else "fr", key="tpl-f-lang"
    )
    vis = list(VISIBILITIES)
    visibility = mid[1].selectbox(
        _("For"),
        vis,
        index=vis.index(o.visibility) if o else 0,
        format_func=lambda v: _(VISIBILITIES[v]),
        key=relabel.redraw("tpl-f-vis"),
        placeholder=streamlit_words.choose(),
    )
    owner = mid[2].text_input(_("Owner"), value=o.owner if o else "", key="tpl-f-owner")
    text = st.text_area(
        _("Text"),
        value=o.text if o else "",
        key="tpl-f-text",
        height=140,
        help=_("Filled in by the inbox: {known}. Any other {{variable}} is a field agents fill in.").format(
            known=", ".join("{" + v + "}" for v in KNOWN_VARIABLES)
        ),
    )
    low = st.columns(2)
    tags = low[0].text_input(
        _("Search words (comma-separated)"), value=", ".join(o.tags) if o else "", key="tpl-f-tags"
    )
    private = [""] + [t.name for t in files.templates if t.visibility == "private" and not t.retired]
    current = o.continue_in_dm if o and o.continue_in_dm in private else ""
    then = low[1].selectbox(
        _("Then continue in DM with"),
        private,
        index=private.index(current or ""),
        format_func=lambda n: n or _("(none)"),
        key=relabel.redraw("tpl-f-then"),
        placeholder=streamlit_words.choose(),
    )
    had = list(o.reasons) if o else []
    taxonomy = classification_panel.reasons()
    reasons = st.multiselect(
        _("Contact reasons it answers"),
        [*taxonomy, *(r for r in had if r not in taxonomy)],  # a reason since removed stays visible
        default=had,
        format_func=lambda r: label(REASON, r),
        key=relabel.redraw("tpl-f-reasons"),
        placeholder=streamlit_words.choose(),
        select_all=False,  # Streamlit's English "Select all"
        help=_("The composer offers it first, in its language, for conversations with one of these reasons."),
    )
    fields: dict[str, Any] = {**(o.model_dump() if o else {})}
    fields.update(
        name=name.strip(),
        title=title.strip(),
        language=language.strip().lower(),
        visibility=visibility,
        owner=owner.strip(),
        text=text,
        tags=[t.strip() for t in tags.split(",") if t.strip()],
        continue_in_dm=then or None,
        reasons=list(reasons),
    )
    return fields


def form(user: User, files: TemplatesFile, original: Template | None) -> None:
    """The editor, inside a bordered box."""
    with st.container(border=True):
        st.subheader(_("Edit {name}").format(name=original.name) if original else _("New template"))
        if original is not None and original.whatsapp_template is not None:
            st.caption(_("Its approved WhatsApp template (name, parameters) is kept; change it in the file."))
        with st.form("tpl-form", border=False):
            fields = _fields(original, files)
            comment = st.text_input(_("Why (kept in the history)"), key="tpl-f-comment")
            cols = st.columns([1, 1, 4])
            checking = cols[0].form_submit_button(_("Check"), icon=":material/rule:")
            saving = cols[1].form_submit_button(_("Save"), type="primary", icon=":material/save:")
        if st.button(_("Cancel"), key="tpl-cancel", type="tertiary"):
            close()
            st.rerun()
        if checking or saving:
            _submit(user, files, original, fields, comment, save=saving)


def _submit(
    user: User,
    files: TemplatesFile,
    original: Template | None,
    fields: dict[str, Any],
    comment: str,
    *,
    save: bool,
) -> None:
    checked = check(fields, files, original=original.name if original else None, detect=language_detector())
    for error in checked.errors:
        st.error(error, icon=":material/block:")
    for warning in checked.warnings:
        st.warning(warning, icon=":material/info:")
    if not save or checked.errors:
        if not checked.errors:
            st.success(_("Nothing stops this template: save it when ready."))
        return
    try:
        with transaction() as session:
            row = template_editor.save(
                session,
                config_dir(),
                fields,
                original=original.name if original else None,
                by=user,
                comment=comment,
                now=now(),
                based_on=st.session_state.get(BASED_ON, ""),
            )
    except StaleTemplates:
        st.error(
            _(
                "The templates file changed since you opened this form (another manager's save, or a hand "
                "edit). Cancel, open the template again and redo your change."
            )
        )
        return
    except (TemplateRefused, ConfigError) as exc:
        st.error(str(exc))
        return
    close()
    st.session_state["tpl-flash"] = _("Saved as version {id}: agents see it within 30 seconds.").format(
        id=row.id
    )
    st.rerun()
