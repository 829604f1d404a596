"""The templates page: every reply template with its language, visibility, owner and use, searchable.

Managers also create, edit, retire and restore templates here (widgets/template_form.py), and see each
template's history with its diffs (widgets/template_history.py); config/templates.toml stays the one source
of truth (inbox.replies.template_editor).
"""

from __future__ import annotations

import streamlit as st

from inbox.access import can
from inbox.config.loader import ConfigError
from inbox.i18n import N_, _, ngettext, number
from inbox.replies import composer, template_editor
from inbox.replies.composer import Template
from inbox.replies.template_editor import StaleTemplates, TemplateRefused, Usage
from inbox.store.tables import User
from inbox.ui.common import (
    charter,
    config_dir,
    current_user,
    local_time,
    md_escape,
    now,
    reading,
    templates,
    transaction,
)
from inbox.ui.labels import REASON, label
from inbox.ui.widgets import confirm, flash, template_form, template_history

VISIBILITY = {
    "public": N_("Public"),
    "private": N_("Private DM"),
    "any": N_("Public or private"),
}
ICONS = {"public": ":material/public: ", "private": ":material/lock: ", "any": ""}


def _visibility(value: str) -> str:
    return ICONS.get(value, "") + (_(VISIBILITY[value]) if value in VISIBILITY else value)


def _usage(used: Usage | None) -> str:
    if used is None or not used.written:
        return _("Not used yet")
    text = ngettext("Sent {n} time", "Sent {n} times", used.sent).format(n=number(used.sent))
    if used.written != used.sent:
        text += " · " + _("{n} written in all").format(n=number(used.written))
    if used.last_at is not None:
        text += " · " + _("last {when}").format(when=local_time(used.last_at))
    return text


def _charter_uses() -> dict[str, str | None]:
    """The templates the charter in force sends (its automatic messages), by charter key."""
    current = charter()
    return dict(current.template_names()) if current is not None else {}


def _retire(user: User, t: Template) -> None:
    digest = template_editor.digest(template_editor.read_text(config_dir()))
    try:
        with transaction() as session:
            template_editor.set_retired(
                session,
                config_dir(),
                t,
                not t.retired,
                by=user,
                comment="",
                now=now(),
                based_on=digest,
                charter_uses=_charter_uses(),
            )
    except (StaleTemplates, TemplateRefused, ConfigError) as exc:
        st.session_state[f"tpl-said-{t.name}"] = (
            "error",
            str(exc) or _("The templates file changed meanwhile: try again."),
        )
        return
    done = (
        _("{name} retired: agents are no longer offered it.")
        if not t.retired
        else _("{name} is back in use.")
    )
    st.session_state[f"tpl-said-{t.name}" if t.retired else "tpl-flash"] = (
        "success",
        done.format(name=t.name),
    )


def _card(t: Template, used: Usage | None, manager: User | None) -> None:
    with st.container(border=True):
        retired = " :red-badge[{}]".format(_("Retired")) if t.retired else ""
        st.markdown(
            f"**{md_escape(t.title)}** :gray-badge[{t.language.upper()}] "
            f":blue-badge[{_visibility(t.visibility)}] :gray[`{t.name}`]{retired}"
            + "".join(f" :violet-badge[{md_escape(label(REASON, r))}]" for r in t.reasons)
        )
        st.text(t.text, width="stretch")
        then = _(" · then continues in DM with `{name}`").format(name=t.continue_in_dm)
        extra = then if t.continue_in_dm else ""
        st.caption(_("Owner: {owner}").format(owner=md_escape(t.owner)) + extra + " · " + _usage(used))
        if manager is None:
            return
        cols = st.columns([1, 1, 5])
        cols[0].button(
            _("Edit"),
            key=f"tpl-edit-{t.name}",
            on_click=template_form.start,
            args=(t.name,),
            icon=":material/edit:",
        )
        retire_key = f"tpl-retire-{t.name}"
        cols[1].button(
            _("Put back in use") if t.retired else _("Retire"),
            key=retire_key,
            on_click=_retire if t.retired else confirm.ask,  # retiring asks first; putting back does not
            args=(manager, t) if t.retired else (retire_key,),
            icon=":material/unarchive:" if t.retired else ":material/archive:",
        )
        confirm.prompt(
            retire_key,
            _("Retire “{title}”? Agents will no longer be offered it (“Retired too” puts it back).").format(
                title=md_escape(t.title)
            ),
            _("Yes, retire it"),
            _retire,
            (manager, t),
        )
        flash.show(f"tpl-said-{t.name}")
        with reading() as session:
            versions = template_editor.history(session, t.name)
        with st.expander(
            ngettext("History: {n} version", "History: {n} versions", len(versions)).format(n=len(versions))
        ):
            template_history.history(versions)


def _flash() -> None:
    flash.show("tpl-flash", icon=":material/check_circle:")
    flash.show("tpl-flash-error", "error")


def main() -> None:
    user = current_user()
    assert user is not None
    st.title(_("Templates"))
    files = templates()
    if isinstance(files, str):
        st.error(_("The templates file cannot be loaded:") + f"\n\n{files}")
        return
    manager = user if can(user.role, "templates") else None
    _flash()
    if manager is not None:
        st.caption(
            _(
                "Each change is kept in the template's history, with who made it; "
                "agents see it within 30 seconds."
            )
        )
        editing = template_form.editing()
        if editing is None:
            st.button(
                _("New template"),
                key="tpl-new",
                on_click=template_form.start,
                args=(None,),
                icon=":material/add:",
            )
        else:
            original = None if editing == template_form.NEW else files.get(editing)
            template_form.form(manager, files, original)
    query = st.text_input(
        _("Search"),
        key="tpl-search",
        placeholder=_("Words in the title, tags or text"),
        icon=":material/search:",
    )
    cols = st.columns([2, 2, 1])
    visibility = cols[0].segmented_control(
        _("For"), ["public", "private"], format_func=_visibility, key="tpl-vis"
    )
    languages = sorted({t.language for t in files.templates})
    language = cols[1].segmented_control(
        _("Language"), languages, key="tpl-lang", format_func=lambda v: str(v).upper()
    )
    show_retired = cols[2].toggle(_("Retired too"), key="tpl-retired")
    found = [
        t
        for t in composer.search(files.templates, query or "", visibility=visibility, retired=show_retired)
        if language in (None, t.language)
    ]
    with reading() as session:
        usage = template_editor.usage(session)
    st.caption(ngettext("{n} template", "{n} templates", len(found)).format(n=len(found)))
    for t in found:
        _card(t, usage.get(t.name), manager)


main()
