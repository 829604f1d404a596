"""Persistence: engines and migrations (engine), every table (tables/), session-taking helpers (records).

Owns the schema and nothing else: no business rule lives here. May import config and settings (and
``connectors.base`` for the item types it stores). Callers own their transactions: nothing here commits.
"""
