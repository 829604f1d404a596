"""Choose your own password: shown instead of every page while the signed-in account's password is one an
admin chose (added on the Team page, or reset); ``inbox.desk.accounts`` holds the rule."""

from __future__ import annotations

import streamlit as st

from inbox.desk import accounts
from inbox.i18n import _
from inbox.ui.common import current_user
from inbox.ui.widgets import my_password


def main() -> None:
    user = current_user()
    assert user is not None and user.id is not None
    st.title(_("Choose your password"))
    st.info(
        _(
            "An admin chose the password you signed in with. Choose your own to go on: at least {n} "
            "characters, known to you alone."
        ).format(n=accounts.MIN_PASSWORD),
        icon=":material/key:",
    )
    my_password.form(user.id)


main()
