"""The queue's peak banner says its counts as the reader writes numbers ("1 108" in French)."""

from __future__ import annotations

from inbox import i18n
from inbox.automation.peak import PeakStatus


def test_the_banner_writes_large_counts_with_the_languages_separators() -> None:
    status = PeakStatus(True, None, 1108, 1234, None, 4, None, None)
    with i18n.use_language("fr"):
        assert status.summary() == (
            "Plan de pic actif\u00a0: 1\u202f108 conversations en attente, "
            "1\u202f234 à risque ou en retard\u202f; "
            "les nouvelles mentions publiques sont informées d'une réponse sous 4 h."
        )
    with i18n.use_language("en"):
        assert status.summary().startswith("Peak plan on: 1,108 conversations waiting, 1,234 at risk or late")
