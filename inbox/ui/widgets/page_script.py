"""A script of ours run in the page (st.html with JavaScript), with its data inlined as JSON.

The script's ``__DATA__`` becomes the data; its ``//`` comments, written for maintainers, are left out of the
page. The data is escaped so that no text in it (a customer's message) can end the script element.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import streamlit as st

_COMMENT = re.compile(r"\s+// .*$")  # a comment after code


def source(path: Path, data: Any) -> str:
    """The ``<script>`` element for ``path`` with ``data``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    code = "\n".join(_COMMENT.sub("", line) for line in lines if not line.lstrip().startswith("//"))
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return f"<script>{code.replace('__DATA__', payload, 1)}</script>"


def run(path: Path, data: Any) -> None:
    """Run the script in the page (each time the app or the calling fragment runs)."""
    st.html(source(path, data), unsafe_allow_javascript=True)
