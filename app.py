"""The Streamlit entry: the frame, sign-in gate and navigation. Pages live in inbox/ui/."""

import streamlit as st

from inbox.desk.auth import ROLE_LABELS, can
from inbox.ui.common import current_user, md_escape, sign_out

st.set_page_config(page_title="Social-care inbox", page_icon=":material/forum:", layout="wide")

user = current_user()
if user is None:
    st.navigation(
        [st.Page("inbox/ui/pages/sign_in.py", title="Sign in", icon=":material/login:")], position="hidden"
    ).run()
    st.stop()

pages = [
    st.Page("inbox/ui/pages/queue.py", title="Queue", icon=":material/inbox:", default=True),
    st.Page("inbox/ui/pages/conversation.py", title="Conversation", icon=":material/forum:"),
    st.Page("inbox/ui/pages/templates.py", title="Templates", icon=":material/article:"),
]
if can(user.role, "distribute"):
    pages.append(st.Page("inbox/ui/pages/team.py", title="Team", icon=":material/group:"))
    pages.append(st.Page("inbox/ui/pages/dashboard.py", title="Dashboard", icon=":material/monitoring:"))
if can(user.role, "templates"):
    pages.append(st.Page("inbox/ui/pages/charter.py", title="Charter", icon=":material/gavel:"))
if can(user.role, "users"):
    pages.append(
        st.Page("inbox/ui/pages/channels.py", title="Channels", icon=":material/settings_input_antenna:")
    )
with st.sidebar:
    st.markdown(f"**{md_escape(user.display_name or user.name)}**")
    st.caption(f"{ROLE_LABELS.get(user.role, user.role)} · signed in as {md_escape(user.name)}")
    if st.button("Sign out", icon=":material/logout:", key="sign-out"):
        sign_out(user)
        st.rerun()
st.navigation(pages, position="top").run()
