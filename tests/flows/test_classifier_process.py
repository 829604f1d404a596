"""The classifier in its own process (``inbox backfill`` classifies a page there while storing the previous
one): the same results as in process, handed over by text, and a child that never outlives its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from connectors.sandbox.x.server import XSandbox
from inbox.charter.deadlines import default_due
from inbox.ingest.backfill import backfill_stream
from inbox.nlp.process import ClassifierError, ClassifierProcess, Preclassified
from inbox.store.tables import Message
from tests.conftest import BRAND_ID, ROOT
from tests.support.eventually import eventually
from tests.support.x_channel import x_runtime

TEXTS = [
    "@AcmeCare my card was charged twice, call me on 06 12 34 56 78!!",
    "Bonjour, ma commande n'est toujours pas arrivée, c'est inadmissible",
    "thanks, all sorted now :)",
    "",
    "Le site est en panne depuis ce matin, je ne peux plus payer",
]
FOLLOWERS: list[int | None] = [12, None, 250_000, None, 40]


@pytest.fixture(scope="module")
def in_process() -> Any:
    from inbox.nlp import load_classifier

    return load_classifier(ROOT / "config")


@pytest.fixture(scope="module")
def child() -> Iterator[ClassifierProcess]:
    with ClassifierProcess(ROOT / "config") as proc:
        proc.ready()
        yield proc


def test_the_child_classifies_as_the_parent_would(child: ClassifierProcess, in_process: Any) -> None:
    assert child.submit(TEXTS, FOLLOWERS).result() == in_process.classify(TEXTS, followers=FOLLOWERS)


def test_preclassified_answers_by_text_and_reach(child: ClassifierProcess, in_process: Any) -> None:
    made = Preclassified(TEXTS, FOLLOWERS, child.submit(TEXTS, FOLLOWERS).result())
    subset = [TEXTS[4], TEXTS[0]]
    assert made.classify(subset, followers=[40, 12]) == in_process.classify(subset, followers=[40, 12])
    with pytest.raises(LookupError, match="not classified beforehand"):
        made.classify([TEXTS[0]], followers=[13])  # another reach may change the urgency


def test_a_model_that_cannot_load_is_reported_with_its_reason(tmp_path: Path) -> None:
    shipped = (ROOT / "config" / "nlp.toml").read_text()
    (tmp_path / "nlp.toml").write_text('model_dir = "no-such-model"\n' + shipped)
    with ClassifierProcess(tmp_path) as broken:
        with pytest.raises(ClassifierError, match="could not load.*model_dir"):
            broken.ready()
        with pytest.raises(ClassifierError, match="could not load"):
            broken.submit(["still there?"], [None]).result(timeout=30)


def test_a_backfill_with_the_classifier_process_stores_the_same_labels(
    engine: Engine, x_env: dict[str, str], child: ClassifierProcess, in_process: Any
) -> None:
    now = datetime.now(UTC)
    with XSandbox(brand_handle="AcmeCare", brand_id=BRAND_ID) as sandbox:
        for n, text in enumerate(TEXTS[:3] * 40):
            at = now - timedelta(hours=120 - n)
            sandbox.add_mention(f"{text} #{n}", author=f"c{n % 7}", created_at=at)
        done = backfill_stream(
            engine,
            x_runtime(sandbox, page_size=5),
            "mentions",
            now - timedelta(days=7),
            clock=lambda: datetime.now(UTC),
            due=default_due,
            ahead=child,
        )
    assert done.new == 120 and done.pages > 1
    with Session(engine) as session:
        stored = session.exec(select(Message).where(Message.direction == "in")).all()
    expected = in_process.classify([m.text for m in stored])
    assert [(m.language, m.sentiment, m.urgency) for m in stored] == [
        (c.language, c.sentiment, c.urgency) for c in expected
    ]
    assert all(m.sentiment is not None for m in stored)


PARENT = """
import sys, time
from pathlib import Path
from inbox.nlp.process import ClassifierProcess
proc = ClassifierProcess(Path(sys.argv[1]))
proc.ready()
print("ready", flush=True)
time.sleep(600)
"""


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc")
def test_the_child_stops_when_its_parent_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(ROOT / "config")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
        descendants = _children(parent.pid)
        assert descendants, "the classifier process was not started"
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        eventually(
            lambda: not [p for p in descendants if _alive(p)],
            timeout=15,
            interval=0.2,
            message=f"the classifier processes {descendants} to stop with their parent",
        )
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=10)
        if parent.stdout is not None:
            parent.stdout.close()
