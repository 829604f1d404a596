"""The training code path on a handful of examples: .spacy files, `spacy train`, assembly, evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import spacy

from inbox.nlp.datasets import read_eval_file
from inbox.nlp.train import train_all

ROOT = Path(__file__).resolve().parents[1]
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
        overrides={"training.max_steps": 6, "training.eval_frequency": 3},
    )
    assert set(metrics) == {"sentiment_fr_val"} and 0 <= metrics["sentiment_fr_val"]["macro_f1"] <= 1
    nlp = spacy.load(out / "fr", exclude=["tokenizer"])
    assert nlp.pipe_names == ["sentiment"] and nlp.lang == "fr"
    assert set(nlp("merci").cats) == {"negative", "neutral", "positive"}
    assert json.loads((out / "metrics.json").read_text())["sentiment_fr_val"]["n"] == len(TEXTS)
    assert not (out / "en").exists()  # English jobs were not trained, so no English pipeline


def test_text_labels_pair_reads_as_eval_file(tmp_path: Path) -> None:
    write_split(tmp_path, "val")
    examples = read_eval_file(tmp_path / "val_text.txt")
    assert [e.sentiment for e in examples[:4]] == ["negative", "negative", "negative", "neutral"]
