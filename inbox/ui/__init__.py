"""The Streamlit screens: pages/ (one per navigation entry) and widgets/ (parts of pages); common helpers.

The only package that imports streamlit. May import every stage; reaches platform facts through
``inbox.config.platforms``, never ``connectors``.
"""
