"""French personal data as French customers write it: a phone grouped by no-break spaces (French typography,
phones' keyboards), found like one grouped by spaces, in the erasure's comparable form too."""

from __future__ import annotations

import pytest

from inbox.nlp.pii import DEFAULT_PATTERNS, contact_key, find_pii

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


@pytest.mark.parametrize("space", [NBSP, NNBSP, THIN])
@pytest.mark.parametrize("number", ["06 12 34 56 78", "+33 6 12 34 56 78", "01 23 45 67 89"])
def test_a_phone_grouped_by_no_break_spaces_is_found(space: str, number: str) -> None:
    written = number.replace(" ", space)
    text = f"rappelez-moi au {written} svp"
    spans = find_pii(text)
    assert [(s.kind, text[s.start : s.end]) for s in spans] == [("phone", written)]
    assert contact_key(written, DEFAULT_PATTERNS.phone_regions) == contact_key(number, ("FR",))
