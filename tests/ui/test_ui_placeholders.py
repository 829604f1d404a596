"""An empty channel picker says what to pick in the manager's language, not Streamlit's English "Choose
options" (the incident form, the admins' channel restriction)."""

from __future__ import annotations

from tests.support.seed_desk import Seeded
from tests.ui.test_ui_french import french, signed_in  # noqa: F401 (french: a fixture)


def test_the_incident_channels_picker_speaks_french(french: Seeded) -> None:  # noqa: F811
    at = signed_in(french, "maya", "inbox/ui/pages/incidents.py")
    [picker] = [m for m in at.multiselect if m.key == "inc-channels"]
    assert picker.value == [] and picker.placeholder == "Choisir des canaux"


def test_the_channel_restriction_picker_speaks_french(french: Seeded) -> None:  # noqa: F811
    at = signed_in(french, "ada", "inbox/ui/pages/team.py")
    pickers = [m for m in at.multiselect if str(m.key).startswith("scope-channels-")]
    assert pickers and all(m.placeholder == "Choisir des canaux" for m in pickers)
