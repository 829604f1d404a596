"""A plain list of the newest messages, refreshed every few seconds."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session, col, select

from inbox.models import Channel, Message
from inbox.ui.common import engine

st.title("Messages")


@st.fragment(run_every=5)
def newest() -> None:
    with Session(engine()) as session:
        rows = session.exec(
            select(Message, Channel.name)
            .join(Channel, col(Channel.id) == col(Message.channel_id))
            .order_by(col(Message.created_at).desc())
            .limit(100)
        ).all()
    if not rows:
        st.info("No message yet. The listener stores new messages as they arrive.")
        return
    st.dataframe(
        [
            {
                "when": m.created_at,
                "channel": name,
                "direction": m.direction,
                "visibility": m.visibility,
                "author": m.author_handle,
                "text": m.text,
            }
            for m, name in rows
        ],
        hide_index=True,
        use_container_width=True,
    )


newest()
