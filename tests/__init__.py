"""The test suite: one folder per kind of test; shared fixtures in conftest.py, shared helpers in support/."""
