"""The sign-in page offers the team's identity provider beside local accounts (#15.9) only when the app has an
``[auth]`` secret and INBOX_OIDC_DOMAIN; in English and French. (The whole round trip through a provider is
tests/e2e/test_e2e_oidc.py.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from inbox import i18n
from tests.conftest import ROOT
from tests.support.seed_desk import Seeded
from tests.support.ui import APP

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret",
    "client_id": "inbox",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def _sign_in_page(language: str, with_auth: bool) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if with_auth:
        at.secrets["auth"] = AUTH
    with i18n.use_language(language):
        at.run()
    assert not at.exception
    return at


def test_local_accounts_alone_by_default(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INBOX_OIDC_DOMAIN", "acme.fr")
    at = _sign_in_page("en", with_auth=False)
    assert not [b for b in at.button if b.key == "oidc-login"]
    assert at.text_input(key="sign-in-password")


def test_a_domain_is_needed_too(seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INBOX_OIDC_DOMAIN", raising=False)
    at = _sign_in_page("en", with_auth=True)
    assert not [b for b in at.button if b.key == "oidc-login"]


@pytest.mark.parametrize(
    ("language", "label", "local"),
    [
        ("en", "Sign in with your organisation's account", "or with a local account:"),
        ("fr", "Se connecter avec le compte de votre organisation", "ou avec un compte local\u00a0:"),
    ],
)
def test_the_provider_is_offered_beside_local_accounts(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, language: str, label: str, local: str
) -> None:
    monkeypatch.setenv("INBOX_OIDC_DOMAIN", "acme.fr")
    config = tmp_path / "config"  # signed out, the page speaks the charter's default (no browser here)
    shutil.copytree(ROOT / "config", config)
    charter = (config / "charter.toml").read_text(encoding="utf-8")
    charter = charter.replace('default_language = "en"', f'default_language = "{language}"')
    (config / "charter.toml").write_text(charter, encoding="utf-8")
    monkeypatch.setenv("INBOX_CONFIG_DIR", str(config))
    at = _sign_in_page(language, with_auth=True)
    assert at.button(key="oidc-login").label == label
    assert local in [c.value for c in at.caption]
    assert at.text_input(key="sign-in-password")  # local accounts stay
