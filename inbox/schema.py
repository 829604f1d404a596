"""Every module that defines tables, imported once so SQLModel.metadata holds the whole schema.

Alembic's env.py and the tests import this; a new module with ``table=True`` models adds its import here.
"""

from __future__ import annotations

import inbox.enforcement_models  # noqa: F401
import inbox.models  # noqa: F401
import inbox.notes  # noqa: F401
import inbox.people  # noqa: F401
import inbox.presence  # noqa: F401
import inbox.webhooks.models  # noqa: F401
