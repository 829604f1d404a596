"""Bank data written the way people paste it is masked too: a card or an IBAN grouped by no-break spaces
(French bank apps and typography), dots or dashes, an IBAN with a space after its country code; ordinary
numbers with dots (a phone, a date, a version) stay."""

from __future__ import annotations

import pytest

from inbox.bank_data import mask_text

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    "written",
    [
        f"carte 4111{NBSP}1111{NBSP}1111{NBSP}1111",
        f"carte 4111{NNBSP}1111{NNBSP}1111{NNBSP}1111",
        "carte 4111.1111.1111.1111",
        "carte 4111  1111  1111  1111",
        f"IBAN FR76{NBSP}3000{NBSP}6000{NBSP}0112{NBSP}3456{NBSP}7890{NBSP}189",
        "IBAN FR76-3000-6000-0112-3456-7890-189",
        "IBAN FR76.3000.6000.0112.3456.7890.189",
        "IBAN FR 76 3000 6000 0112 3456 7890 189",
        "IBAN FR76  3000  6000  0112  3456  7890  189",
        f"sécu 2{NBSP}69{NBSP}05{NBSP}49{NBSP}588{NBSP}157{NBSP}80",
        "sécu 2-69-05-49-588-157-80",
    ],
)
def test_grouped_by_other_separators_is_masked(written: str) -> None:
    masked = mask_text(written)
    assert len(masked) == len(written)
    digits = [ch for ch in masked if ch.isdigit()]
    assert len(digits) <= 4, masked  # at most the last four stay


@pytest.mark.parametrize(
    "written",
    ["appelez le 06.12.34.56.78", "le 2026.12.07 à 10.30", "version 4.1.11.1111", "commande 12-34-56"],
)
def test_ordinary_dotted_numbers_stay(written: str) -> None:
    assert mask_text(written) == written
