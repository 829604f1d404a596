"""The ``inbox`` command line (Typer), one module per command group; ``main`` assembles them.

An entry point: may import every stage, never the UI.
"""
