"""X (API v2 through tweepy): mentions, DMs, replies; the weighted length; Account Activity webhooks."""
