"""MkDocs hooks of the documentation build.

A page line ``<!-- lifecycle: NAME -->`` becomes the Mermaid state diagram of
that lifecycle, generated from its transition table by
``tools/lifecycle_diagrams.py`` at build time.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

_TOOL = Path(__file__).resolve().parents[1] / "tools" / "lifecycle_diagrams.py"
_MARK = re.compile(r"^<!-- lifecycle: (\w+) -->$", re.M)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Replace every lifecycle mark of a page with its diagram."""
    if not _MARK.search(markdown):
        return markdown
    render = runpy.run_path(str(_TOOL))["render"]
    return _MARK.sub(lambda m: f"```mermaid\n{render(m.group(1))}\n```", markdown)
