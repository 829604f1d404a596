"""The Streamlit entry: the frame, sign-in gate and navigation. Pages live in inbox/ui/."""

from pathlib import Path

import streamlit as st

from inbox.access import ROLE_LABELS, can
from inbox.i18n import _
from inbox.ui import identity, language, session_cookie
from inbox.ui.common import md_escape
from inbox.ui.widgets import notification_bell, shortcuts

SIGN_IN = "inbox/ui/pages/sign_in.py"
# Addresses a link may open (escalation alerts link to /conversation?id=N), one per page file: signed out,
# each shows the sign-in page and keeps the address, so the page asked for opens once signed in.
PAGE_FILES = Path(__file__).parent / "inbox" / "ui" / "pages"
DEEP_LINKS = sorted(p.stem for p in PAGE_FILES.glob("*.py") if p.stem not in ("__init__", "sign_in", "queue"))
# The tab's icon, inline (a data: URL): a ":material/…" icon would be fetched from Google on every page load
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path fill="#c8374a" d="M5 3h22a3 3 0 0 1 3 '
    '3v14a3 3 0 0 1-3 3H13l-7 6v-6H5a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3z"/><path fill="#fff" d="M8 9h16v2H8zm0 '
    '5h11v2H8z"/></svg>'
)

identity.adopt()  # back from the team's identity provider (st.login), when it is offered
user = session_cookie.signed_in_user()
language.apply(user)
st.set_page_config(page_title=_("Social-care inbox"), page_icon=FAVICON, layout="wide")
if user is None:
    session_cookie.write()
    sign_in = [st.Page(SIGN_IN, title=_("Sign in"), icon=":material/login:", default=True)]
    sign_in += [st.Page(SIGN_IN, title=_("Sign in"), url_path=path) for path in DEEP_LINKS]
    st.navigation(sign_in, position="hidden").run()
    st.stop()

pages = [
    st.Page("inbox/ui/pages/queue.py", title=_("Queue"), icon=":material/inbox:", default=True),
    st.Page("inbox/ui/pages/conversation.py", title=_("Conversation"), icon=":material/forum:"),
    st.Page("inbox/ui/pages/templates.py", title=_("Templates"), icon=":material/article:"),
    st.Page("inbox/ui/pages/my_figures.py", title=_("My figures"), icon=":material/insights:"),
]
if can(user.role, "distribute"):
    pages.append(st.Page("inbox/ui/pages/team.py", title=_("Team"), icon=":material/group:"))
    pages.append(st.Page("inbox/ui/pages/dashboard.py", title=_("Dashboard"), icon=":material/monitoring:"))
if can(user.role, "incidents"):
    pages.append(st.Page("inbox/ui/pages/incidents.py", title=_("Incidents"), icon=":material/crisis_alert:"))
if can(user.role, "audit"):
    pages.append(st.Page("inbox/ui/pages/audit.py", title=_("Audit log"), icon=":material/policy:"))
if can(user.role, "templates"):
    pages.append(st.Page("inbox/ui/pages/charter.py", title=_("Charter"), icon=":material/gavel:"))
if can(user.role, "channels"):
    pages.append(
        st.Page("inbox/ui/pages/channels.py", title=_("Channels"), icon=":material/settings_input_antenna:")
    )
with st.sidebar:
    st.markdown(f"**{md_escape(user.display_name or user.name)}**")
    st.caption(
        _("{role} · signed in as {name}").format(
            role=_(ROLE_LABELS.get(user.role, user.role)), name=md_escape(user.name)
        )
    )
    language.picker(user)
    notification_bell.sidebar(user)  # notifications: browser pop-ups, tab title count, sound (#17.6)
    shortcuts.install()  # keyboard shortcuts and their help overlay, "?" (#17.7)
    if st.button(_("Sign out"), icon=":material/logout:", key="sign-out"):
        session_cookie.sign_out(user)
        identity.sign_out()  # and out of the identity provider's session in this browser (or just a rerun)
    session_cookie.write()
# everyone's pages, then the managers' and admins' in one menu (no English "4 more" at 1280 px)
work, manage = pages[:4], pages[4:]
st.navigation({"": work, _("Management"): manage} if manage else work, position="top").run()
