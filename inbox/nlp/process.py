"""The classifier in a process of its own, so a bulk load uses two cores: one classifies a page while the
other fetches and stores the previous one (``inbox backfill``).

``ClassifierProcess.submit`` returns a Future of the classifications, in order; ``Preclassified`` hands
them to ``ingest_batch`` as if it were the classifier. The child is a plain ``python -m inbox.nlp.worker``
(the same code and model as in process, so the same results) that reads requests on its stdin and answers on
its stdout, one after the other; it stops when its stdin closes, so it never outlives its parent, even one
killed outright.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import inbox
from inbox.nlp.types import Classification

ROOT = Path(inbox.__file__).resolve().parents[1]


def write_frame(stream: IO[bytes], payload: object) -> None:
    """One message: its length (8 bytes) then its pickle. Both ends are this program."""
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next message, or EOFError when the other end has closed."""
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    data = stream.read(int.from_bytes(head, "big"))
    return pickle.loads(data)  # noqa: S301 - written by our own parent or child process


class ClassifierError(RuntimeError):
    """The classifier process failed (its model could not load, say); the message says why."""


class ClassifierProcess:
    """One child process holding the classifier; use as a context manager (the child stops on exit)."""

    def __init__(self, config_dir: Path | None = None) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        args = [sys.executable, "-m", "inbox.nlp.worker"] + ([str(config_dir)] if config_dir else [])
        self._child = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._pending: deque[Future[list[Classification]]] = deque()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._answers, name="classifier-answers", daemon=True)
        self._reader.start()

    def submit(self, texts: Sequence[str], followers: Sequence[int | None]) -> Future[list[Classification]]:
        """Classify in the child; the Future raises ClassifierError when the child failed."""
        future: Future[list[Classification]] = Future()
        assert self._child.stdin is not None
        with self._lock:
            self._pending.append(future)
            try:
                write_frame(self._child.stdin, ("classify", list(texts), list(followers)))
            except (BrokenPipeError, ValueError):
                self._pending.remove(future)
                future.set_exception(ClassifierError("the classifier process has stopped"))
        return future

    def _answers(self) -> None:
        """Resolve the pending Futures in order, as the child answers."""
        assert self._child.stdout is not None
        while True:
            try:
                kind, value = read_frame(self._child.stdout)
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._pending.popleft()
            if kind == "ok":
                future.set_result(value)
            else:
                future.set_exception(ClassifierError(value))
        with self._lock:
            while self._pending:
                self._pending.popleft().set_exception(ClassifierError("the classifier process has stopped"))

    def ready(self) -> None:
        """Wait until the model is loaded and works (the language models load on first use)."""
        self.submit(["ma commande n'est pas arrivée", "my order never arrived"], [None, None]).result()

    def peak_rss_mb(self) -> float:
        """The child's peak resident memory so far, in MB (Linux; for the benchmarks)."""
        for line in Path(f"/proc/{self._child.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise ClassifierError("peak memory not readable")

    def close(self) -> None:
        if self._child.stdin is not None and not self._child.stdin.closed:
            self._child.stdin.close()
        try:
            self._child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
        self._reader.join(timeout=5)
        if self._child.stdout is not None:
            self._child.stdout.close()

    def __enter__(self) -> ClassifierProcess:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class Preclassified:
    """A ``Classifier`` that answers from classifications made beforehand, keyed by (text, followers):
    the classifier is deterministic, so equal inputs have equal results."""

    def __init__(
        self, texts: Sequence[str], followers: Sequence[int | None], results: Sequence[Classification]
    ) -> None:
        self._known = dict(zip(zip(texts, followers, strict=True), results, strict=True))

    def classify(
        self, texts: Sequence[str], *, followers: Sequence[int | None] | None = None
    ) -> list[Classification]:
        reach = followers if followers is not None else [None] * len(texts)
        try:
            return [self._known[(text, n)] for text, n in zip(texts, reach, strict=True)]
        except KeyError as exc:
            raise LookupError(f"a text was not classified beforehand: {exc}") from None
