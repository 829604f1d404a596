"""The training code path on a handful of examples: .spacy files, `spacy train` (English), the French
vector model's own trainer, assembly, evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from inbox.nlp.datasets import read_eval_file
from inbox.nlp.sentiment_vectors import SentimentVectors
from inbox.nlp.train import train_all

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    ("je déteste ce service, c'est nul", 0),
    ("horrible, jamais plus", 0),
    ("quelle arnaque, nul", 0),
    ("le colis arrive demain", 1),
    ("la boutique ouvre à 9h", 1),
    ("voici le lien du formulaire", 1),
    ("merci, super service !", 2),
    ("génial, j'adore", 2),
    ("bravo à toute l'équipe, parfait", 2),
]


def write_split(folder: Path, split: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{split}_text.txt").write_text("\n".join(t for t, _ in TEXTS), encoding="utf-8")
    (folder / f"{split}_labels.txt").write_text("\n".join(str(y) for _, y in TEXTS), encoding="utf-8")


def test_tiny_training_run(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for split in ("train", "val"):
        write_split(data / "xlmt-umsab-sentiment" / "french", split)
    out = tmp_path / "model"
    metrics = train_all(
        data,
        ROOT / "config",
        out,
        tmp_path / "work",
        only=["sentiment_fr"],
    )
    assert set(metrics) == {"sentiment_fr_val"} and 0 <= metrics["sentiment_fr_val"]["macro_f1"] <= 1
    nlp = spacy.load(out / "fr", exclude=["tokenizer"])
    assert nlp.pipe_names == ["sentiment"] and nlp.lang == "fr"
    assert isinstance(nlp.get_pipe("sentiment"), SentimentVectors)
    assert set(nlp("merci").cats) == {"negative", "neutral", "positive"}
    assert json.loads((out / "metrics.json").read_text())["sentiment_fr_val"]["n"] == len(TEXTS)
    assert not (out / "en").exists()  # English jobs were not trained, so no English pipeline


def test_text_labels_pair_reads_as_eval_file(tmp_path: Path) -> None:
    write_split(tmp_path, "val")
    examples = read_eval_file(tmp_path / "val_text.txt")
    assert [e.sentiment for e in examples[:4]] == ["negative", "negative", "negative", "neutral"]


def test_english_sentiment_ships_prior_weights_fitted_on_dev(tmp_path: Path) -> None:
    data = tmp_path / "data"
    en = [("I hate this, awful", 0), ("worst service ever", 0), ("the shop opens at 9", 1)]
    en += [("here is the form", 1), ("parcel arrives tomorrow", 1), ("love it, thanks!", 2), ("great job", 2)]
    folder = data / "tweeteval-sentiment"
    folder.mkdir(parents=True)
    for split in ("train", "val"):
        (folder / f"{split}_text.txt").write_text("\n".join(t for t, _ in en), encoding="utf-8")
        (folder / f"{split}_labels.txt").write_text("\n".join(str(y) for _, y in en), encoding="utf-8")
    (data / "complaints-severity").mkdir()
    rows = ["text,complaint", "my order never came,1", "still no refund,1", "thanks a lot,0", "nice day,0"]
    (data / "complaints-severity" / "train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out, work = tmp_path / "model", tmp_path / "work"
    overrides: dict[str, object] = {"training.max_steps": 6, "training.eval_frequency": 3}
    train_all(data, ROOT / "config", out, work, only=["sentiment_en", "complaint_en"], overrides=overrides)
    nlp = spacy.load(out / "en", exclude=["tokenizer"])
    assert nlp.pipe_names == ["sentiment", "sentiment_prior", "complaint"]
    fitted = json.loads((work / "sentiment_en" / "prior.json").read_text())
    assert set(fitted) == {"negative", "neutral", "positive"} and fitted["negative"] == 1.0
    assert nlp.get_pipe_config("sentiment_prior")["weights"] == fitted
    cats = nlp("love it").cats
    assert abs(sum(cats[k] for k in fitted) - 1) < 1e-6 and 0 <= cats["complaint"] <= 1
