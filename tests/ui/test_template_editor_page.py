"""The Templates page's editor (#17.8, AppTest): a manager creates, edits and retires a template, refusals
shown in their language, each change in the history; agents browse with usage counts and cannot edit.

The app's config folder is a copy, so the repository's config/templates.toml is never written.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from inbox import i18n
from inbox.desk import preferences
from inbox.replies import composer
from inbox.settings import Settings
from inbox.store.engine import open_engine
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded
from tests.support.ui import app_as, seeded_app

PAGE = "inbox/ui/pages/templates.py"
TEXT = "Bonjour {customer_name}, la fibre est coupée à {city} : nos techniciens interviennent. ^{agent_name}"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    shutil.copytree(ROOT / "config", folder)
    return folder


@pytest.fixture
def seeded(db_url: str, config: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    for seed in seeded_app(db_url, monkeypatch):
        monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
        yield seed


def _page(seeded: Seeded, user: str, language: str) -> AppTest:
    """``user``'s Templates page, their screens in ``language``."""
    engine = open_engine(Settings().database_url)
    with Session(engine) as s, s.begin():
        preferences.set_language(s, seeded.users[user], language, by="test", by_role="admin")
    engine.dispose()
    with i18n.use_language(language):
        at = app_as(seeded, user)
        return at.switch_page(PAGE).run()


def _run(at: AppTest, language: str) -> AppTest:
    with i18n.use_language(language):
        return at.run()


def _fill(at: AppTest, **values: str) -> None:
    """Type into the editor's fields (``text`` is the text area, the others text inputs)."""
    for key, value in values.items():
        field = at.text_area(key="tpl-f-text") if key == "text" else at.text_input(key=f"tpl-f-{key}")
        field.input(value)


def _click(at: AppTest, label: str, language: str) -> AppTest:
    """Click the button labelled ``label`` (the form's, whose key Streamlit makes)."""
    (button,) = [b for b in at.button if b.label == label]
    with i18n.use_language(language):
        return button.click().run()


def _press(at: AppTest, key: str, language: str) -> AppTest:
    with i18n.use_language(language):
        return at.button(key=key).click().run()


@pytest.mark.parametrize(
    ("language", "save", "saved", "misspelt", "history"),
    [
        (
            "en",
            "Save",
            "Saved as version",
            "looks like a misspelt {customer_name}",
            "Version 2: edited by Maya",
        ),
        (
            "fr",
            "Enregistrer",
            "Enregistré comme version",
            "ressemble à {customer_name}",
            "Version 2\u00a0: modifié par Maya",
        ),
    ],
)
def test_a_manager_creates_edits_and_retires_a_template(
    seeded: Seeded, config: Path, language: str, save: str, saved: str, misspelt: str, history: str
) -> None:
    at = _page(seeded, "maya", language)
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # markdown escapes gone
    assert "templates.toml" not in captions and str(config) not in captions  # no server path for a manager
    at = _press(at, "tpl-new", language)
    _fill(
        at,
        name="fibre-cut-fr",
        title="Coupure fibre",
        lang="fr",
        owner="Julien Petit",
        text="Bonjour {customer_nme}",
    )
    at = _click(at, save, language)
    assert any(misspelt in e.value for e in at.error), [e.value for e in at.error]
    assert composer.load_templates(config).get("fibre-cut-fr") is None
    _fill(at, text=TEXT, comment="incident Lyon")
    at = _click(at, save, language)
    assert any(saved in s.value for s in at.success), [s.value for s in at.success]
    created = composer.load_templates(config).get("fibre-cut-fr")
    assert created is not None and created.text == TEXT and created.owner == "Julien Petit"

    at = _press(at, "tpl-edit-fibre-cut-fr", language)
    _fill(at, title="Coupure de fibre — intervention en cours")
    reasons = at.multiselect(key="tpl-f-reasons")
    assert reasons.proto.select_all == 0 and reasons.placeholder  # no Streamlit English ("Select all")
    reasons.select("technical_issue")  # offered first for such conversations
    at = _click(at, save, language)
    edited = composer.load_templates(config).get("fibre-cut-fr")
    assert edited is not None and edited.title == "Coupure de fibre — intervention en cours"
    assert edited.reasons == ("technical_issue",)
    reason_word = {"en": "Technical issue", "fr": "Problème technique"}[language]
    assert any(f":violet-badge[{reason_word}]" in m.value for m in at.markdown)
    assert any(history in m.value for m in at.markdown), "the history lists the edit"
    assert any('+title = "Coupure de fibre' in c.value for c in at.code)

    at = _press(at, "tpl-retire-fibre-cut-fr", language)  # asks first (audit r20, UI finding 6)
    asked = composer.load_templates(config).get("fibre-cut-fr")
    assert asked is not None and not asked.retired and at.warning
    at = _press(at, "tpl-retire-fibre-cut-fr-yes", language)
    assert at.success  # said on the card
    retired = composer.load_templates(config).get("fibre-cut-fr")
    assert retired is not None and retired.retired
    assert "tpl-edit-fibre-cut-fr" not in [b.key for b in at.button]  # hidden unless "retired too"
    at.toggle(key="tpl-retired").set_value(True)
    at = _run(at, language)
    assert "tpl-edit-fibre-cut-fr" in [b.key for b in at.button]


@pytest.mark.parametrize(("language", "unused"), [("en", "Not used yet"), ("fr", "Pas encore utilisé")])
def test_agents_browse_with_usage_and_cannot_edit(seeded: Seeded, language: str, unused: str) -> None:
    at = _page(seeded, "alice", language)
    assert not at.exception
    keys = [str(b.key) for b in at.button]
    assert "tpl-new" not in keys and not any(k.startswith("tpl-edit-") for k in keys)
    assert any(unused in c.value for c in at.caption)
