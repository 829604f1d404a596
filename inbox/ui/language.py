"""The language of the screens: the user's; else the browser's (with ``[ui] follow_browser``), else the
charter's default; the browser's before sign-in.

``apply`` runs at the top of every run (app.py) and binds ``inbox.i18n`` to it; callbacks, which run before
the script, read it back from the session through the fallback registered here. Changing it needs no restart.
"""

from __future__ import annotations

import streamlit as st

from inbox import i18n
from inbox.desk import preferences
from inbox.i18n import _
from inbox.store.tables import User
from inbox.ui import relabel, streamlit_words
from inbox.ui.common import charter, current_user, transaction

KEY = "ui-language"
_DEFAULT = "default"  # the picker's value for "the team's default" (User.language NULL)


def _session_language() -> str | None:
    try:
        value = st.session_state.get(KEY)
    except Exception:  # outside a Streamlit script run: no session to ask
        return None
    return value if isinstance(value, str) else None


def team_default() -> str:
    c = charter()
    return c.ui.default_language if c else i18n.DEFAULT


def _follows_browser() -> bool:
    c = charter()
    return bool(c and c.ui.follow_browser)


def automatic() -> str:
    """The language of a signed-in user who has not chosen one."""
    return (browser_language() if _follows_browser() else None) or team_default()


def browser_language() -> str | None:
    """The browser's language (navigator.language, else the Accept-Language header), if we have it."""
    code = i18n.supported(st.context.locale)
    if code:
        return code
    return i18n.from_accept_language(st.context.headers.get("Accept-Language"))


def apply(user: User | None) -> str:
    """Bind this run to the user's language (signed out: the browser's), remember it for callbacks."""
    if user is not None:
        code = i18n.supported(user.language) or automatic()
    else:
        code = browser_language() or team_default()
    i18n.set_fallback(_session_language)
    i18n.set_language(code)
    if _session_language() not in (None, code):  # e.g. the team's default changed: draw the boxes anew
        relabel.after_switch()
    st.session_state[KEY] = code
    return code


def _label(code: str, *, own: bool) -> str:
    if code != _DEFAULT:
        return i18n.LANGUAGES[code]
    if not _follows_browser():
        return _("Team default ({language})").format(language=i18n.LANGUAGES[team_default()])
    if own:  # what this browser gives now
        return _("Automatic ({language})").format(language=i18n.LANGUAGES[automatic()])
    return _("Their browser's, else {language}").format(language=i18n.LANGUAGES[team_default()])


def _save(user_id: int, key: str) -> None:
    actor = current_user()
    if actor is None:
        return
    chosen = st.session_state.get(key)
    language = None if chosen in (None, _DEFAULT) else str(chosen)
    try:
        with transaction() as session:
            preferences.set_language(session, user_id, language, by=actor.name, by_role=actor.role)
    except preferences.PreferenceError as exc:
        st.session_state["language-problem"] = str(exc)
        return
    if user_id == actor.id:  # the next run shows the new language at once
        st.session_state[KEY] = language or automatic()
        i18n.set_language(st.session_state[KEY])
        relabel.after_switch()


def picker(user: User, *, key: str = "my-language", label: str | None = None) -> None:
    """A language select box for ``user`` (the signed-in user's own in the sidebar, anyone's for admins)."""
    assert user.id is not None
    actor = current_user()
    own = actor is not None and actor.id == user.id
    options = [_DEFAULT, *i18n.LANGUAGES]
    current = user.language if user.language in i18n.LANGUAGES else _DEFAULT
    st.selectbox(
        label or _("Screen language"),  # not "Language": the queue filters the customers' language
        options,
        index=options.index(current),
        format_func=lambda code: _label(code, own=own),
        placeholder=streamlit_words.choose(),
        key=relabel.redraw(key),
        on_change=_save,
        args=(user.id, key),
    )
    problem = st.session_state.pop("language-problem", None)
    if problem:
        st.error(problem)


def admin_form(users: list[User]) -> None:
    """For admins: set anyone's language."""
    with st.expander(_("Language of a user")):
        by_id = {u.id: u for u in users if u.id is not None}
        chosen = st.selectbox(
            _("User"),
            list(by_id),
            format_func=lambda i: by_id[i].display_name or by_id[i].name,
            placeholder=streamlit_words.choose(),
            key="lang-user",
        )
        if chosen is not None:
            picker(by_id[chosen], key=f"language-of-{chosen}", label=_("Their language"))
