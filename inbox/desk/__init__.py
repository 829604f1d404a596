"""The agents' desk: the queue, actions on a conversation, assignment, presence, notes, people and accounts.

Every change is audited. May import replies, outbox, ingest, charter, nlp, store, config and settings.
"""
