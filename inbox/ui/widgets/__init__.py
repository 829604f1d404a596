"""Parts of pages (not pages): the thread, the composer, panels and forms."""
