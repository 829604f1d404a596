"""The command line in its user's language: help texts and Typer's panel titles from the "cli" catalog.

Typer takes a command's help from its docstring and an option's from ``typer.Option(help=...)``, fixed in
English at import. ``translate_tree`` swaps each text for its translation in the language of the environment
(``INBOX_LANGUAGE``, else ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` as every command-line tool reads them:
"fr_FR.UTF-8" is French; anything else we do not have is English), and ``inbox`` sets that language for the
messages it prints. The catalog is ``inbox/locale/<lang>/LC_MESSAGES/cli.po``; ``python -m
inbox.cli.help_catalog`` (run by ``make translations``) adds the texts the commands have now.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import typer
from typer import rich_utils

from inbox import i18n

DOMAIN = "cli"
ENVIRONMENT = ("INBOX_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Typer's own words (module settings of typer.rich_utils), translated with the rest of the catalog.
PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error",
    "DEFAULT_STRING": "[default: {}]",
    "REQUIRED_LONG_STRING": "[required]",
    "ABORTED_TEXT": "Aborted.",
}
HELP_OPTION = "Show this message and exit."


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """The first of INBOX_LANGUAGE, LC_ALL, LC_MESSAGES, LANG that is set, as a language we have."""
    env = os.environ if environ is None else environ
    for name in ENVIRONMENT:
        value = env.get(name, "").strip()
        if value:
            return i18n.supported(value.split(".", 1)[0]) or i18n.DEFAULT
    return i18n.DEFAULT


def _subcommands(command: Any) -> Iterator[Any]:
    commands = getattr(command, "commands", None)
    if isinstance(commands, Mapping):
        for sub in commands.values():
            yield sub
            yield from _subcommands(sub)


def help_texts(command: Any) -> list[str]:
    """Every help text of ``command`` and its subcommands (help, short help, each parameter's help)."""
    texts: list[str] = [*PANEL_TITLES.values(), HELP_OPTION]
    for each in (command, *_subcommands(command)):
        texts += [t for t in (each.help, each.short_help) if t]
        texts += [p.help for p in each.params if getattr(p, "help", None)]
    return list(dict.fromkeys(texts))


_TAG = re.compile(r"\[(?=[a-z#/@])")  # what Rich would read as the start of a markup tag


def literal(text: str) -> str:
    """``text`` as Rich prints it to the letter: "[privacy.retention]" is a charter section, not a tag."""
    return _TAG.sub(r"\\[", text)


def translate_tree(command: Any, translate: Callable[[str], str]) -> None:
    """Replace, in place, every help text of ``command``'s tree (printed to the letter, ``literal``) and
    Typer's panel titles by ``translate``."""
    for name, text in PANEL_TITLES.items():
        setattr(rich_utils, name, translate(text))

    def helped(text: str) -> str:
        return literal(translate(text))

    for each in (command, *_subcommands(command)):
        each.help = helped(each.help) if each.help else each.help
        each.short_help = helped(each.short_help) if each.short_help else each.short_help
        for param in each.params:
            if getattr(param, "help", None):
                param.help = helped(param.help)
        option = each.get_help_option(typer.Context(each, info_name=each.name))
        if option is not None and option.help:
            option.help = helped(option.help)


def localized_command(app: typer.Typer, language: str) -> Any:
    """``app``'s command tree with its help in ``language`` (English as written)."""
    command = typer.main.get_command(app)
    translate_tree(command, i18n.translations(language, DOMAIN).gettext)
    return command
