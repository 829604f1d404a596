"""Where an element is drawn, for the tests of messages that must show next to the action that caused them
(audit r20, UI finding 2): the page's elements in screen order, containers left out."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest


def _leaves(node: Any) -> list[Any]:
    children = getattr(node, "children", None)
    if not children:
        return [node]
    return [leaf for key in sorted(children) for leaf in _leaves(children[key])]


def next_after(at: AppTest, key: str) -> Any:
    """The element drawn right after the widget ``key`` (its message, if one is shown there)."""
    leaves = [leaf for leaf in _leaves(at.main) if getattr(leaf, "type", "") != "empty"]
    [at_key] = [i for i, leaf in enumerate(leaves) if getattr(leaf, "key", None) == key]
    return leaves[at_key + 1]


def said_after(at: AppTest, key: str) -> str:
    """The text of the message right after the widget ``key``, or "" when the next element is not one."""
    element = next_after(at, key)
    return str(element.value) if getattr(element, "type", "") == "alert" or _alert(element) else ""


def message_under(at: AppTest, key: str) -> str:
    """The text of the first message drawn after the widget ``key``, past empty slots (a flash slot with no
    message takes no room), or "" when another element comes first."""
    leaves = _leaves(at.main)
    [button] = [i for i, leaf in enumerate(leaves) if getattr(leaf, "key", None) == key]
    after = [leaf for leaf in leaves[button + 1 :] if type(leaf).__name__ not in ("Block", "Empty")]
    return str(after[0].value) if after and _alert(after[0]) else ""


def _alert(element: Any) -> bool:
    return type(element).__name__ in {"Error", "Success", "Warning", "Info"}
