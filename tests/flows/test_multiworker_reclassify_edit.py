"""`inbox reclassify` running while a listener stores a customer's edit of a message it is classifying.

The reclassification (here of messages stored while classification was off, ``inbox webhooks --no-nlp``)
read the message's old words, classified them, and wrote that classification over the one the listener had
just stored for the new words: the edited message said what the old words said (calm, for a furious
customer), until the next reclassification. On PostgreSQL the messages of a batch are now held while
it classifies them: the edit waits, then lands on top with its own classification.

Real parts: the X sandbox (an edit read as a new version), tweepy, the packaged classifier, PostgreSQL.
SQLite takes one writer at a time and does not let the two interleave: PostgreSQL run only.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.jobs.reclassify import reclassify_batch
from inbox.nlp.types import Classification
from inbox.store.tables import Message
from tests.conftest import ROOT

CALM = "@AcmeCare thanks for the info, have a nice day"
ANGRY = "@AcmeCare URGENT my account was hacked and money stolen, this is a disgrace, I am furious"


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def _poll(engine: Engine, rt: Runtime, classifier: Any | None) -> None:
    poll_channel(engine, rt, clock=lambda: datetime.now(UTC), due=default_due, classifier=classifier)


def test_an_edit_stored_during_a_reclassification_keeps_its_own_classification(
    engine: Engine, sandbox: XSandbox, rt: Runtime, classifier: Any
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL run only: SQLite never interleaves two writers")
    (calm,), (angry,) = classifier.classify([CALM]), classifier.classify([ANGRY])
    assert (calm.urgency, calm.sentiment) != (angry.urgency, angry.sentiment), "the test needs two outcomes"
    first = sandbox.add_mention(CALM, author="jane")
    _poll(engine, rt, None)  # stored unclassified
    loaded, go = threading.Event(), threading.Event()

    def slow_classify(texts: list[str], followers: Sequence[int | None] = ()) -> Sequence[Classification]:
        loaded.set()  # the batch read the old words
        go.wait(timeout=30)
        return list(classifier.classify(texts, followers=followers))

    batch = threading.Thread(target=reclassify_batch, args=(engine, slow_classify, 0, 100))
    batch.start()
    assert loaded.wait(timeout=30)
    sandbox.edit_tweet(first, ANGRY)
    edit = threading.Thread(target=_poll, args=(engine, rt, classifier))  # the listener reads the edit
    edit.start()
    edit.join(timeout=3)  # stored at once before; now it waits for the batch
    go.set()
    batch.join(timeout=60)
    edit.join(timeout=60)
    with Session(engine) as s:
        message = s.exec(select(Message).where(Message.direction == "in")).one()
    assert message.text == ANGRY
    assert (message.urgency, message.sentiment) == (angry.urgency, angry.sentiment), "the old words' verdict"
