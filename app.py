"""The Streamlit entry: the frame and the navigation. Pages live in inbox/ui/."""

import streamlit as st

st.set_page_config(page_title="Social-care inbox", page_icon="💬", layout="wide")
st.navigation(
    [
        st.Page("inbox/ui/messages.py", title="Messages", icon="📨", default=True),
    ]
).run()
