"""One module per page of ``app.py``'s navigation; each runs top to bottom on every rerun."""
