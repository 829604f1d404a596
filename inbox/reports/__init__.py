"""Supervisor KPIs: pure functions over read-model rows, fed by bounded SQL; shared by dashboard and CLI."""
