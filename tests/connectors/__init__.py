"""Connector tests: each platform's connector against its loopback sandbox, and the sandboxes themselves."""
