"""A French team's own reason corrections train its French contact-reason model (job reasons_fr): real
training into a temporary model folder, no mocks. Without the model, French is decided by its rules alone."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from inbox.cli.nlp import register
from inbox.nlp import load_classifier
from inbox.nlp.classifier import MODEL_DIR
from inbox.nlp.corrections import Corrected, write
from inbox.nlp.reason_train import main
from inbox.nlp.reason_train_fr import MIN_TEXTS
from inbox.nlp.reasons import ReasonDecider, ReasonSettings, load_reason_models
from inbox.nlp.settings import load_nlp_config

ROOT = Path(__file__).resolve().parents[2]
# What agents of a French contact centre corrected: most of these fire no French phrase, or the wrong one
# ("ne fonctionne pas", "site", "j'attends", "ouvert", "merci", "super").
CORRECTED = {
    "account_access": [
        "Mon compte est verrouillé depuis hier soir",
        "Impossible d'entrer dans mon compte, il refuse mon code",
        "Je n'arrive plus à me connecter à mon espace client",
        "Le lien pour réinitialiser mon accès ne fonctionne pas",
        "Mon compte a été verrouillé après trois essais",
        "On me demande un code que je ne reçois jamais pour entrer dans mon compte",
        "Je ne peux plus ouvrir ma session sur votre site",
        "Accès refusé à mon compte alors que mes codes sont bons",
        "Quelqu'un a changé l'adresse mail de mon compte, je ne peux plus y entrer",
        "Compte verrouillé, comment le débloquer ?",
    ],
    "delivery_order": [
        "Mon colis n'est toujours pas arrivé",
        "Mon paquet devait arriver mardi, toujours rien",
        "Le transporteur dit avoir déposé le paquet mais je n'ai rien",
        "Paquet arrivé ouvert et à moitié vide",
        "J'attends mon paquet depuis dix jours",
        "Le transporteur n'est jamais passé, mon paquet est bloqué à l'entrepôt",
        "Toujours pas de paquet, la date prévue est dépassée",
        "Où en est mon paquet ? Le transporteur ne le trouve plus",
        "Paquet déposé chez le voisin sans prévenir",
        "Le paquet est reparti à l'entrepôt alors que j'étais chez moi",
    ],
    "technical_issue": [
        "Le débit de ma box est catastrophique",
        "Le décodeur se fige toutes les dix minutes",
        "Image figée sur le décodeur depuis ce matin",
        "Mon décodeur affiche un message d'échec au démarrage",
        "Le son et l'image du décodeur sont décalés",
        "Le décodeur s'éteint tout seul pendant les films",
        "Depuis la mise à jour le décodeur ne trouve plus les chaînes",
        "Plus aucune chaîne sur le décodeur, merci de m'aider",
        "Le décodeur clignote en rouge et rien ne s'affiche",
        "Les chaînes se figent sans arrêt, c'est super pénible",
    ],
}
# Not among the corrections, and no French phrase of config/nlp.toml fires on them
HELD_OUT = [
    ("Je ne peux plus entrer, mon code est refusé", "account_access"),
    ("Où est passé mon paquet ? Toujours à l'entrepôt", "delivery_order"),
    ("L'image saute et le son est décalé ce soir", "technical_issue"),
]
NOISE = [
    Corrected("@acme please cancel my account now", "en", "reason", "cancellation"),  # English: not French
    Corrected("Le décodeur est nul", "fr", "sentiment", "negative"),  # another field
    Corrected("Mon compte est verrouillé depuis hier soir", "fr", "reason", "other"),  # then corrected again
]


def _corrections(n: int = 30, only: str | None = None) -> list[Corrected]:
    """NOISE, then the first ``n`` French corrections (each labelled ``only``, if given)."""
    french = [Corrected(t, "fr", "reason", only or r) for r, texts in CORRECTED.items() for t in texts]
    return NOISE + french[:n]


def _train(tmp_path: Path, found: list[Corrected], capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "corrections.jsonl"
    write(path, found)
    assert main(["--lang", "fr", "--corrections", str(path), "--out", str(tmp_path / "m")]) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def settings() -> ReasonSettings:
    return load_nlp_config(ROOT / "config").reasons


def test_french_corrections_teach_the_french_reasons(
    tmp_path: Path, settings: ReasonSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    said = _train(tmp_path, _corrections(), capsys)
    assert "30 corrected French message(s)" in said
    trained = load_reason_models(tmp_path / "m")
    assert set(trained) == {"fr"}  # nothing English written, and the packaged folder is not touched
    assert trained["fr"].labels == ("account_access", "delivery_order", "technical_issue")
    assert set(load_reason_models(MODEL_DIR)) == {"en"}
    _, rules = ReasonDecider(settings, {}, "en").route("fr")
    texts = [t for t, _ in HELD_OUT]
    assert [rules.fired(t) for t in texts] == [[], [], []]
    packaged = load_reason_models(MODEL_DIR)
    without = ReasonDecider(settings, packaged, "en").decide(texts, ["fr"] * len(texts))
    with_model = ReasonDecider(settings, {**packaged, **trained}, "en").decide(texts, ["fr"] * len(texts))
    assert [r for r, _ in without] == ["other"] * len(texts)
    assert [r for r, _ in with_model] == [r for _, r in HELD_OUT], with_model
    # a reason the corrections never used still wins on its own French phrases
    [(reason, _)] = ReasonDecider(settings, trained, "en").decide(["Je veux résilier mon abonnement"], ["fr"])
    assert reason == "cancellation"
    # a model that never learnt "other" does not pull a message about nothing into a taught reason
    [(reason, scores)] = ReasonDecider(settings, trained, "en").decide(["Bonne journée à vous"], ["fr"])
    assert reason == "other", scores


def test_the_classifier_decides_french_with_the_model_dir_s_french_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _train(tmp_path, _corrections(), capsys)
    for lang in ("en", "fr"):  # the packaged pipelines; the English reason model comes from the package
        (tmp_path / "m" / lang).symlink_to(MODEL_DIR / lang, target_is_directory=True)
    toml = (ROOT / "config" / "nlp.toml").read_text(encoding="utf-8")
    (tmp_path / "nlp.toml").write_text('model_dir = "m"\n' + toml, encoding="utf-8")
    fr, en = load_classifier(tmp_path).classify([HELD_OUT[1][0], "@AmazonHelp my package never arrived"])
    assert (fr.language, fr.reason) == ("fr", "delivery_order"), fr.reason_scores
    assert (en.language, en.reason) == ("en", "delivery_order")


@pytest.mark.parametrize(("n", "only"), [(MIN_TEXTS - 1, None), (30, "technical_issue")])
def test_below_the_minimum_no_french_model_is_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], n: int, only: str | None
) -> None:
    _train(tmp_path, _corrections(), capsys)  # an earlier training with enough corrections
    assert (tmp_path / "m" / "reasons" / "fr").is_dir()
    said = _train(tmp_path, _corrections(n, only), capsys)
    assert f"fewer than {MIN_TEXTS} over 2: no French model" in said
    assert not (tmp_path / "m" / "reasons" / "fr").exists()
    assert load_reason_models(tmp_path / "m") == {}


def test_inbox_train_runs_the_french_job_alone(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    args = ["train", "--no-corrections", "--only", "reasons_fr", "--output", str(tmp_path / "m")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "reasons_fr: 0 corrected French message(s) over 0 reason(s)" in result.stdout
    assert not (tmp_path / "m").exists()
