"""Helpers shared by the tests (plain functions, constants and classes; fixtures live in conftest.py)."""
