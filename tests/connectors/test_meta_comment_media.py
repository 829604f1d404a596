"""A Facebook comment that is a photo (a screenshot of the problem), with or without words: the agent
reads that a photo came and where, whether the comment is polled or pushed; it used to be an empty
message."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from connectors.sandbox.meta.events import comment_event
from connectors.sandbox.meta.server import MetaSandbox
from tests.support.meta import facebook

NOW = datetime.now(UTC)
SHOT = "https://scontent.example/v/t39/box-error.jpg"


def test_a_photo_comment_says_so_polled_and_pushed(meta: MetaSandbox) -> None:
    meta.add_post("Spring collection", created_at=NOW - timedelta(days=1))
    alone = meta.add_comment("", photo=SHOT, created_at=NOW - timedelta(minutes=3), push=False)
    worded = meta.add_comment(
        "Regardez l'erreur", photo=SHOT, created_at=NOW - timedelta(minutes=2), push=False
    )
    conn = facebook(meta)
    polled = {i.external_id: i.text for i in conn.fetch("comments", None).items}
    assert polled == {alone: f"[photo] {SHOT}", worded: f"Regardez l'erreur\n[photo] {SHOT}"}
    for ident, text in polled.items():
        event = comment_event(meta.store, meta.store.comments[ident])
        [pushed] = conn.parse_webhook(json.dumps(event).encode()).items
        assert pushed.text == text  # the same words, however it came
