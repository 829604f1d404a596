"""The French catalog covers every string the code marks; formatting follows the language (inbox.i18n)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po

from inbox import i18n
from tests.conftest import ROOT

PARIS = ZoneInfo("Europe/Paris")


Key = tuple[str | None, str | tuple[str, ...]]  # (context, msgid or (singular, plural))


def _key(context: str | None, message: str | tuple[str, ...]) -> Key:
    return context, (message if isinstance(message, str) else tuple(message[:2]))


def _marked() -> set[Key]:
    """Every msgid marked in app.py and inbox/, extracted as `make translations` does."""
    found = extract_from_dir(str(ROOT / "inbox"), method_map=[("**.py", "python")])
    found_app = extract_from_file("python", str(ROOT / "app.py"))
    ids = {_key(context, message) for _file, _line, message, _notes, context in found}
    return ids | {_key(context, message) for _line, message, _notes, context in found_app}


def _catalog(code: str) -> dict[Key, Message]:
    path = i18n.LOCALE_DIR / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=code, domain=i18n.DOMAIN)
    return {_key(m.context, m.id): m for m in catalog if m.id}


def test_the_code_marks_strings_to_translate() -> None:
    marked = _marked()
    assert len(marked) > 300  # the pages, widgets and app frame: guards against an extraction finding nothing
    assert (None, "Next conversation") in marked and ("status", "Open") in marked


def test_every_marked_string_has_a_french_translation_neither_empty_nor_fuzzy() -> None:
    french = _catalog("fr")
    problems = []
    for message in sorted(_marked(), key=str):
        entry = french.get(message)
        if entry is None:
            problems.append(f"missing: {message!r}")
            continue
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        if not all(strings):
            problems.append(f"empty: {message!r}")
        if entry.fuzzy:
            problems.append(f"fuzzy: {message!r}")
    assert not problems, "run `make translations` and translate:\n" + "\n".join(problems)


@pytest.mark.parametrize("code", ["fr", "en"])
def test_the_catalogs_compile(code: str) -> None:
    """What `pybabel compile` checks: a translation's %-placeholders match its msgid's."""
    with (i18n.LOCALE_DIR / code / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as f:
        catalog = read_po(f, locale=code, domain=i18n.DOMAIN)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []


def test_french_translations_keep_the_placeholders() -> None:
    for (_context, msgid), entry in _catalog("fr").items():
        ids = [msgid] if isinstance(msgid, str) else list(msgid)
        strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        wanted = {p for text in ids for p in _placeholders(text)}
        for text in strings:
            assert _placeholders(text) <= wanted, (msgid, text)
            if isinstance(msgid, str):
                assert _placeholders(text) == wanted, (msgid, text)


def _placeholders(text: str) -> set[str]:
    import string

    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_strings_follow_the_context_language_and_fall_back_to_english() -> None:
    with i18n.use_language("fr"):
        assert i18n._("Next conversation") == "Conversation suivante"
        assert (i18n._("Open"), i18n.pgettext("status", "Open")) == ("Ouvrir", "Ouverte")
        assert i18n.ngettext("{n} conversation", "{n} conversations", 3).format(n=3) == "3 conversations"
        with i18n.use_language("en"):
            assert i18n._("Next conversation") == "Next conversation"
        assert i18n.current() == "fr"
    with i18n.use_language("de"):  # not a language of ours: English
        assert i18n._("Queue") == "Queue"


def test_a_catalog_without_a_compiled_file_is_compiled_on_load(tmp_path: Path) -> None:
    """A fresh clone has only the .po files: the loader compiles them (what the test above relied on)."""
    mo = i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "inbox.mo"
    if mo.exists():
        pytest.skip("compiled by `make translations`: the .mo path is the one in use")
    i18n.translations.cache_clear()
    assert i18n.translations("fr").gettext("Queue") == "File d'attente"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "5 déc. 09:00"),
        ("en", "5 Dec 09:00"),
    ],
)
def test_dates_are_shown_in_the_team_zone_and_language(code: str, expected: str) -> None:
    with i18n.use_language(code):
        assert i18n.when(datetime(2026, 12, 5, 8, 0, tzinfo=UTC), PARIS) == expected


def test_french_writes_the_first_of_the_month_as_an_ordinal() -> None:
    """30 Nov 23:30 UTC is 1 Dec in Paris: the day is the zone's."""
    with i18n.use_language("fr"):
        assert i18n.day(date(2026, 12, 1)) == "1er déc. 2026"
        assert i18n.when(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), PARIS) == "1er déc. 00:30"
        assert i18n.day(date(2026, 12, 11)) == "11 déc. 2026"
        assert i18n.formatted(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "d MMM y HH:mm", PARIS) == (
            "1er déc. 2026 00:30"  # the pages' times (``inbox.ui.common.local_time``)
        )
    with i18n.use_language("en"):
        assert i18n.day(date(2026, 12, 1)) == "1 Dec 2026"


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (timedelta(minutes=65), "1 h 05 min", "1 h 05 min"),
        (timedelta(seconds=45), "45 s", "45 s"),
        (timedelta(minutes=12), "12 min", "12 min"),
        (timedelta(days=2, hours=3), "2 j 3 h", "2 d 3 h"),
        (-timedelta(minutes=5), "5 min", "5 min"),  # "Overdue" or "left" says which side
    ],
)
def test_durations(value: timedelta, fr: str, en: str) -> None:
    with i18n.use_language("fr"):
        assert i18n.duration(value) == fr
    with i18n.use_language("en"):
        assert i18n.duration(value) == en


def test_percentages_and_numbers_use_the_language_separators() -> None:
    with i18n.use_language("fr"):
        assert i18n.percent(0.924) == "92,4\xa0%"
        assert i18n.number(12345.6, 1) == "12\u202f345,6"
        assert i18n.percent(None) == "–"
    with i18n.use_language("en"):
        assert i18n.percent(0.924) == "92.4%"
        assert i18n.number(12345) == "12,345"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.5", "en"),
        ("de-DE,de;q=0.9,fr;q=0.7,en;q=0.6", "fr"),
        ("de-DE", None),
        ("fr;q=0, en", "en"),
        ("", None),
        (None, None),
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert i18n.from_accept_language(header) == expected


# French typography: a no-break space before ":" and inside « », a narrow one before ; ? !, so a line never
# starts with the punctuation. A "?" that names the key to press is not punctuation.
_BREAKING = re.compile(r"\S (?:[:;?!](?=\s|$)|»)|« ")
_KEY_NAMES = ("Appuyez sur ? pour",)


@pytest.mark.parametrize("domain", [i18n.DOMAIN, "cli"])
def test_french_punctuation_is_held_by_no_break_spaces(domain: str) -> None:
    with (i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
        catalog = read_po(f, locale="fr", domain=domain)
    wrong = [
        text
        for m in catalog
        if m.id
        for text in (m.string if isinstance(m.string, tuple) else (m.string,))
        if text and _BREAKING.search(text) and not any(k in text for k in _KEY_NAMES)
    ]
    assert not wrong, "use U+00A0 before ':' and inside « », U+202F before ; ? !:\n" + "\n".join(wrong)
