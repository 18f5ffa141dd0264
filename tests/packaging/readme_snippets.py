"""Run the README's Python snippets and report what each printed (stdlib only:
it also runs in a clean virtualenv with the wheel installed).

    python readme_snippets.py README.md EXTRA,EXTRA...

prints a JSON list, one item per snippet: ``{"needs": [...], "ran": bool,
"printed": str, "expected": str | null}``. A snippet needs the extras of the
last "With `pip install ...`" sentence before it; one whose extras are not all
given is not run. ``expected`` is the ``text`` block after "It prints".
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from pathlib import Path

FENCE = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
WITH = re.compile(r"With `pip install (?:\"?)gsan-core(?:\[([a-z,]+)\])?")


def snippets(text: str) -> list[dict[str, object]]:
    """The python blocks of ``text`` with their extras and expected output."""
    found: list[dict[str, object]] = []
    needs: list[str] = []
    position = 0
    blocks = list(FENCE.finditer(text))
    for index, block in enumerate(blocks):
        between = text[position : block.start()]
        for match in WITH.finditer(between):
            needs = [e for e in (match.group(1) or "").split(",") if e]
        position = block.end()
        if block.group(1) != "python":
            continue
        expected = None
        if index + 1 < len(blocks):
            after = blocks[index + 1]
            gap = text[block.end() : after.start()]
            if after.group(1) == "text" and "It prints" in gap:
                expected = after.group(2)
        found.append({"code": block.group(2), "needs": needs, "expected": expected})
    return found


def run(path: Path, extras: set[str]) -> list[dict[str, object]]:
    """Run the snippets of ``path`` whose extras are in ``extras``, in order, in
    one namespace."""
    namespace: dict[str, object] = {"__name__": "__readme__"}
    results = []
    for number, snippet in enumerate(snippets(path.read_text(encoding="utf-8"))):
        needs = list(snippet["needs"])  # type: ignore[call-overload]
        ran = set(needs) <= extras
        printed = io.StringIO()
        if ran:
            code = compile(str(snippet["code"]), f"README[{number}]", "exec")
            with contextlib.redirect_stdout(printed):
                exec(code, namespace)
        results.append(
            {
                "needs": needs,
                "ran": ran,
                "printed": printed.getvalue(),
                "expected": snippet["expected"],
            }
        )
    return results


if __name__ == "__main__":
    given = {e for e in (sys.argv[2] if len(sys.argv) > 2 else "").split(",") if e}
    print(json.dumps(run(Path(sys.argv[1]), given)))
