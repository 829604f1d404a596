"""Automatic texts in several languages go out as one message only where the platform's length allows."""

from __future__ import annotations

from inbox.automation.languages import together

FR = "Bonjour ! Notre équipe est absente pour le moment. Nous serons de retour lundi à 08:00."
EN = "Hi! Our team is away right now. We'll be back Monday at 08:00."


def test_texts_that_fit_go_out_together_the_first_first() -> None:
    assert together([FR, EN], "x", "public", "@zoe") == f"{FR}\n\n{EN}"


def test_texts_too_long_together_leave_the_first_alone() -> None:
    long_en = EN + " " + "Thank you for your patience." * 6
    assert together([FR, long_en], "x", "public", "@zoe") == FR
    assert together([FR, long_en], "x", "private", None) == f"{FR}\n\n{long_en}"  # DMs take 10,000


def test_the_handle_counts_in_public() -> None:
    fits_alone = EN + " " + "x" * (280 - len(FR) - len(EN) - 3)
    assert together([FR, fits_alone], "x", "public", None) == f"{FR}\n\n{fits_alone}"
    assert together([FR, fits_alone], "x", "public", "@someone_long") == FR


def test_nothing_or_one_text() -> None:
    assert together([], "x", "public", None) is None
    assert together([FR], "x", "public", "@zoe") == FR
