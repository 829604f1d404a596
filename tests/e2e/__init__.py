"""Browser tests: the running app, listener and sandboxes, driven in Chromium through Playwright."""
