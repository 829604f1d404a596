"""``python -m inbox.nlp.worker [CONFIG_DIR]``: the classifier process behind ``inbox.nlp.process``.

Reads ("classify", texts, followers) requests on stdin and answers ("ok", classifications) or ("error",
message) on stdout, in order, until stdin closes. The model loads at start; a model that cannot load is
reported as the answer to every request, so the parent learns why.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    from inbox.nlp.process import read_frame, write_frame

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the answer pipe
    try:
        from inbox.nlp.classifier import load_classifier

        classifier = load_classifier(Path(argv[0]) if argv else None)
        broken = None
    except Exception as exc:  # noqa: BLE001 - reported to the parent with each answer
        classifier, broken = None, f"the classifier could not load: {type(exc).__name__}: {exc}"
    while True:
        try:
            _kind, texts, followers = read_frame(stdin)
        except EOFError:
            return 0
        if classifier is None:
            write_frame(stdout, ("error", broken))
            continue
        try:
            write_frame(stdout, ("ok", classifier.classify(texts, followers=followers)))
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the worker
            write_frame(stdout, ("error", f"{type(exc).__name__}: {exc}"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
