"""What the charter enforces on its own: the automation tick, automatic replies, the peak plan, escalation
alerts and their text, moderation and satisfaction surveys. Each action happens once, wherever it runs.

May import privacy, desk and everything below them; never reports, jobs, cli or ui.
"""
