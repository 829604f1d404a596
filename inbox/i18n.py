"""Languages of the people using the inbox: gettext catalogs and Babel formatting. No I/O but the catalogs.

Every layer may import it (it imports nothing of the inbox). ``_()`` and ``ngettext()`` translate into the
current language: the context variable set by ``use_language``/``set_language`` (the app sets it from the
signed-in user on every run), else what the registered fallback says (the UI's session, for callbacks),
else English. ``N_()`` marks a string for extraction where it cannot be translated yet (module constants);
translate it with ``_()`` where it is shown. Catalogs are ``inbox/locale/<lang>/LC_MESSAGES/inbox.po``;
``make translations`` compiles them to ``.mo``, and a missing or stale ``.mo`` is compiled in memory on load,
so a fresh clone works without a build step. Fuzzy entries are never used.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, get_timezone_name
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

DOMAIN = "inbox"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "fr": "Français"}  # code -> name in that language (no need to translate)
DEFAULT = "en"

_language: ContextVar[str | None] = ContextVar("inbox_language", default=None)
_fallback: list[Callable[[], str | None]] = []


def supported(code: str | None) -> str | None:
    """``code`` ("fr", "fr-FR", "fr_CA", "FR") as a language we have, or None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", 1)[0].strip().lower()
    return base if base in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The best language we have in an HTTP Accept-Language header ("fr-FR,fr;q=0.9,en;q=0.8")."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        code = supported(tag)
        if code and q > 0:
            ranked.append((-q, i, code))
    return min(ranked)[2] if ranked else None


def set_fallback(provider: Callable[[], str | None]) -> None:
    """Where the language comes from when no context variable is set (one provider, the latest wins)."""
    _fallback[:] = [provider]


def set_language(code: str | None) -> None:
    """Bind the current context to ``code`` (an unknown or empty code means the default)."""
    _language.set(supported(code) or DEFAULT)


@contextmanager
def use_language(code: str | None) -> Iterator[None]:
    token = _language.set(supported(code) or DEFAULT)
    try:
        yield
    finally:
        _language.reset(token)


def current() -> str:
    """The language strings are translated into now."""
    code = _language.get()
    if code is None and _fallback:
        code = supported(_fallback[0]())
    return code or DEFAULT


@cache
def translations(code: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalog of ``code`` (``domain``: "inbox", or "cli" for the command line's help texts): its .mo
    when up to date, else its .po compiled in memory."""
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=code, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def _(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the sense ``context`` gives it ("status" Open: Ouverte; the button Open: Ouvrir)."""
    return translations(current()).pgettext(context, message)


def listing(items: Sequence[str]) -> str:
    """Items as the language lists them: "a, b et c" (fr), "a, b, and c" (en)."""
    return format_list(list(items), locale=current()) if items else ""


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; translate it with ``_()`` where it is shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext's naming, as N_
    """Mark a singular/plural pair for extraction only; say it with ``ngettext`` where it is shown."""
    return singular, plural


def zone_name(zone: tzinfo) -> str:
    """The zone's name for people, once per page ("heure d’Europe centrale", "Central European Time")."""
    return get_timezone_name(zone, locale=current())


def _first(text: str, day_of_month: int) -> str:
    """French writes the first day of a month as an ordinal: "1er déc.", never "1 déc."."""
    if day_of_month == 1 and current() == "fr" and text.startswith("1 "):
        return "1er " + text[2:]
    return text


def formatted(at: datetime, pattern: str, zone: tzinfo) -> str:
    """``at`` in ``zone`` with a CLDR ``pattern`` in the current language ("1er" for a French first)."""
    return _first(format_datetime(at, pattern, tzinfo=zone, locale=current()), at.astimezone(zone).day)


def when(at: datetime, zone: tzinfo, *, year: bool = False) -> str:
    """A date and time in ``zone``: "5 déc. 09:00" (fr, "1er déc." for the first), "5 Dec 09:00" (en);
    with the year if asked."""
    return formatted(at, "d MMM y HH:mm" if year else "d MMM HH:mm", zone)


def clock(at: datetime, zone: tzinfo) -> str:
    """The time of day in ``zone``: "09:00"."""
    return format_datetime(at, "HH:mm", tzinfo=zone, locale=current())


def day(value: date) -> str:
    """A day: "5 déc. 2026" (fr, "1er déc. 2026" for the first), "5 Dec 2026" (en)."""
    return _first(format_date(value, "d MMM y", locale=current()), value.day)


def duration(value: timedelta | float) -> str:
    """A duration without its sign ("Overdue", "left" say it): "45 s", "12 min", "1 h 05 min", "2 j 3 h"."""
    seconds = int(abs(value.total_seconds() if isinstance(value, timedelta) else value))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        text = _("{days} d {hours} h").format(days=days, hours=hours)
    elif hours:
        text = _("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes)
    elif minutes:
        text = _("{minutes} min").format(minutes=minutes)
    else:
        text = _("{seconds} s").format(seconds=secs)
    return text


def percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: "92,4 %" (fr), "92.4%" (en); "–" for None."""
    if fraction is None:
        return "–"
    pattern = Locale.parse(current()).percent_formats[None].pattern  # "#,##0\xa0%" (fr), "#,##0%" (en)
    decimals = "." + "0" * digits if digits else ""
    return format_percent(fraction, pattern.replace("#,##0", "#,##0" + decimals, 1), locale=current())


def number(value: float | int | None, digits: int = 0, *, fixed: bool = False) -> str:
    """A number with the language's separators: "12 345,6" (fr); "–" for None. Up to ``digits`` decimals,
    exactly ``digits`` when ``fixed`` (a score: "0,30", "0,00")."""
    if value is None:
        return "–"
    decimals = "." + ("0" if fixed else "#") * digits if digits else ""
    return format_decimal(value, f"#,##0{decimals}", locale=current())
