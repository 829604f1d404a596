"""Supervisor KPIs and exports: pure functions over read-model rows, fed by bounded SQL; shared by the
dashboard and the command line.

May import desk and everything below it; never automation, jobs, cli or ui.
"""
