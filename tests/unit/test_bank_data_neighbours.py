"""Bank data beside other numbers (inbox.bank_data): a card, an IBAN, a RIB or a NIR right after a short
number ("Order 3 4111 1111 1111 1111", "le 25 …"), after an expiry, or two in a row, is masked like one
alone. Fuzzed with Hypothesis over texts mixing them with words and numbers: no crash, the same length, no
valid number left in clear, and masking twice changes nothing."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import iban, luhn
from stdnum.fr import nir

from inbox.bank_data import mask_text

SEPARATORS = ["", " ", "\u00a0", "\u202f", ".", "-"]
DIGITS = st.sampled_from("0123456789")


def _digits(draw: st.DrawFn, n: int) -> str:
    return "".join(draw(st.lists(DIGITS, min_size=n, max_size=n)))


def _grouped(draw: st.DrawFn, number: str, size: int = 4) -> str:
    sep = draw(st.sampled_from(SEPARATORS))
    return sep.join(number[i : i + size] for i in range(0, len(number), size))


@st.composite
def cards(draw: st.DrawFn) -> str:
    length = draw(st.integers(13, 19))
    body = str(draw(st.integers(2, 6))) + _digits(draw, length - 2)
    return _grouped(draw, body + luhn.calc_check_digit(body))


def _rib(draw: st.DrawFn) -> tuple[str, str, str, str]:
    bank, branch, account = _digits(draw, 5), _digits(draw, 5), _digits(draw, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return bank, branch, account, f"{key:02d}"


@st.composite
def ribs(draw: st.DrawFn) -> str:
    return draw(st.sampled_from([" ", "\u00a0", "-"])).join(_rib(draw))


@st.composite
def ibans(draw: st.DrawFn) -> str:
    bban = "".join(_rib(draw))
    return _grouped(draw, "FR" + iban.calc_check_digits("FRXX" + bban) + bban)


@st.composite
def nirs(draw: st.DrawFn) -> str:
    month = f"{draw(st.integers(1, 12)):02d}"
    department = f"{draw(st.integers(1, 95)):02d}"
    assume(department != "20")
    parts = [str(draw(st.integers(1, 2))), _digits(draw, 2), month, department, _digits(draw, 3)]
    parts.append(_digits(draw, 3))
    number = "".join(parts)
    assume(nir.is_valid(number + nir.calc_check_digits(number)))
    return draw(st.sampled_from(["", " ", "."])).join([*parts, nir.calc_check_digits(number)])


SECRETS = st.one_of(cards(), ibans(), ribs(), nirs())
# what a customer writes around them: words, short numbers (an order, a day, an amount), an expiry
NEIGHBOURS = st.one_of(
    st.sampled_from(["merci", "ma carte", "le", "commande", "IBAN", "et", "12/27", "n°", "€", "(", ")"]),
    st.integers(0, 99_999).map(str),
)


def assert_masked(tokens: list[tuple[bool, str]], between: str = " ") -> str:
    """``tokens`` (secret?, text) joined by ``between``, masked: each secret shows four letters or digits at
    most (a card's or an IBAN's last four), the length is kept, and masking again changes nothing."""
    text = between.join(t for _, t in tokens)
    masked = mask_text(text)
    assert len(masked) == len(text)
    at = 0
    for secret, token in tokens:
        shown = re.sub(r"[^0-9A-Za-z]", "", masked[at : at + len(token)])
        assert not secret or len(shown) <= 4, (text, masked)
        at += len(token) + len(between)
    assert mask_text(masked) == masked
    return masked


@settings(deadline=None)  # a busy shared machine: time is not what is tested
@given(SECRETS, NEIGHBOURS)
def test_bank_data_after_a_short_number_is_masked(secret: str, before: str) -> None:
    assert_masked([(False, before), (True, secret), (False, "merci")])


@settings(deadline=None)  # a busy shared machine: time is not what is tested
@given(SECRETS, SECRETS, st.sampled_from([" ", ", ", " et ", "\n"]))
def test_two_in_a_row_are_both_masked(first: str, second: str, between: str) -> None:
    assert_masked([(True, first), (True, second)], between)


@settings(deadline=None)  # a busy shared machine: time is not what is tested
@given(st.lists(st.one_of(SECRETS.map(lambda s: (True, s)), NEIGHBOURS.map(lambda w: (False, w)))))
def test_any_text_of_them_keeps_none_in_clear(tokens: list[tuple[bool, str]]) -> None:
    assert_masked(tokens)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Order 3 4111 1111 1111 1111", "Order 3 **** **** **** 1111"),
        ("le 25 4111 1111 1111 1111 merci", "le 25 **** **** **** 1111 merci"),
        ("commande 2026 4111 1111 1111 1111", "commande 2026 **** **** **** 1111"),
        ("4111 1111 1111 1111 12/27 5500 0000 0000 0004", "**** **** **** 1111 12/27 **** **** **** 0004"),
        (
            "FR76 3000 6000 0112 3456 7890 189 FR76 3000 6000 0112 3456 7890 189",
            "**** **** **** **** **** ***0 189 **** **** **** **** **** ***0 189",
        ),
        ("n° 2 2 95 10 99 126 111 93", "n° 2 * ** ** ** *** *** **"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert mask_text(text) == expected
