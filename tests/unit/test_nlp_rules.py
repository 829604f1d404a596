"""Urgency rules fire as configured (spacy.blank), config/nlp.toml validates, levels combine as documented."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from inbox.config.loader import ConfigError
from inbox.nlp import (
    load_classifier,
    rules,  # noqa: F401  (registers the factory)
)
from inbox.nlp.agreement_fr import phrase_forms
from inbox.nlp.rules import fired
from inbox.nlp.settings import NlpConfig, UrgencySettings, load_nlp_config
from inbox.nlp.urgency import Signals, decide

ROOT = Path(__file__).resolve().parents[2]


def ruler(lang: str, specs: dict[str, dict[str, object]]) -> spacy.language.Language:
    nlp = spacy.blank(lang)
    nlp.add_pipe("urgency_rules", config={"rules": specs})
    return nlp


def test_phrases_and_patterns_fire_on_blank_pipelines() -> None:
    nlp = ruler(
        "en",
        {
            "hacked_account": {"level": "critical", "phrases": ["been hacked"]},
            "money_lost": {"level": "high", "patterns": [[{"LOWER": "charged"}, {"LOWER": "twice"}]]},
            "brand": {"level": "normal", "phrases": ["ACME"], "attr": "ORTH"},
        },
    )
    assert fired(nlp("My account has BEEN HACKED and I was Charged twice")) == [
        "hacked_account",
        "money_lost",
    ]
    assert fired(nlp("acme is lowercase here")) == []
    assert fired(nlp("ACME!")) == ["brand"]
    assert fired(nlp("")) == []


def test_token_patterns_with_in_lists_and_regex() -> None:
    nlp = ruler(
        "en",
        {
            "cannot_use": {
                "level": "high",
                "patterns": [
                    [
                        {"LOWER": {"IN": ["ca", "can", "cannot"]}},
                        {"LOWER": {"IN": ["not", "n't"]}, "OP": "?"},
                        {"LOWER": "login"},
                    ]
                ],
            },
            "ticket": {
                "level": "normal",
                "patterns": [[{"LOWER": "ticket"}, {"TEXT": {"REGEX": r"^#?\d{4,}$"}}]],
            },
        },
    )
    assert fired(nlp("I can't login")) == ["cannot_use"]
    assert fired(nlp("cannot login since monday")) == ["cannot_use"]
    assert fired(nlp("can login fine")) == ["cannot_use"]
    assert fired(nlp("I login fine")) == []
    assert fired(nlp("about ticket 12345 please")) == ["ticket"]
    assert fired(nlp("about ticket twelve")) == []


def test_plain_patterns_become_phrases() -> None:
    from inbox.nlp.rules import as_phrases

    assert as_phrases([{"LOWER": {"IN": ["a", "b"]}}, {"LOWER": "c", "OP": "?"}]) == (
        "LOWER",
        [["a", "c"], ["a"], ["b", "c"], ["b"]],
    )
    assert as_phrases([{"LOWER": "a"}, {"ORTH": "B"}]) is None  # two attributes: stays a Matcher pattern
    assert as_phrases([{"LOWER": "a", "OP": "+"}]) is None
    assert as_phrases([{"TEXT": {"REGEX": "x"}}]) is None


def test_the_shipped_rules_fire_in_english_and_french() -> None:
    cfg = load_nlp_config(ROOT / "config")
    en = ruler("en", {n: r.model_dump() for n, r in cfg.rules_for("en").items()})
    fr = ruler("fr", {n: r.model_dump() for n, r in cfg.rules_for("fr").items()})
    assert "hacked_account" in fired(en("I think my account got hacked last night"))
    assert "money_lost" in fired(en("you charged me twice for the same order"))
    assert "legal" in fired(en("my lawyer will hear about this"))
    assert fired(en("thanks a lot, great service")) == ["thanks"]
    assert "hacked_account" in fired(fr("mon compte a été piraté"))
    assert "money_lost" in fired(fr("j'ai été prélevé deux fois ce mois-ci"))
    assert "regulator" in fired(fr("je saisis la CNIL"))
    assert "cannot_use" in fired(fr("impossible de me connecter depuis ce matin"))


def test_a_match_inside_an_unless_phrase_does_not_count() -> None:
    nlp = ruler(
        "fr",
        {
            "thanks": {"level": "low", "phrases": ["merci"], "unless": ["merci de me", "merci d'avance"]},
            "problem": {"level": "normal", "phrases": ["merci de me"]},
        },
    )
    assert fired(nlp("Merci de me rappeler")) == ["problem"]  # only the rule that has the unless is spared
    assert fired(nlp("Merci d'avance")) == []
    assert set(fired(nlp("Merci pour tout, merci de me tenir au courant"))) == {"thanks", "problem"}


def test_french_phrases_read_every_agreement_with_or_without_accents() -> None:
    assert phrase_forms("jamais arrivé") == [
        "jamais arrivé",
        "jamais arrivée",
        "jamais arrivés",
        "jamais arrivées",
        "jamais arrive",
        "jamais arrivee",
        "jamais arrives",
        "jamais arrivees",
    ]
    assert "coupe" not in phrase_forms("coupé") and "coupes" not in phrase_forms("coupé")  # a cup, cups
    assert phrase_forms("dangereux") == ["dangereux", "dangereuse", "dangereuses"]
    assert phrase_forms("du") == ["du"] and phrase_forms("tu") == ["tu"]  # not "due", "tue"
    clf = load_classifier(ROOT / "config")
    arrived, blocked, unaccented = clf.classify(
        [
            "Ma commande n'est jamais arrivée, c'est la troisième fois que j'écris",
            "Ma carte est bloquée depuis hier soir",
            "colis toujours pas recu et aucune reponse",
        ]
    )
    assert "rule:cannot_use" in arrived.urgency_reasons and "rule:cannot_use" in blocked.urgency_reasons
    assert "rule:cannot_use" in unaccented.urgency_reasons


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "nlp.toml").write_text(text, encoding="utf-8")
    return tmp_path


BASE = '[language]\ncandidates = ["en", "fr"]\n'


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ("[urgency]\nlarge_folowing = 10\n", "urgency.large_folowing"),
        ('[rules.en.x]\nlevel = "urgent"\nphrases = ["a"]\n', "rules.en.x.level"),
        ('[rules.en.x]\nlevel = "high"\npatterns = [[{LOWR = "a"}]]\n', "rules.en.x.patterns"),
        ('[rules.en.x]\nlevel = "high"\n', "rules.en.x"),
        ('[pii.refs]\norder_ref = "(unclosed"\n', "pii.refs"),
        ('[pii]\nphone_regions = ["XX"]\n', "pii.phone_regions"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_nlp_config(write(tmp_path, BASE + body))
    file, where, _ = err.value.problems[0]
    assert file.endswith("nlp.toml") and where == key


def test_unknown_language_code_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="language.candidates"):
        load_nlp_config(write(tmp_path, '[language]\ncandidates = ["en", "zz"]\n'))


def test_real_config_loads() -> None:
    cfg = load_nlp_config(ROOT / "config")
    assert isinstance(cfg, NlpConfig) and {"en", "fr"} <= set(cfg.language.candidates)
    assert {"critical", "high", "normal", "low"} == {r.level for r in cfg.rules_for("en").values()}


S = UrgencySettings(large_following=1000, complaint_threshold=0.5)


@pytest.mark.parametrize(
    ("signals", "level", "reasons"),
    [
        (Signals([], "neutral", 0.1), "low", []),
        (Signals([("thanks", "low")], "positive", 0.0), "low", ["rule:thanks"]),
        (Signals([("question", "normal")], "neutral", None), "normal", ["rule:question"]),
        (Signals([], "neutral", 0.8), "normal", ["model:complaint"]),
        (Signals([], "negative", None), "normal", ["sentiment:negative"]),
        (
            Signals([], "negative", 0.9, followers=5000),
            "high",
            ["model:complaint", "sentiment:negative", "reach:large_following"],
        ),
        (Signals([], "positive", 0.1, followers=5000), "low", []),
        (
            Signals([("thanks", "low"), ("money_lost", "high")], "negative", 0.9),
            "high",
            ["rule:thanks", "rule:money_lost", "model:complaint", "sentiment:negative"],
        ),
        (
            Signals([("hacked_account", "critical")], "neutral", 0.0, followers=10),
            "critical",
            ["rule:hacked_account"],
        ),
    ],
)
def test_urgency_levels(signals: Signals, level: str, reasons: list[str]) -> None:
    assert decide(signals, S) == (level, reasons)


def test_a_phrase_ending_in_an_elided_word_matches_before_the_next_word() -> None:
    nlp = ruler("fr", {"problem": {"level": "normal", "phrases": ["merci de m'"]}})
    assert fired(nlp("Merci de m'aider, le lien a expiré")) == ["problem"]  # "m'" then "aider"
    assert fired(nlp("Merci de me rappeler")) == []
