"""Outbound: replies are written first, then delivered at most once by any number of senders.

Owns the outbox's queue, claiming, sending through connectors and recording what the platform answered.
May import ingest (a delivered reply changes its conversation like a seen one), charter, store, config,
settings and connectors.
"""
