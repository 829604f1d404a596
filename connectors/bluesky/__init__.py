"""Bluesky (AT Protocol XRPC over requests): mentions, replies, quotes, chat DMs, search."""
