"""A customer's text with a literal ``\\ud83d`` (an escaped half of an emoji, as pasted from JSON or a log) is
classified and stored like any other, and the page it came in goes on: the classifier decodes literal
``\\uXXXX`` escapes, and a lone surrogate must never reach the language detector or the database."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import CharterDue
from inbox.ingest.channels import Runtime
from inbox.ingest.poll import poll_channel
from inbox.store.tables import Message
from tests.conftest import ROOT
from tests.support.clock import Clock
from tests.support.enforcement import MINUTE, PARIS_SUNDAY_10, charter

ESCAPED = [
    r"@AcmeCare the app crashes again \ud83d\ude21 fix it",  # a whole pair, escaped
    r"@AcmeCare my order never arrived \ud83d",  # half an emoji, cut by whoever copied it
    r"@AcmeCare \udc00 ok",  # a low surrogate alone
]


@pytest.fixture(scope="module")
def classifier() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


def test_literal_surrogate_escapes_do_not_stop_the_page(
    engine: Engine, sandbox: XSandbox, rt: Runtime, classifier: Any
) -> None:
    for n, text in enumerate([*ESCAPED, "@AcmeCare where is my parcel?"]):
        sandbox.add_mention(text, author=f"c{n}", created_at=PARIS_SUNDAY_10 + n * MINUTE, lang="en")
    reports = poll_channel(
        engine,
        rt,
        clock=Clock(PARIS_SUNDAY_10 + 10 * MINUTE),
        due=CharterDue(charter()),
        classifier=classifier,
    )
    assert not [r for r in reports if r.error], [r.error for r in reports]
    with Session(engine) as session:
        stored = session.exec(select(Message.text, Message.language, Message.urgency)).all()
    assert sorted(t for t, _, _ in stored) == sorted([*ESCAPED, "@AcmeCare where is my parcel?"])
    languages = {text: lang for text, lang, _ in stored}
    assert [languages[t] for t in (ESCAPED[0], ESCAPED[1], "@AcmeCare where is my parcel?")] == ["en"] * 3


def test_the_classifier_takes_any_string(classifier: Any) -> None:
    texts = [*ESCAPED, "\ud83d alone", "a \udcff\udcfe from undecodable bytes", "\x00", ""]
    out = classifier.classify(texts)
    assert len(out) == len(texts)
    # the escaped pair reads as the emoji it stands for; half an emoji as nothing at all
    assert out[0] == classifier.classify(["@AcmeCare the app crashes again \U0001f621 fix it"])[0]
    assert out[1] == classifier.classify(["@AcmeCare my order never arrived \ufffd"])[0]


class FailsOn:
    """The real classifier, except that it raises on any batch holding ``word`` (a classifier bug we do
    not know of yet)."""

    def __init__(self, real: Any, word: str) -> None:
        self.real, self.word = real, word

    def classify(self, texts: Any, *, followers: Any = None) -> Any:
        if any(self.word in t for t in texts):
            raise RuntimeError(f"cannot classify a text with {self.word}")
        return self.real.classify(texts, followers=followers)


def test_a_text_the_classifier_fails_on_is_stored_unclassified_and_the_channel_goes_on(
    engine: Engine, sandbox: XSandbox, rt: Runtime, classifier: Any
) -> None:
    texts = ["@AcmeCare my parcel never arrived", "@AcmeCare POISON here", "@AcmeCare app keeps crashing"]
    for n, text in enumerate(texts):
        sandbox.add_mention(text, author=f"c{n}", created_at=PARIS_SUNDAY_10 + n * MINUTE, lang="en")
    sandbox.add_dm("my card was charged twice", sender="d1", created_at=PARIS_SUNDAY_10)
    poll = partial(
        poll_channel,
        engine,
        rt,
        clock=Clock(PARIS_SUNDAY_10 + 10 * MINUTE),
        due=CharterDue(charter()),
        classifier=FailsOn(classifier, "POISON"),
    )
    first = poll()
    assert not [r for r in first if r.error] and sum(r.new for r in first) == 4
    with Session(engine) as session:
        stored = {t: lang for t, lang in session.exec(select(Message.text, Message.language))}
    assert stored == {
        texts[0]: "en",
        texts[1]: None,  # unclassified, not lost: `inbox reclassify` tries again
        texts[2]: "en",
        "my card was charged twice": "en",
    }
    sandbox.add_mention("@AcmeCare still waiting", author="c9", created_at=PARIS_SUNDAY_10 + 5 * MINUTE)
    assert sum(r.new for r in poll()) == 1  # the cursor moved past the page: nothing read twice


class BreaksOnce:
    """The charter's due times, except that the first call fails as a bug would (not the platform's)."""

    def __init__(self, real: Any) -> None:
        self.real, self.calls = real, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == 1:
            raise ZeroDivisionError("a bug")
        return self.real(*args, **kwargs)


def test_one_stream_failing_does_not_stop_the_next(
    engine: Engine, sandbox: XSandbox, rt: Runtime, classifier: Any
) -> None:
    sandbox.add_mention("@AcmeCare my parcel never arrived", author="c1", created_at=PARIS_SUNDAY_10)
    sandbox.add_dm("my card was charged twice", sender="d1", created_at=PARIS_SUNDAY_10)
    reports = poll_channel(
        engine,
        rt,
        clock=Clock(PARIS_SUNDAY_10 + 10 * MINUTE),
        due=BreaksOnce(CharterDue(charter())),
        classifier=classifier,
    )
    by_stream = {r.stream: r for r in reports}
    assert by_stream["mentions"].error == "ZeroDivisionError: a bug" and by_stream["mentions"].new == 0
    assert by_stream["mentions"].fatal  # a person must look: `inbox listen --once` exits 2
    assert by_stream["dms"].error is None and by_stream["dms"].new == 1


def test_a_page_of_one_text_the_classifier_fails_on_is_stored_unclassified(
    engine: Engine, sandbox: XSandbox, rt: Runtime, classifier: Any
) -> None:
    sandbox.add_mention("@AcmeCare POISON alone", author="c1", created_at=PARIS_SUNDAY_10)
    clock, due = Clock(PARIS_SUNDAY_10 + 10 * MINUTE), CharterDue(charter())
    reports = poll_channel(engine, rt, clock=clock, due=due, classifier=FailsOn(classifier, "POISON"))
    assert not [r for r in reports if r.error] and sum(r.new for r in reports) == 1


class Broken:
    """A classifier that fails on everything (its model could not load, say)."""

    def classify(self, texts: Any, *, followers: Any = None) -> Any:
        raise RuntimeError("no model")


def test_a_broken_classifier_stores_nothing_and_the_page_is_read_again(
    engine: Engine, sandbox: XSandbox, rt: Runtime, classifier: Any
) -> None:
    sandbox.add_mention("@AcmeCare my parcel never arrived", author="c1", created_at=PARIS_SUNDAY_10)
    clock, due = Clock(PARIS_SUNDAY_10 + 10 * MINUTE), CharterDue(charter())
    first = {r.stream: r for r in poll_channel(engine, rt, clock=clock, due=due, classifier=Broken())}
    assert first["mentions"].error == "RuntimeError: no model" and first["mentions"].new == 0
    again = {r.stream: r for r in poll_channel(engine, rt, clock=clock, due=due, classifier=classifier)}
    assert again["mentions"].new == 1  # not lost, and classified
    with Session(engine) as session:
        assert session.exec(select(Message.language)).all() == ["en"]
