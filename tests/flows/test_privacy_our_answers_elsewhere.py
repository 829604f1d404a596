"""Our answer to a customer in someone else's thread (she wrote under another customer's post, we answered her
there) is ours to her: ``inbox privacy export`` gives it with her message, and ``inbox privacy erase`` takes
its words with hers. Before, only our messages in her own conversations were hers: an answer that did not
name her ("Sorry, we will refund the 40 euros on order 5521") was in neither the export nor the erasure.
Real listener on the X sandbox; the other customer's messages and our answers to him stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.store.tables import Message
from tests.support.privacy_flows import cli_on, inbox, listen_once

BOBS = "@AcmeCare unicornfish: my parcel arrived broken"
TO_BOB = "@bobsmith we are sorry, a new one is on its way"
HERS = "@AcmeCare @bobsmith zebracorn: same here, order 5521"
TO_HER = "Sorry to hear that, we will refund the 40 euros on order 5521"


@pytest.fixture
def joined(
    tmp_path: Path,
    db_url: str,
    engine: Engine,
    sandbox: XSandbox,
    x_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = cli_on(sandbox, tmp_path, db_url, monkeypatch)
    sandbox.add_user("janedoe77", name="Jane Doe")
    at = [datetime.now(UTC) - timedelta(minutes=10) + timedelta(seconds=30 * i) for i in range(4)]
    root = sandbox.add_mention(BOBS, author="bobsmith", created_at=at[0])
    sandbox.add_mention(TO_BOB, author="AcmeCare", in_reply_to=root, created_at=at[1])
    hers = sandbox.add_mention(HERS, author="janedoe77", in_reply_to=root, created_at=at[2])
    sandbox.add_mention(TO_HER, author="AcmeCare", in_reply_to=hers, created_at=at[3])
    listen_once(db_url, config, x_env, "--no-automation")
    with Session(engine) as s:
        stored = {m.text: m for m in s.exec(select(Message)).all()}
    assert stored[HERS].conversation_id == stored[TO_HER].conversation_id == stored[BOBS].conversation_id


def test_the_export_gives_our_answer_to_her_in_anothers_thread(
    joined: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = inbox(capsys, "privacy", "export", "--contact", "x-acme:janedoe77", "--reason", "DSAR")
    assert code == 0, err
    record = json.loads(out)
    [conv] = record["conversations"]
    assert not conv["theirs"]
    assert sorted(m["text"] for m in conv["messages"]) == sorted([HERS, TO_HER])  # bob's and ours to him out


def test_the_erasure_takes_our_answer_to_her_and_leaves_bobs(
    joined: None, engine: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = inbox(
        capsys, "privacy", "erase", "--contact", "x-acme:janedoe77", "--reason", "r", "--yes"
    )
    assert code == 0, err
    with Session(engine) as s:
        texts = sorted(m.text for m in s.exec(select(Message)).all())
    assert "refund the 40 euros" not in " ".join(texts)
    assert texts == sorted([BOBS, TO_BOB, "[erased]", "[erased]"])
