"""The composer's offer of approved WhatsApp templates (not a page), when free text may not be sent.

Rules live in inbox.replies.platform_templates; this module keeps the choice and the values in session state.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import streamlit as st

from inbox.desk.actions import ConversationView
from inbox.i18n import _
from inbox.replies import composer, platform_templates
from inbox.replies.variable_labels import variable
from inbox.store.tables import User
from inbox.ui import streamlit_words
from inbox.ui.common import md_escape, now, team_zone, templates, transaction


def _key(conv_id: int, name: str) -> str:
    return f"wa-{conv_id}-{name}"


def _values(conv_id: int, template: composer.Template) -> dict[str, str]:
    wa = template.whatsapp_template
    params = wa.parameters if wa else ()
    return {p: str(st.session_state.get(_key(conv_id, f"var-{p}"), "")) for p in params}


def _send(conv_id: int, user: User, name: str, options: Mapping[str, object]) -> None:
    files = templates()
    template = files.get(name) if isinstance(files, composer.TemplatesFile) else None
    if template is None:
        return
    try:
        with transaction() as session:
            platform_templates.send(
                session,
                conv_id,
                user,
                template,
                _values(conv_id, template),
                now=now(),
                idempotency_key=st.session_state.get(_key(conv_id, "idem")),
                channel_options=options,
                zone=team_zone(),  # the refusal's times as the page's others
            )
    except platform_templates.TemplateRefused as exc:
        st.session_state[_key(conv_id, "flash")] = ("error", str(exc))
        return
    st.session_state.pop(_key(conv_id, "idem"), None)
    st.session_state[_key(conv_id, "flash")] = (
        "success",
        _("Template queued: it goes out within seconds."),
    )


def _fields(conv_id: int, template: composer.Template, known: dict[str, str]) -> None:
    wa = template.whatsapp_template
    if wa is None or not wa.parameters:
        return
    cols = st.columns(min(len(wa.parameters), 3))
    for i, param in enumerate(wa.parameters):
        key = _key(conv_id, f"var-{param}")
        if key not in st.session_state:
            st.session_state[key] = known.get(param, "")
        cols[i % len(cols)].text_input(variable(param), key=key)


def offer(view: ConversationView, user: User, known: dict[str, str], options: Mapping[str, object]) -> None:
    """Pick an approved template, fill its parameters, preview it and send it through the outbox."""
    conv_id = view.conversation.id or 0
    flash = st.session_state.pop(_key(conv_id, "flash"), None)
    if flash:
        getattr(st, flash[0])(flash[1])
    files = templates()
    if isinstance(files, str):
        st.warning(_("Templates unavailable: {error}").format(error=files))
        return
    found = composer.search(
        platform_templates.approved(files.templates),
        "",
        visibility="private",
        language=view.conversation.language,
    )
    if not found:
        st.info(
            _(
                "No approved WhatsApp template is configured: add one with `whatsapp_template` in "
                "config/templates.toml."
            ),
            icon=":material/article:",
        )
        return
    st.caption(_("Outside the window, only a template approved by WhatsApp may be sent:"))
    titles = {t.name: f"{t.title} · {t.language.upper()}" for t in found}
    name = st.selectbox(
        _("Approved template"),
        list(titles),
        key=_key(conv_id, "template"),
        format_func=lambda n: titles[n],
        placeholder=streamlit_words.choose(),
    )
    template = files.get(name or "")
    if template is None or template.whatsapp_template is None:
        return
    _fields(conv_id, template, known)
    filled = platform_templates.fill(template, _values(conv_id, template))
    st.caption(
        _("Preview · {name} ({language})").format(
            name=md_escape(template.whatsapp_template.name), language=template.whatsapp_template.language
        )
    )
    st.text(filled.text, width="stretch")
    if _key(conv_id, "idem") not in st.session_state:
        st.session_state[_key(conv_id, "idem")] = uuid.uuid4().hex
    st.button(
        _("Send template"),
        key=f"send-template-{conv_id}",
        type="primary",
        # not disabled on the fields: their text comes with the click; platform_templates.send refuses a
        # missing value
        on_click=_send,
        args=(conv_id, user, template.name, dict(options)),
        icon=":material/send:",
    )
