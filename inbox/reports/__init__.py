"""Supervisor KPIs and exports: pure functions over read-model rows, fed by bounded SQL; shared by the
dashboard and the command line.

May import privacy, desk and everything below them; never automation, jobs, cli or ui.
"""
