"""An X mention or DM that carries a photo, a video or a GIF says so: one with no words is never an empty
message, one with words keeps both (the X sandbox through tweepy, the listener, SQLite)."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.support.clock import Clock


def test_photos_videos_and_gifs_are_said(engine: Engine, sandbox: XSandbox, rt: Runtime) -> None:
    sandbox.add_mention("@AcmeCare look", author="jane", media=("photo", "photo"))
    sandbox.add_dm("", sender="sam", media=("video",))
    sandbox.add_dm("this again", sender="ann", media=("animated_gif",))
    poll_channel(engine, rt, clock=Clock(), due=default_due)
    with Session(engine) as s:
        texts = set(s.exec(select(Message.text)))
    assert texts == {"@AcmeCare look\n[photo]\n[photo]", "[video]", "this again\n[animated_gif]"}
