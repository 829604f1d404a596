"""`inbox train`: .spacy files from ../shared/data, `spacy train` on committed configs, packaged pipelines."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from inbox.nlp import corrections, datasets
from inbox.nlp import sentiment_vectors as _sentiment_vectors  # noqa: F401  (registers "sentiment_vectors")
from inbox.nlp import urgency_model as _urgency_model  # noqa: F401  (registers "urgency_linear")
from inbox.nlp.datasets import Example, is_dev
from inbox.nlp.normalise import normalise
from inbox.nlp.prior import FACTORY as PRIOR_FACTORY
from inbox.nlp.prior import fit_weights
from inbox.nlp.types import SENTIMENTS

SEED = 20240601
COMPLAINT_LABELS = ("complaint", "not_complaint")
URGENCY_LABELS = ("urgent", "not_urgent")
URGENT_LEVELS = ("high", "critical")
Labelled = list[tuple[str, str]]
PRIOR_FILE = "prior.json"  # fitted weights, beside model-best/model-last in the job's work folder


@dataclass(frozen=True, slots=True)
class Job:
    """One ``spacy train`` run: a textcat component named ``component`` for pipeline ``lang``."""

    name: str
    lang: str
    component: str
    labels: tuple[str, ...]
    read: Callable[[Path], list[tuple[str, str]]]
    balance: bool = True  # oversample minority labels: macro recall rewards balanced predictions
    keep: str = "model-best"  # or "model-last" where the dev split is too small to pick a checkpoint
    prior: bool = False  # fit per-label score weights on the dev split (inbox.nlp.prior) and ship them
    # Not `spacy train`: trainer(data_dir, pipelines_dir, out, corrected) writes a pipeline with the component
    trainer: Callable[[Path, Path, Path, dict[str, str]], Path] | None = None
    corrects: str | None = None  # the field whose agents' corrections label this job (inbox.nlp.corrections)
    relabel: Callable[[str], str] = str  # a corrected value as this job's label

    def corrected(self, items: Sequence[corrections.Corrected]) -> dict[str, str]:
        """Normalised text -> this job's label, from the agents' corrections that concern it."""
        if self.corrects is None:
            return {}
        return corrections.labels_for(items, self.corrects, self.lang, self.relabel)


def _sentiment(lang: str) -> Callable[[Path], Labelled]:
    def read(data_dir: Path) -> Labelled:
        return [(e.text, e.sentiment or "") for e in datasets.read_sentiment(data_dir, lang, "train")]

    return read


def _complaints(data_dir: Path) -> Labelled:
    return [
        (e.text, COMPLAINT_LABELS[0] if e.complaint else COMPLAINT_LABELS[1])
        for e in datasets.read_complaints(data_dir)
    ]


def _urgency(data_dir: Path) -> Labelled:
    """Urgent = high or critical (urgency-twcs); the trainer adds silver rows (inbox/nlp/urgency_train.py)."""
    return [(e.text, URGENCY_LABELS[e.urgency not in URGENT_LEVELS]) for e in datasets.read_urgency(data_dir)]


def _urgent(level: str) -> str:
    return URGENCY_LABELS[level not in URGENT_LEVELS]


def _train_urgency(data_dir: Path, pipelines_dir: Path, out: Path, corrected: dict[str, str]) -> Path:
    from inbox.nlp.urgency_train import train_urgency

    return train_urgency(data_dir, pipelines_dir, out, corrected)


def _train_urgency_fr(data_dir: Path, pipelines_dir: Path, out: Path, corrected: dict[str, str]) -> Path:
    from inbox.nlp.urgency_train import train_urgency_fr

    return train_urgency_fr(data_dir, pipelines_dir, out, corrected)


def _train_sentiment_fr(data_dir: Path, pipelines_dir: Path, out: Path, corrected: dict[str, str]) -> Path:
    from inbox.nlp.sentiment_vectors_train import train_sentiment_fr

    return train_sentiment_fr(data_dir, pipelines_dir, out, corrected)


JOBS: dict[str, Job] = {
    # Natural label mix, then prior correction fitted on the dev split: better macro-recall than oversampling.
    "sentiment_en": Job(
        "sentiment_en",
        "en",
        "sentiment",
        SENTIMENTS,
        _sentiment("en"),
        balance=False,
        prior=True,
        corrects="sentiment",
    ),
    "complaint_en": Job("complaint_en", "en", "complaint", COMPLAINT_LABELS, _complaints),
    # A logistic regression over the guideline's cues (inbox/nlp/urgency_model.py), not a spaCy textcat
    "urgency_en": Job(
        "urgency_en",
        "en",
        "urgency",
        URGENCY_LABELS,
        _urgency,
        trainer=_train_urgency,
        corrects="urgency",
        relabel=_urgent,
    ),
    # n-grams + the mean of French static vectors (inbox/nlp/sentiment_vectors.py), not a spaCy textcat
    "sentiment_fr": Job(
        "sentiment_fr",
        "fr",
        "sentiment",
        SENTIMENTS,
        _sentiment("fr"),
        keep="model-last",
        trainer=_train_sentiment_fr,
        corrects="sentiment",
    ),
    # Transferred: English labels through language-neutral cue features, read in French (urgency_train.py)
    "urgency_fr": Job(
        "urgency_fr",
        "fr",
        "urgency",
        URGENCY_LABELS,
        _urgency,
        trainer=_train_urgency_fr,
        corrects="urgency",
        relabel=_urgent,
    ),
}
PIPELINES: dict[str, tuple[str, ...]] = {
    "en": ("sentiment_en", "complaint_en", "urgency_en"),
    "fr": ("sentiment_fr", "urgency_fr"),
}


def _balanced(rows: Labelled, rng: random.Random) -> Labelled:
    by_label: dict[str, Labelled] = {}
    for row in rows:
        by_label.setdefault(row[1], []).append(row)
    most = max(len(v) for v in by_label.values())
    out = [r for v in by_label.values() for r in v + [rng.choice(v) for _ in range(most - len(v))]]
    rng.shuffle(out)
    return out


def _docbin(nlp: spacy.language.Language, rows: Labelled, labels: Sequence[str], path: Path) -> None:
    db = DocBin(store_user_data=False)
    for text, label in rows:
        doc = nlp.make_doc(text)
        doc.cats = {lab: float(lab == label) for lab in labels}
        db.add(doc)
    db.to_disk(path)


def prepare(
    job: Job,
    data_dir: Path,
    work_dir: Path,
    limit: int | None = None,
    corrected: Sequence[corrections.Corrected] = (),
) -> tuple[Path, Path]:
    """Write ``<job>-train.spacy`` and ``<job>-dev.spacy`` (dev = a hashed 10% of the train file); the
    agents' ``corrected`` labels outrank the files' (``inbox.nlp.corrections.overlay``)."""
    rng = random.Random(SEED)
    rows = [(normalise(t), y) for t, y in job.read(data_dir)]
    rows = [r for r in rows if r[0]]
    if limit is not None:
        rows = rng.sample(rows, min(limit, len(rows)))
    rows = corrections.overlay(rows, job.corrected(corrected))
    train = [r for r in rows if not is_dev(r[0])]
    dev = [r for r in rows if is_dev(r[0])] or train[:10]
    nlp = spacy.blank(job.lang)
    work_dir.mkdir(parents=True, exist_ok=True)
    paths = work_dir / f"{job.name}-train.spacy", work_dir / f"{job.name}-dev.spacy"
    _docbin(nlp, _balanced(train, rng) if job.balance else train, job.labels, paths[0])
    _docbin(nlp, dev, job.labels, paths[1])
    return paths


def train_job(
    job: Job,
    data_dir: Path,
    config_dir: Path,
    work_dir: Path,
    *,
    limit: int | None = None,
    overrides: dict[str, object] | None = None,
    pipelines_dir: Path | None = None,
    corrected: Sequence[corrections.Corrected] = (),
) -> Path:
    """Run ``spacy train`` with ``config/nlp/<job>.cfg`` (or the job's own trainer); returns the model folder.
    ``pipelines_dir`` holds the pipelines a trainer reads scores from (default: the packaged ones);
    ``corrected``: the agents' corrections, labels that outrank the data files'."""
    from spacy.cli.train import train as spacy_train

    if job.trainer is not None:
        from inbox.nlp.classifier import MODEL_DIR

        found = pipelines_dir is not None and (pipelines_dir / job.lang).is_dir()
        source = pipelines_dir if found and pipelines_dir is not None else MODEL_DIR
        return job.trainer(data_dir, source, work_dir / job.name / job.keep, job.corrected(corrected))

    train_path, dev_path = prepare(job, data_dir, work_dir, limit, corrected)
    out = work_dir / job.name
    spacy_train(
        config_dir / "nlp" / f"{job.name}.cfg",
        out,
        use_gpu=-1,
        overrides={"paths.train": str(train_path), "paths.dev": str(dev_path), **(overrides or {})},
    )
    if job.prior:
        weights = fit_prior(job, out / job.keep, dev_path)
        (out / PRIOR_FILE).write_text(json.dumps(weights, indent=2) + "\n", encoding="utf-8")
    return out / job.keep


def fit_prior(job: Job, model: Path, dev_path: Path) -> dict[str, float]:
    """Per-label weights maximising the trained model's macro-recall on the dev split (never validation)."""
    nlp = spacy.load(model)
    docs = list(DocBin().from_disk(dev_path).get_docs(nlp.vocab))
    gold = [max(job.labels, key=lambda lab, d=d: d.cats[lab]) for d in docs]  # type: ignore[misc]
    scores = [{lab: d.cats[lab] for lab in job.labels} for d in nlp.pipe(d.text for d in docs)]
    return fit_weights(scores, gold, job.labels)


def _prior_weights(trained: Path) -> dict[str, float] | None:
    path = trained.parent / PRIOR_FILE
    return (
        {k: float(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
        if path.is_file()
        else None
    )


def assemble(lang: str, trained: dict[str, Path], out_dir: Path) -> Path:
    """One pipeline per language: a blank tokenizer plus the trained textcat components, strings pruned."""
    nlp = spacy.blank(lang)
    packaged = spacy.load(out_dir / lang, exclude=["tokenizer"]) if (out_dir / lang).is_dir() else None
    for job_name in PIPELINES[lang]:
        job = JOBS[job_name]
        if job_name not in trained:  # not retrained: keep what ships in out_dir, if anything
            for name in (job.component, f"{job.component}_prior"):
                if packaged is not None and name in packaged.pipe_names:
                    nlp.add_pipe(name, source=packaged)
            continue
        nlp.add_pipe(job.component, source=spacy.load(trained[job_name]))
        weights = _prior_weights(trained[job_name]) if job.prior else None
        if weights:
            nlp.add_pipe(PRIOR_FACTORY, name=f"{job.component}_prior", config={"weights": weights})
    nlp.meta.update(
        {
            "name": f"inbox_{lang}",
            "version": "1.0.0",
            "description": "social-care inbox: sentiment and complaint textcats (inbox train)",
        }
    )
    target = out_dir / lang
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target, exclude=["tokenizer"])  # the language's default tokenizer, rebuilt at load time
    # Features are hashed: the strings seen in training are not needed at run time and weigh megabytes.
    (target / "vocab" / "strings.json").write_text("[]", encoding="utf-8")
    return target


def evaluate_pipelines(out_dir: Path, data_dir: Path) -> dict[str, dict[str, float]]:
    """Sentiment metrics of each packaged pipeline on its own validation split (routing not involved)."""
    from inbox.nlp.metrics import report

    out: dict[str, dict[str, float]] = {}
    for lang in PIPELINES:
        if not (out_dir / lang).is_dir():
            continue
        nlp = spacy.load(out_dir / lang, exclude=["tokenizer"])
        examples: list[Example] = datasets.read_sentiment(data_dir, lang, "val")
        docs = nlp.pipe([normalise(e.text) for e in examples], batch_size=256)
        pred = [max(SENTIMENTS, key=lambda lab, d=d: d.cats[lab]) for d in docs]  # type: ignore[misc]
        out[f"sentiment_{lang}_val"] = report([e.sentiment or "" for e in examples], pred, SENTIMENTS)
    return out


def train_all(
    data_dir: Path,
    config_dir: Path,
    out_dir: Path,
    work_dir: Path,
    *,
    only: Sequence[str] = (),
    limit: int | None = None,
    overrides: dict[str, object] | None = None,
    corrected: Sequence[corrections.Corrected] = (),
) -> dict[str, dict[str, float]]:
    """Train the jobs (all, or ``only``), assemble every pipeline whose jobs are trained, evaluate them;
    ``corrected``: the agents' corrections (``inbox.nlp.corrections``)."""
    if not data_dir.is_dir():
        raise datasets.DataMissing(
            f"training data folder not found: {data_dir} (pass --data-dir; "
            "the labelled data lives in ../shared/data on a developer machine)"
        )
    names = list(only) or list(JOBS)
    trained = {
        n: train_job(
            JOBS[n],
            data_dir,
            config_dir,
            work_dir,
            limit=limit,
            overrides=overrides,
            pipelines_dir=out_dir,
            corrected=corrected,
        )
        for n in names
    }
    trained |= {
        n: work_dir / n / JOBS[n].keep
        for n in JOBS
        if n not in trained and (work_dir / n / JOBS[n].keep).is_dir()
    }
    for lang, jobs in PIPELINES.items():
        if any(j in names for j in jobs):
            assemble(lang, trained, out_dir)
    metrics = evaluate_pipelines(out_dir, data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(
        json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return metrics
