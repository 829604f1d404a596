"""`inbox classify`, `inbox train` and `inbox reclassify`, added to the main Typer app by register()."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from inbox.cli.messages import fail, invalid_configuration
from inbox.config.loader import ConfigError
from inbox.i18n import _, ngettext

if TYPE_CHECKING:
    from inbox.nlp.corrections import Corrected

DEFAULT_DATA_DIR = Path("..") / "shared" / "data"


def _config_dir(config_dir: Path | None) -> Path:
    if config_dir is not None:
        return config_dir
    from inbox.settings import Settings

    return Settings().config_dir


def _classifier(config_dir: Path | None):
    from inbox.nlp.classifier import ModelMissing, load_classifier

    try:
        return load_classifier(_config_dir(config_dir))
    except ConfigError as exc:
        raise fail(invalid_configuration(exc)) from None
    except ModelMissing as exc:
        raise fail(str(exc)) from None


def _batches(lines: Iterator[str], size: int) -> Iterator[list[str]]:
    while batch := list(islice(lines, size)):
        yield batch


def classify(
    eval_file: Path | None = typer.Option(
        None,
        "--eval",
        help="Print metrics on a labelled file instead: "
        "JSONL with `text` and any of `sentiment`, `urgency`, `reason`, or a *_text.txt "
        "file with its *_labels.txt sibling (0 negative, 1 neutral, 2 positive).",
    ),
    config_dir: Path | None = typer.Option(
        None, help="Folder holding nlp.toml (default: INBOX_CONFIG_DIR or config)."
    ),
    batch_size: int = typer.Option(256, min=1, help="Texts per nlp.pipe batch."),
) -> None:
    """Classify texts from stdin (one per line, or JSONL with `text`); one JSON object per line on stdout."""
    from inbox.nlp.datasets import iter_input

    clf = _classifier(config_dir)
    if eval_file is not None:
        _evaluate(clf, eval_file)
        return
    for batch in _batches(iter_input(iter(sys.stdin)), batch_size):
        for c in clf.classify(batch):
            sys.stdout.write(json.dumps(c.as_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()


def _evaluate(clf, path: Path) -> None:
    from inbox.nlp.datasets import DataMissing, read_eval_file
    from inbox.nlp.metrics import report
    from inbox.nlp.types import LEVELS, SENTIMENTS

    reasons = tuple(clf.config.reasons.labels)
    try:
        examples = read_eval_file(path, reasons)
    except (DataMissing, ValueError) as exc:
        raise fail(str(exc)) from None
    results = clf.classify([e.text for e in examples])
    for field, labels in (("sentiment", SENTIMENTS), ("urgency", LEVELS), ("reason", reasons)):
        pairs = [
            (getattr(e, field), getattr(c, field))
            for e, c in zip(examples, results, strict=True)
            if getattr(e, field) is not None
        ]
        if not pairs:
            continue
        # averaged over the labels the file or the classifier uses (as scikit-learn does): a small file
        # that holds two reasons is not scored on the eight it never mentions
        seen = {x for pair in pairs for x in pair}
        labels = tuple(label for label in labels if label in seen)
        m = report([g for g, _ in pairs], [p for _, p in pairs], labels)
        typer.echo(
            f"{field}: n={len(pairs)}  macro_recall={m['macro_recall']:.4f}  "
            f"macro_f1={m['macro_f1']:.4f}  accuracy={m['accuracy']:.4f}"
        )
        for label in labels:
            typer.echo(f"  {label:<17} recall={m[f'recall_{label}']:.4f}  f1={m[f'f1_{label}']:.4f}")
    if not any(e.sentiment or e.urgency or e.reason for e in examples):
        raise fail(_("{path}: no `sentiment`, `urgency` or `reason` labels found").format(path=path))


def train(
    data_dir: Path = typer.Option(
        DEFAULT_DATA_DIR,
        help="Labelled data (tweeteval-sentiment, xlmt-umsab-sentiment, complaints-severity).",
    ),
    output: Path | None = typer.Option(
        None, help="Where the pipelines go (default: the packaged inbox/nlp/model)."
    ),
    work_dir: Path = typer.Option(Path("var") / "train", help="Intermediate .spacy files and checkpoints."),
    config_dir: Path = typer.Option(Path("config"), help="Folder holding nlp/<job>.cfg."),
    only: list[str] = typer.Option(
        [],
        help="Train only these jobs (sentiment_en, complaint_en, urgency_en, sentiment_fr, urgency_fr, "
        "reasons_en, reasons_fr).",
    ),
    limit: int | None = typer.Option(None, min=10, help="Subsample each training file (quick runs)."),
    corrections: bool = typer.Option(
        True,
        help="Use the agents' corrections stored in the database (INBOX_DATABASE_URL) as labelled examples "
        "that outrank the data files' labels; exported to WORK_DIR/corrections.jsonl.",
    ),
) -> None:
    """Rebuild the sentiment, complaint, urgency and contact-reason models (reproducible: fixed seeds)."""
    from inbox.nlp.classifier import MODEL_DIR
    from inbox.nlp.datasets import DataMissing
    from inbox.nlp.train import JOBS, train_all

    known = [*JOBS, REASONS_JOB, REASONS_FR_JOB]
    unknown = [n for n in only if n not in known]
    if unknown:
        message = ngettext(
            "unknown job {jobs}; known: {known}", "unknown jobs {jobs}; known: {known}", len(unknown)
        )
        raise fail(message.format(jobs=", ".join(unknown), known=", ".join(known)))
    corrected = export_corrections(work_dir) if corrections else []
    spacy_jobs = [n for n in only if n in JOBS] if only else list(JOBS)
    try:
        if spacy_jobs:
            metrics = train_all(
                data_dir,
                config_dir,
                output or MODEL_DIR,
                work_dir,
                only=spacy_jobs,
                limit=limit,
                corrected=corrected,
            )
            for name, m in metrics.items():
                typer.echo(f"{name}: macro_recall={m['macro_recall']:.4f} macro_f1={m['macro_f1']:.4f}")
        if not only or REASONS_JOB in only:
            typer.echo(
                f"{REASONS_JOB}: {_train_reasons(data_dir, config_dir, output or MODEL_DIR, corrected)}"
            )
        if not only or REASONS_FR_JOB in only:
            typer.echo(f"{REASONS_FR_JOB}: {_train_reasons_fr(config_dir, output or MODEL_DIR, corrected)}")
    except DataMissing as exc:
        raise fail(str(exc)) from None


REASONS_JOB = "reasons_en"
REASONS_FR_JOB = "reasons_fr"  # from the French agents' reason corrections alone (inbox.nlp.reason_train_fr)


def export_corrections(work_dir: Path) -> list[Corrected]:
    """The agents' corrections in force, from the database to ``work_dir/corrections.jsonl``."""
    from sqlmodel import Session

    from inbox.desk.corrections import training_examples
    from inbox.nlp import corrections as nlp_corrections
    from inbox.settings import Settings
    from inbox.store.engine import open_engine

    engine = open_engine(Settings().database_url)
    try:
        with Session(engine) as session:
            found = [
                nlp_corrections.Corrected(e.text, e.language, e.field, e.label)
                for e in training_examples(session)
            ]
    finally:
        engine.dispose()
    n = nlp_corrections.write(work_dir / nlp_corrections.FILE, found)
    exported = ngettext(
        "{count} agent correction exported to {path}", "{count} agent corrections exported to {path}", n
    )
    typer.echo(exported.format(count=n, path=work_dir / nlp_corrections.FILE))
    return found


def _train_reasons(data_dir: Path, config_dir: Path, model_dir: Path, corrected: list[Corrected]) -> str:
    from inbox.nlp.corrections import labels_for
    from inbox.nlp.datasets import DataMissing
    from inbox.nlp.reason_train import DATA, train_packaged, training_rows
    from inbox.nlp.reasons import ReasonDecider
    from inbox.nlp.settings import load_nlp_config

    if not (data_dir / DATA / "train.csv").is_file():
        raise DataMissing(f"missing data file: {data_dir / DATA / 'train.csv'}")
    rows, extra = training_rows(data_dir)
    decider = ReasonDecider(load_nlp_config(config_dir).reasons, {}, "en")
    return train_packaged(rows, extra, decider, model_dir, labels_for(corrected, "reason", "en"))


def _train_reasons_fr(config_dir: Path, model_dir: Path, corrected: list[Corrected]) -> str:
    from inbox.nlp.reason_train_fr import train_french
    from inbox.nlp.settings import load_nlp_config

    return train_french(corrected, load_nlp_config(config_dir).reasons, model_dir)


def reclassify(
    config_dir: Path | None = typer.Option(
        None, help="Folder holding nlp.toml (default: INBOX_CONFIG_DIR or config)."
    ),
    batch_size: int = typer.Option(256, min=1, help="Messages per batch; each batch is one transaction."),
) -> None:
    """Re-run classification on every stored inbound message (after a model or rule change)."""
    from rich.progress import Progress

    from inbox.jobs.reclassify import count_inbound, reclassify_all
    from inbox.settings import Settings
    from inbox.store.engine import open_engine

    clf = _classifier(config_dir)
    engine = open_engine(Settings().database_url)
    try:
        total = count_inbound(engine)
        with Progress(transient=False) as progress:
            task = progress.add_task(_("reclassifying"), total=total)
            done = reclassify_all(
                engine, clf.classify, batch_size=batch_size, progress=lambda n: progress.advance(task, n)
            )
    finally:
        engine.dispose()
    typer.echo(
        ngettext(
            "reclassified {count} inbound message", "reclassified {count} inbound messages", done
        ).format(count=done)
    )


def register(app: typer.Typer) -> None:
    """Add `classify`, `train` and `reclassify` as top-level commands of ``app``."""
    app.command()(classify)
    app.command()(train)
    app.command()(reclassify)
