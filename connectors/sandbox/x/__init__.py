"""The X API v2 sandbox."""
