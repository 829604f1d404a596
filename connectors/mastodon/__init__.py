"""Mastodon (REST API over requests): mentions, direct messages, search; its HTML and length rules."""
