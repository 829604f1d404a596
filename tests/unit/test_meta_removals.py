"""Facebook's ``remove`` verb read from a Page webhook body (connectors.meta.removals, pure)."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.meta.removals import removed_ids


def _body(*values: Any, obj: str = "page", field: str = "feed") -> dict[str, Any]:
    changes = [{"field": field, "value": v} for v in values]
    return {"object": obj, "entry": [{"id": "1", "time": 1, "changes": changes}]}


def test_removed_comments_and_posts_are_read_in_order_once() -> None:
    body = _body(
        {"item": "comment", "verb": "remove", "comment_id": "10_2", "post_id": "10"},
        {"item": "comment", "verb": "add", "comment_id": "10_3", "post_id": "10"},
        {"item": "reply", "verb": "remove", "comment_id": "10_4"},
        {"item": "status", "verb": "remove", "post_id": "1_10"},
        {"item": "comment", "verb": "remove", "comment_id": "10_2"},
        {"item": "reaction", "verb": "remove", "post_id": "1_11"},  # a reaction taken back: not an item
    )
    assert removed_ids(body) == ["10_2", "10_4", "1_10"]


@pytest.mark.parametrize(
    "body",
    [
        _body({"item": "comment", "verb": "remove", "comment_id": "1"}, obj="instagram"),
        _body({"item": "comment", "verb": "remove", "comment_id": "1"}, field="mention"),
        _body({"item": "comment", "verb": "remove"}),
        _body({"item": "comment", "verb": "remove", "comment_id": True}),
        {"object": "page", "entry": "nope"},
        {"object": "page", "entry": [{"changes": [None, {"field": "feed", "value": []}]}]},
    ],
)
def test_other_shapes_remove_nothing(body: dict[str, Any]) -> None:
    assert removed_ids(body) == []
