"""Long-running and batch jobs: the listener worker, what every entry point builds once (context), the
demo, bulk reclassification.

May import automation, reports and everything below; never cli or ui.
"""
