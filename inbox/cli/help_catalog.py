"""Bring the command line's help catalogs (``cli.po``, one per language) up to date with the commands.

``python -m inbox.cli.help_catalog`` (run by ``make translations``) reads every help text of ``inbox`` as
it is now, adds the new ones untranslated, drops those no command has any more, and keeps every existing
translation. Typer's help comes from docstrings, which gettext extraction cannot mark: hence this walk.
"""

from __future__ import annotations

import sys

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from inbox import i18n
from inbox.cli.help_language import DOMAIN, help_texts


def current_texts() -> list[str]:
    """Every help text of the ``inbox`` command as registered now."""
    import typer

    from inbox.cli import main

    main._register_commands()
    return help_texts(typer.main.get_command(main.app))


def update(language: str, texts: list[str]) -> tuple[int, int]:
    """Rewrite ``language``'s cli.po with exactly ``texts``; returns (added, dropped)."""
    path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    old = Catalog(locale=language, domain=DOMAIN)
    if path.exists():
        with path.open("rb") as f:
            old = read_po(f, locale=language, domain=DOMAIN)
    known = {m.id: m.string for m in old if m.id}
    new = Catalog(locale=language, domain=DOMAIN, project="social-care-inbox", fuzzy=False)
    for text in sorted(texts):
        new.add(text, known.get(text, ""))
    with path.open("wb") as f:
        write_po(f, new, width=0, omit_header=False, no_location=True)
    return len(set(texts) - set(known)), len(set(known) - set(texts))


def main() -> int:
    texts = current_texts()
    for language in i18n.LANGUAGES:
        added, dropped = update(language, texts)
        print(f"{language}: {len(texts)} help texts, {added} new, {dropped} dropped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
