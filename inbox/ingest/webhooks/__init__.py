"""The webhook receiver (``inbox webhooks``): each pushed event is verified, stored raw, then ingested."""
