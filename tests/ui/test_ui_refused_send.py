"""A reply the platform refused (audit r20, UI finding 3): explained from the catalog, not in the platform's
English; no Retry, which would be refused again; the raw error for admins in an expander; the automation's
name and the texts of gone messages in the page's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.outbox import delivery as outbox
from inbox.store.gone import EXPIRED
from inbox.store.tables import Contact, Conversation
from inbox.ui.common import SELECTED
from tests.support.seed_desk import Seeded, add_conversation
from tests.support.ui import database
from tests.ui.test_ui_french import french, signed_in  # noqa: F401 (french: a fixture)

REFUSED = (
    "Rejected: Instagram channel 'ig-acme': Graph refused the request: (#10900) Activity already replied to "
    "(HTTP 400, code 10900, subcode None, fbtrace_id Ab12)"
)
LATER = "Unavailable: X channel 'x-acme': HTTP 503 from the platform"


def _failed(db_url: str, conv_id: int, error: str, by: str) -> int:
    with database(db_url) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        reply = outbox.enqueue(
            s, conv, visibility="public", text="We have sent you a DM", actor=by, now=datetime.now(UTC)
        )
        reply.status, reply.last_error = "failed", error
        s.flush()
        return reply.id or 0


def _open(seeded: Seeded, name: str, conv_id: int) -> AppTest:
    at = signed_in(seeded, name)
    with i18n.use_language("fr"):
        at.session_state[SELECTED] = conv_id
        at.switch_page("inbox/ui/pages/conversation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_refused_reply_is_explained_in_french_without_a_retry(
    french: Seeded,  # noqa: F811
    db_url: str,
) -> None:
    conv_id = french.conversations["late"]
    refused = _failed(db_url, conv_id, REFUSED, "automation")
    later = _failed(db_url, conv_id, LATER, "alice")
    at = _open(french, "maya", conv_id)
    errors = " ".join(e.value for e in at.error)
    assert "Instagram" in errors and "une seule réponse privée" in errors, errors
    assert "Graph refused" not in errors and "Activity already replied" not in errors
    keys = [b.key for b in at.button]
    assert f"retry-{refused}" not in keys  # refused again if sent again as it is
    assert f"retry-{later}" in keys  # a platform that was down may take it now
    assert any("**automatisation**" in m.value for m in at.markdown)
    assert not any("**automation**" in m.value for m in at.markdown)
    assert not [e for e in at.expander if "plateforme" in e.label]  # the raw error: admins only
    admin = _open(french, "ada", conv_id)
    raws = [c.value for e in admin.expander if "plateforme" in e.label for c in e.code]
    assert REFUSED in raws and LATER in raws


def test_an_earlier_conversation_whose_words_are_gone_says_so_in_french(
    french: Seeded,  # noqa: F811
    db_url: str,
) -> None:
    conv_id = french.conversations["late"]
    with database(db_url) as s, s.begin():
        conv = s.get(Conversation, conv_id)
        assert conv is not None
        contact = s.get(Contact, conv.contact_id)
        at = datetime.now(UTC) - timedelta(days=400)
        add_conversation(
            s, conv.channel_id, handle="bob", text=EXPIRED, received=at, due=None, contact=contact
        )
    page = _open(french, "alice", conv_id)
    texts = [t.value for t in page.text]
    assert "[expired]" not in texts and any("durée de conservation" in t for t in texts), texts


def test_a_colleagues_waiting_reply_names_them_as_they_are_known(
    french: Seeded,  # noqa: F811
    db_url: str,
) -> None:
    """Audit r20, UI finding 14: a reply waiting to go read « alice », the sign-in name, not « Alice »."""
    conv_id = french.conversations["late"]
    _failed(db_url, conv_id, LATER, "alice")
    at = _open(french, "maya", conv_id)
    assert any("**Alice**" in m.value for m in at.markdown)
    assert not any("**alice**" in m.value for m in at.markdown)


def test_a_reply_to_a_post_gone_from_the_platform_says_so(
    french: Seeded,  # noqa: F811
    db_url: str,
) -> None:
    """UI review 22: X refused a reply to a post it no longer had ('The post … does not exist or is not
    visible to you'); the page said only that the platform refused it. It says the post is gone and what to
    do."""
    conv_id = french.conversations["late"]
    gone = "Rejected: X rejected the request: 400 Bad Request\nThe post 2129 does not exist or is not visible"
    reply = _failed(db_url, conv_id, gone, "alice")
    at = _open(french, "alice", conv_id)
    errors = " ".join(e.value for e in at.error)
    assert "n'est plus sur la plateforme" in errors and "does not exist" not in errors, errors
    assert f"retry-{reply}" not in [b.key for b in at.button]
