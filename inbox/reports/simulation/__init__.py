"""The staffing simulator: replays an arrival stream through the queue's ordering rule with a number of
agents working the charter's business hours, and measures first-response attainment, waits and backlog.

Pure and deterministic (seeded) except ``stored``, which reads the arrivals and the observed handling times
from the database. Part of reports: may import desk, charter and everything below them; never streamlit.
Assumptions and figures: docs/simulator.md.
"""
