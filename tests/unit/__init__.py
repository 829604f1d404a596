"""Pure tests: no database, no sandbox or other server, no network (files under tmp_path are fine)."""
