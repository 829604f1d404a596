"""The French contact-reason model, learned from a French team's own reason corrections (job ``reasons_fr``).

Rule: the agents' reason corrections of messages in French (``corrections.labels_for(..., "reason", "fr")``,
the latest per text) train a model with the English model's code (``reason_train.train``: ``reason_model.fit``
over hashed ``features``, class balance 0.5), on the words only: the French phrase rules add their boost when
the decision is made, and a model taught with them as features learnt the rules instead of the words (taught
by corrections the phrases already decide, it then pulled a message about nothing, "Bonne journée à vous",
into a taught reason). Each corrected text
counted ``COPIES`` times as English corrections are, no English row mixed in. Its labels are the reasons the
corrections use (the decision gives any other reason the untrained share, so its phrases still win). It is
trained only from ``MIN_TEXTS`` corrected messages covering ``MIN_REASONS`` reasons; below that no French
model is left in ``<model_dir>/reasons/fr`` and French stays decided by its rules alone.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from inbox.nlp.corrections import Corrected, labels_for
from inbox.nlp.reason_train import train, with_corrections
from inbox.nlp.reasons import ReasonDecider, ReasonSettings

LANG = "fr"
MIN_TEXTS = 20  # distinct corrected French messages
MIN_REASONS = 2  # distinct reasons among them
BALANCE = 0.5  # the English model's class balance (count^-balance)


def train_french(corrections: Sequence[Corrected], settings: ReasonSettings, model_dir: Path) -> str:
    """Train and write ``model_dir/reasons/fr`` from the French reason corrections, or remove it when they
    are fewer than the minimum; returns what was done."""
    corrected = {t: r for t, r in labels_for(corrections, "reason", LANG).items() if r in settings.labels}
    used = Counter(corrected.values())
    out = model_dir / "reasons" / LANG
    if len(corrected) < MIN_TEXTS or len(used) < MIN_REASONS:
        if out.is_dir():
            shutil.rmtree(out)
        return (
            f"{len(corrected)} corrected French message(s) over {len(used)} reason(s), fewer than "
            f"{MIN_TEXTS} over {MIN_REASONS}: no French model, French reasons stay rules only"
        )
    labels = [r for r in settings.labels if r in used]  # the taxonomy's order
    rows = with_corrections([], corrected)
    model = train(rows, ReasonDecider(settings, {}, "en"), BALANCE, lang=LANG, labels=labels, rules=False)
    model.save(out)
    mix = ", ".join(f"{r} {used[r]}" for r in labels)
    return f"{len(corrected)} corrected French message(s) ({mix}); weights in {out}"
