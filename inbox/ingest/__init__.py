"""Inbound: what arrives from the platforms becomes stored messages and conversations, exactly once.

Owns polling (poll) within the platforms' read budgets (read_budget), one page into the store with its cursor
(page), backfill, the webhook receiver (webhooks/), building connectors from channels.toml (channels), how a
message changes its conversation (threads) and the classification written onto stored rows (classified). May
import charter, nlp, store, config, settings and connectors.
"""
