"""``profiles_days`` may not be shorter than ``messages_days``: a profile gone before its messages would
leave their words (and payloads naming the person) without the profile they belong to; the charter says so."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from inbox.charter.policies import Retention


def test_profiles_days_shorter_than_messages_days_is_refused() -> None:
    with pytest.raises(ValidationError, match="profiles_days .30. must be at least messages_days .180."):
        Retention(messages_days=180, profiles_days=30)


@pytest.mark.parametrize("kept", [{"messages_days": 180, "profiles_days": 365}, {"profiles_days": 30}, {}])
def test_a_profile_period_as_long_as_the_messages_or_alone_is_fine(kept: dict[str, int]) -> None:
    assert Retention(**kept).profiles_days == kept.get("profiles_days")
