"""The Streamlit entry: the frame, sign-in gate and navigation. Pages live in inbox/ui/."""

from pathlib import Path

import streamlit as st

from inbox.access import ROLE_LABELS, can
from inbox.i18n import N_, _
from inbox.store.tables import User
from inbox.ui import database_down, identity, language, session_cookie, streamlit_words
from inbox.ui.common import md_escape
from inbox.ui.widgets import availability, my_password, not_allowed, not_found, notification_bell, shortcuts

SIGN_IN = "inbox/ui/pages/sign_in.py"
FIRST_PASSWORD = "inbox/ui/pages/first_password.py"  # instead of every page while an admin's password stands
# Addresses a link may open (escalation alerts link to /conversation?id=N), one per page file: signed out,
# each shows the sign-in page and keeps the address, so the page asked for opens once signed in.
PAGE_FILES = Path(__file__).parent / "inbox" / "ui" / "pages"
NOT_LINKS = ("__init__", "sign_in", "queue", "first_password")
DEEP_LINKS = sorted(p.stem for p in PAGE_FILES.glob("*.py") if p.stem not in NOT_LINKS)
# The tab's icon, inline (a data: URL): a ":material/…" icon would be fetched from Google on every page load
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#c8374a" d="M5 3h22a3 3 0 0 1 3 '
    '3v14a3 3 0 0 1-3 3H13l-7 6v-6H5a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3z"/><path fill="#fff" d="M8 9h16v2H8zm0 '
    '5h11v2H8z"/></svg>'
)

# The managers' and admins' pages: (file stem, title, icon, the permission that opens it)
MANAGED = [
    ("team", N_("Team"), ":material/group:", "distribute"),
    ("dashboard", N_("Dashboard"), ":material/monitoring:", "distribute"),
    ("incidents", N_("Incidents"), ":material/crisis_alert:", "incidents"),
    ("audit", N_("Audit log"), ":material/policy:", "audit"),
    ("charter", N_("Charter"), ":material/gavel:", "templates"),
    ("channels", N_("Channels"), ":material/settings_input_antenna:", "channels"),
]


def sign_out_button(user: User) -> None:
    if st.button(_("Sign out"), icon=":material/logout:", key="sign-out"):
        session_cookie.sign_out(user)
        identity.sign_out()  # and out of the identity provider's session in this browser (or just a rerun)


# a lost database is one sentence, then the page again by itself (never a traceback)
with database_down.guard():
    identity.adopt()  # back from the team's identity provider (st.login), when it is offered
    user = session_cookie.signed_in_user()
    language.apply(user)
    st.set_page_config(page_title=_("Social-care inbox"), page_icon=FAVICON, layout="wide")
    streamlit_words.hide_hints()  # no English "Press Enter to apply" under the fields
    if user is None:
        session_cookie.write()
        sign_in = [st.Page(SIGN_IN, title=_("Sign in"), icon=":material/login:", default=True)]
        sign_in += [st.Page(SIGN_IN, title=_("Sign in"), url_path=path) for path in DEEP_LINKS]
        sign_in += [  # an unknown address is kept through the sign-in, then said not found
            st.Page(SIGN_IN, title=_("Sign in"), url_path=path)
            for path in not_found.unknown_addresses(sign_in)
        ]
        shown = st.navigation(sign_in, position="hidden")
        identity.remember(shown.url_path, DEEP_LINKS)  # kept across the identity provider's round trip
        shown.run()
        st.stop()

    if user.must_change_password and not identity.through_provider():
        with st.sidebar:
            st.markdown(f"**{md_escape(user.display_name or user.name)}**")
            sign_out_button(user)
            session_cookie.write()
        chooses = _("Choose your password")
        first = [st.Page(FIRST_PASSWORD, title=chooses, icon=":material/key:", default=True)]
        first += [st.Page(FIRST_PASSWORD, title=chooses, url_path=path) for path in DEEP_LINKS]
        first += [
            st.Page(FIRST_PASSWORD, title=_("Choose your password"), url_path=path)
            for path in not_found.unknown_addresses(first)
        ]
        st.navigation(first, position="hidden").run()
        st.stop()

    work = [
        st.Page("inbox/ui/pages/queue.py", title=_("Queue"), icon=":material/inbox:", default=True),
        st.Page("inbox/ui/pages/conversation.py", title=_("Conversation"), icon=":material/forum:"),
        st.Page("inbox/ui/pages/templates.py", title=_("Templates"), icon=":material/article:"),
        st.Page("inbox/ui/pages/my_figures.py", title=_("My figures"), icon=":material/insights:"),
    ]
    manage = [
        st.Page(f"inbox/ui/pages/{stem}.py", title=_(title), icon=icon)
        for stem, title, icon, permission in MANAGED
        if can(user.role, permission)
    ]
    # the others' addresses (an agent at /dashboard): hidden pages saying who may open them, with a way back
    work += [
        not_allowed.page(stem, _(title), perm)
        for stem, title, _icon, perm in MANAGED
        if not can(user.role, perm)
    ]
    # an old bookmark, a mistyped link: said in the user's language (not Streamlit's English dialog)
    work += [not_found.page(path) for path in not_found.unknown_addresses(work + manage)]
    with st.sidebar:
        st.markdown(f"**{md_escape(user.display_name or user.name)}**")
        st.caption(
            _("{role} · signed in as {name}").format(
                role=_(ROLE_LABELS.get(user.role, user.role)), name=md_escape(user.name)
            )
        )
        availability.sidebar(user)  # agents: on a break, nothing is assigned to them
        language.picker(user)
        my_password.sidebar(user)
        notification_bell.sidebar(user)  # notifications: browser pop-ups, tab title count, sound (#17.6)
        shortcuts.install()  # keyboard shortcuts and their help overlay, "?" (#17.7)
        sign_out_button(user)
        session_cookie.write()
    # everyone's pages, then the managers' and admins' in one menu (no English "4 more" at 1280 px)
    shown = st.navigation({"": work, _("Management"): manage} if manage else work, position="top")
    identity.follow(shown, work + manage)  # back from the identity provider: the page asked for signed out
    shown.run()
