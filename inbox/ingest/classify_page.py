"""Classifying a page's customer messages so that one text the classifier cannot take never holds back the
page, while a classifier that is broken altogether still fails it (to be read again, classified, later).

- The page is classified in one batch. If that fails, each message is classified alone.
- A message the classifier still fails on, when it classifies others (or a plain ``CANARY`` text), is stored
  **unclassified** (logged; ``inbox reclassify`` tries again): otherwise its page would be read again and
  fail again at every poll, and the stream's later messages with it.
- When the classifier fails on every message and on ``CANARY`` too, it is the classifier that is broken:
  the page's error is raised, nothing is stored, and the page is read again (a webhook event is kept to be
  replayed), so no message is stored unclassified for want of a working classifier.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from connectors.base import InboundItem

log = logging.getLogger("inbox.ingest.classify_page")
CANARY = "hello, my order has not arrived"


class Classifier(Protocol):
    """What ingestion needs from inbox.nlp: one classification per text, batched."""

    def classify(
        self, texts: Sequence[str], *, followers: Sequence[int | None] | None = None
    ) -> Sequence[Any]: ...


def _works(classifier: Classifier) -> bool:
    try:
        classifier.classify([CANARY], followers=[None])
    except Exception:  # noqa: BLE001 - the question is only whether it answers
        return False
    return True


def classify_items(classifier: Classifier, items: Sequence[InboundItem]) -> dict[str, Any]:
    """Each item's classification by platform id; an item missing from the answer is stored unclassified."""
    try:
        results = classifier.classify([i.text for i in items], followers=[i.author.followers for i in items])
        return {i.external_id: c for i, c in zip(items, results, strict=True)}
    except Exception as exc:  # noqa: BLE001 - one text must not stop the page: each is tried alone below
        page_error = exc
        log.warning("the classifier failed on a page of %d messages; classifying them one by one", len(items))
    labels: dict[str, Any] = {}
    failed: list[str] = []
    for item in items:
        try:
            labels[item.external_id] = classifier.classify([item.text], followers=[item.author.followers])[0]
        except Exception:  # noqa: BLE001 - judged below: this text, or the classifier itself
            failed.append(item.external_id)
    if not labels and not _works(classifier):
        raise page_error
    for external_id in failed:
        log.warning("message %s stored unclassified: the classifier failed on it", external_id)
    return labels
