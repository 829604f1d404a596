"""A stream's last error on the Channels page reads, in the admin's language, what happened and what to do,
the connector's own English kept as a technical detail: the connectors' real error and trouble texts told
part by part (the page itself in French: tests/ui/test_ui_channels.py, tests/e2e/test_e2e_channel_errors.py).

Before: the page showed the connector's English text ("AuthFailed: 401 Unauthorized …", "1 chat convo(s)
held back …"), which a French admin had to translate and interpret."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.base import AuthFailed
from connectors.bluesky import held as convo_hold
from connectors.bluesky.sweep import Sweep
from connectors.meta import comments
from connectors.paging import trouble as cycling_trouble
from inbox import i18n
from inbox.ui.widgets.stream_error import tell, told

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def when(at: datetime) -> str:
    return f"{at:%d/%m %H:%M}"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_trouble_the_connectors_write_is_told(lang: str) -> None:
    sweep = Sweep(cycling=2)
    convos = {"c1": convo_hold.hold(None, {"id": "c1"}, Sweep(), RuntimeError("502 Bad Gateway"), NOW)}
    convos["c1"] = convo_hold.hold(convos["c1"], {"id": "c1"}, Sweep(), RuntimeError("502"), NOW)
    posts: dict = {}
    comments._hold(posts, "p1", None, RuntimeError("500"), int(NOW.timestamp()))
    lines = [
        sweep.trouble,
        convo_hold.trouble(convos),
        comments.trouble(posts),
        cycling_trouble({"cycling": 1}),
    ]
    with i18n.use_language(lang):
        cycle, convo, post, cycle_again = (tell(line or "", when) for line in lines)
        unknown = tell("KeyError: 'data'", when)
        refused = tell(str(AuthFailed("401")).join(["AuthFailed: ", ""]), when)
        missing = tell("XrpcRejected: 400 InvalidConvo: Convo not found", when)
        several = told("RateLimited: 429 Too Many Requests\nslow down\n" + (lines[1] or ""), when)
    if lang == "en":
        assert (
            cycle.what
            == cycle_again.what
            == "The platform's next page leads back to a page already read (a faulty cache or server)."
        )
        assert convo.what == "1 chat conversation cannot be read; the others are read."
        assert convo.todo.startswith("Since 07/12 09:30, 2 tries.")
        assert post.what == "The comments of 1 post cannot be listed; the other posts are read."
        assert post.todo.startswith("Since 07/12 09:30, 1 try.")
        assert unknown.what == "An unexpected error stopped this stream."
        assert refused.what == "The platform refused the channel's credentials."
        assert missing.what == "The platform says the account, page or resource does not exist."
    else:
        assert cycle.what.startswith("La page suivante de la plateforme ramène à une page déjà lue")
        assert (
            convo.what
            == "1 conversation de messagerie ne peut pas être lue ; les autres sont lues.".replace(
                " ;", "\u202f;"
            )
        )
        assert convo.todo.startswith("Depuis le 07/12 09:30, 2 essais.")
        assert post.todo.startswith("Depuis le 07/12 09:30, 1 essai.")
        assert refused.what == "La plateforme a refusé les identifiants du canal."
    assert [t.detail.split(":")[0] for t in several] == ["RateLimited", "HeldConvos"]
    assert several[0].detail.endswith("slow down")  # a message on several lines stays one part
    assert convo.detail == lines[1] and "c1" in convo.detail  # the raw text, for the platform's support


@settings(max_examples=300, deadline=None)
@given(
    st.text()
    | st.from_regex(r"HeldConvos: \d+ x since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(\d+ tries at most\)")
)
def test_any_last_error_is_told_and_kept_whole(error: str) -> None:
    """Any text a stream's last error may hold is told (never a crash of the page) and its detail keeps
    every line. Before: a held line whose date was not a date (2026-13-99) raised ValueError."""
    parts = told(error, when)
    details = "\n".join(t.detail for t in parts)
    assert all(line in details for line in error.splitlines() if line.strip())
    assert all(t.what and t.todo for t in parts)
