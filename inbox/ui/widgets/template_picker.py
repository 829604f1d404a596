"""The composer's template picker: the templates for this reply, the conversation's language first and,
within it, those written for its contact reason; their fill-in fields; a template put into the draft.

Order and search are ``replies.composer.search``'s; this module keeps the choice in session state.
"""

from __future__ import annotations

import streamlit as st

from inbox.desk.actions import ConversationView
from inbox.i18n import _
from inbox.replies import composer
from inbox.replies.variable_labels import variable
from inbox.ui.common import md_escape, templates
from inbox.ui.labels import REASON, label
from inbox.ui.widgets.composer_keys import Keys


def apply(k: Keys, known: dict[str, str]) -> None:
    """Put the chosen template into the draft, filled with what is known and what the agent typed."""
    files = templates()
    name = st.session_state.get(k.template)
    tpl = files.get(name) if isinstance(files, composer.TemplatesFile) and name else None
    if tpl is None:
        return
    values = {**known}
    for var in composer.variables(tpl.text):
        typed = st.session_state.get(k.var(var))
        if typed is None:
            st.session_state[k.var(var)] = known.get(var, "")
        elif typed.strip():
            values[var] = typed
    st.session_state[k.draft] = composer.render(tpl.text, values)


def use(k: Keys, name: str, known: dict[str, str]) -> None:
    """A public reply from template ``name`` (a button's callback)."""
    st.session_state[k.mode], st.session_state[k.template] = "public", name
    apply(k, known)


def _title(t: composer.Template, reason: str | None) -> str:
    title = f"{t.title} · {t.language.upper()}"
    return f"{title} · {label(REASON, reason)}" if reason and reason in t.reasons else title


def picker(k: Keys, view: ConversationView, mode: str, known: dict[str, str]) -> None:
    files = templates()
    if isinstance(files, str):
        st.warning(_("Templates unavailable: {error}").format(error=files))
        return
    conv = view.conversation
    found = composer.search(files.templates, "", visibility=mode, language=conv.language, reason=conv.reason)
    names = [t.name for t in found if t.whatsapp_template is None]  # those are offered outside the window
    titles = {t.name: _title(t, conv.reason) for t in found}
    current = st.session_state.get(k.template)
    if current is not None and current not in names:  # e.g. a public template after switching to private
        st.session_state[k.template] = None
    st.selectbox(
        _("Template"),
        names,
        index=None,
        key=k.template,
        format_func=lambda n: titles.get(n, n),
        placeholder=_("Type to search templates…"),
        on_change=apply,
        args=(k, known),
    )
    tpl = files.get(st.session_state.get(k.template) or "")
    if tpl is None:
        return
    fill = [v for v in composer.variables(tpl.text)]
    if fill:
        cols = st.columns(min(len(fill), 4))
        for i, var in enumerate(fill):
            name = variable(var)
            label = name if known.get(var) else _("{name} (fill in)").format(name=name)
            cols[i % len(cols)].text_input(label, key=k.var(var), on_change=apply, args=(k, known))
    st.caption(_("Template owner: {owner}").format(owner=md_escape(tpl.owner)))
    if mode == "public" and tpl.continue_in_dm:
        target = files.get(tpl.continue_in_dm)
        st.session_state[k.continue_dm] = tpl.continue_in_dm
        st.checkbox(
            _("Then continue in DM with “{title}”").format(
                title=target.title if target else tpl.continue_in_dm
            ),
            key=k.continue_check,
            value=True,
        )
