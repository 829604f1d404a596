"""The Mastodon REST API sandbox."""
