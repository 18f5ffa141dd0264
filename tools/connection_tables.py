"""Render the connection transition tables of the docs from the profiles' data.

    .venv/bin/python tools/connection_tables.py          # rewrite the pages
    .venv/bin/python tools/connection_tables.py --check  # fail if out of date

Each page holds its table between ``<!-- transitions:<family> -->`` and
``<!-- /transitions -->``; the rows come from
:func:`gsan_core.rules.connections.transition_rows` for the default profile,
followed by the operations whose allowed sources differ in the other bundled
profiles.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from gsan_core import profiles
from gsan_core.rules.connections import OPERATIONS, transition_rows

DOCS = Path(__file__).resolve().parents[1] / "docs" / "connections"
PAGES = {
    "water": DOCS / "water.md",
    "sewer": DOCS / "sewer.md",
    "change": DOCS / "change-situation.md",
    "batch": DOCS / "batches.md",
}
BLOCK = re.compile(
    r"(<!-- transitions:(?P<family>\w+) -->\n).*?(<!-- /transitions -->)", re.S
)


def _names(loaded: profiles.LoadedProfile, kind: str) -> dict[int, str]:
    return {i.id: i.description for i in loaded.seeds if i.kind == kind}


def _sources(ids: tuple[int, ...] | None, names: dict[int, str]) -> str:
    if ids is None:
        return "any (not checked)"
    if not ids:
        return "none (not enabled)"
    return ", ".join(f"{i} {names.get(i, '?')}" for i in ids)


def render(family: str) -> str:
    """The markdown table of ``family`` (``water``, ``sewer``, ``change``, ``batch``)."""
    default = profiles.load("gsan_default")
    lines = [
        "| Operation | GSAN | From | To | Sewer | Meter | OS check (menu) | Charges "
        "| In-field lock |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in transition_rows(default.profile, family):  # type: ignore[arg-type]
        kind = OPERATIONS[row.key].kind.value
        names = _names(default, f"{kind}_status")
        operation = f"`{row.key}` {row.title} ({row.use_case})"
        gsan = "" if row.gsan_operation is None else str(row.gsan_operation)
        lines.append(
            f"| {operation} | {gsan} | {kind}: {_sources(row.sources, names)} "
            f"| {row.target} | {row.sewer_effect} | {row.meter} | {row.menu_variant} "
            f"| {'yes' if row.charges else 'no'} | {'yes' if row.field_lock else 'no'} |"
        )
    lines += ["", "Where the other bundled profiles differ:", ""]
    differences = []
    for name in profiles.available():
        if name == "gsan_default":
            continue
        other = profiles.load(name)
        for row, base in zip(
            transition_rows(other.profile, family),  # type: ignore[arg-type]
            transition_rows(default.profile, family),  # type: ignore[arg-type]
            strict=True,
        ):
            if (row.sources, row.target) != (base.sources, base.target):
                kind = OPERATIONS[row.key].kind.value
                names = _names(other, f"{kind}_status")
                differences.append(
                    f"| `{name}` | `{row.key}` | {_sources(row.sources, names)} "
                    f"| {row.target} |"
                )
    if differences:
        lines += [
            "| Profile | Operation | From | To |",
            "|---|---|---|---|",
            *differences,
        ]
    else:
        lines.append("none.")
    return "\n".join(lines) + "\n"


def rewrite(text: str) -> str:
    """``text`` with every transitions block regenerated."""
    return BLOCK.sub(
        lambda m: m.group(1) + render(m.group("family")) + m.group(3), text
    )


def main(argv: list[str]) -> int:
    stale = []
    for page in PAGES.values():
        text = page.read_text(encoding="utf-8")
        fresh = rewrite(text)
        if fresh != text:
            stale.append(page)
            if "--check" not in argv:
                page.write_text(fresh, encoding="utf-8")
    if stale and "--check" in argv:
        print("out of date:", ", ".join(str(p) for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
