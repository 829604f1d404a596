"""Keyword listening on X recent search: hits become listening items, never own posts or retweets."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.tables import Conversation, Message
from tests.support.x_channel import poll, x_runtime


def test_search_streams_store_keyword_hits_as_listening_items(
    engine: Engine, x_env: dict[str, str], sandbox: XSandbox
) -> None:
    hit = sandbox.add_post("my Acme router keeps dropping wifi", author="nina", lang="en")
    other = sandbox.add_post("#AcmeFibre est en panne depuis ce matin", author="remi", lang="fr")
    sandbox.add_post("Acme router firmware 2.1 is out", author="AcmeCare")  # the brand's own post
    sandbox.add_post("nothing to see here", author="zoe")
    sandbox.add_mention("RT hit", author="yan", retweet_of=hit)
    rt = x_runtime(sandbox, page_size=10, listening=["Acme router", "#AcmeFibre"])
    assert rt.connector.streams == ("mentions", "dms", "search:Acme router", "search:#AcmeFibre")

    reports = poll(engine, rt)
    assert not any(r.error for r in reports.values())
    with Session(engine) as s:
        rows = s.exec(
            select(Message.platform_id, Message.kind, Conversation.visibility).join(Conversation)
        ).all()
    assert sorted(rows) == sorted([(hit, "listening", "public"), (other, "listening", "public")])

    later = sandbox.add_post("second Acme router complaint", author="olga")
    poll(engine, rt)
    with Session(engine) as s:
        ids = sorted(s.exec(select(Message.platform_id)).all())
    assert ids == sorted([hit, other, later])  # since_id: nothing twice, the new hit once


def test_an_unconfigured_search_stream_is_refused(x_env: dict[str, str], sandbox: XSandbox) -> None:
    rt = x_runtime(sandbox, page_size=10, listening=["Acme"])
    with pytest.raises(ValueError, match="search:other"):
        rt.connector.fetch("search:other", None)
