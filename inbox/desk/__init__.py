"""The agents' desk: the queue, actions on a conversation (one or in bulk), incidents (``incidents/``: one
problem answered together), assignment, presence, notes, people and accounts.

Every change is audited. May import replies, outbox, ingest, charter, nlp, store, config and settings.
"""
