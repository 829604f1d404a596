"""What erasure recognises as naming a person: a phone number (their WhatsApp id) however it is written, and
the copies of their messages inside another customer's payload."""

from __future__ import annotations

import pytest

from inbox.privacy.identifiers import Identifiers, phone_pattern
from inbox.store.tables import Contact

JEANNE = Contact(channel_id=1, platform_id="33612345678", display_name="Jeanne Dupont")
TELEGRAM = Contact(channel_id=2, platform_id="777000111", handle="jeanne_dpt")


@pytest.mark.parametrize(
    "written",
    [
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "0612345678",
        "06.12.34.56.78",
        "+33 (0)6 12 34 56 78",
        "0033612345678",
    ],
)
def test_her_number_is_found_however_written(written: str) -> None:
    ids = Identifiers([JEANNE], None)
    assert ids.redact(f"rappelez-moi au {written} svp") == "rappelez-moi au [erased] svp"


@pytest.mark.parametrize("other", ["06 12 34 56 79", "07 12 34 56 78", "commande 0612345678901"])
def test_another_number_is_left(other: str) -> None:
    assert Identifiers([JEANNE], None).redact(other) == other


def test_only_valid_phone_numbers_make_a_pattern() -> None:
    assert phone_pattern("777000111") is None  # a Telegram id is no phone number
    assert phone_pattern("33612345678") is not None
    assert phone_pattern("abc") is None


def test_the_copy_of_her_message_goes_whole_and_the_other_customers_words_stay() -> None:
    bob = {
        "update": {
            "message": {
                "from": {"id": 777000222, "username": "bob_martin"},
                "text": "same as @jeanne_dpt",
                "reply_to_message": {"from": {"id": 777000111, "username": "jeanne_dpt"}, "text": "my words"},
            }
        }
    }
    cleaned = Identifiers([TELEGRAM], None).without_their_copies(bob)
    assert cleaned == {
        "update": {
            "message": {
                "from": {"id": 777000222, "username": "bob_martin"},
                "text": "same as [erased]",
                "reply_to_message": "[erased]",
            }
        }
    }


def test_an_x_referenced_post_by_her_goes_whole() -> None:
    payload = {"data": {"text": "+1"}, "includes": {"tweets": [{"author_id": "777000111", "text": "mine"}]}}
    cleaned = Identifiers([TELEGRAM], None).without_their_copies(payload)
    assert cleaned == {"data": {"text": "+1"}, "includes": {"tweets": ["[erased]"]}}
