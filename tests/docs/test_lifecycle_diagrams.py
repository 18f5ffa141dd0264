"""The lifecycle diagrams of the docs list every transition of the tables."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

from gsan_core import profiles
from gsan_core.model.connections import ConnectionKind
from gsan_core.rules.connections import OPERATIONS
from gsan_core.rules.service_orders import TRANSITIONS as ORDERS
from gsan_core.rules.service_requests import TRANSITIONS as REQUESTS

ROOT = Path(__file__).resolve().parents[2]
TOOL = runpy.run_path(str(ROOT / "tools" / "lifecycle_diagrams.py"))
ARROW = re.compile(r"^    (\S+) --> (\S+): (.*)$", re.M)


def arrows(source: str) -> dict[tuple[str, str], list[str]]:
    return {(a, b): labels.split("<br/>") for a, b, labels in ARROW.findall(source)}


@pytest.mark.parametrize(("name", "table"), [("order", ORDERS), ("request", REQUESTS)])
def test_every_row_of_the_table_is_an_arrow(name: str, table: dict) -> None:  # type: ignore[type-arg]
    drawn = arrows(TOOL["render"](name))
    for (before, action), after in table.items():
        start = "[*]" if before is None else before.name
        assert action.value in drawn[(start, after.name)], (before, action)
    assert sum(len(labels) for labels in drawn.values()) == len(table)


@pytest.mark.parametrize("kind", list(ConnectionKind))
def test_every_allowed_source_of_every_operation_is_an_arrow(
    kind: ConnectionKind,
) -> None:
    profile = profiles.default().profile
    source = TOOL["render"](kind.value)
    drawn = arrows(source)
    expected = 0
    for spec in OPERATIONS.values():
        if spec.kind is not kind or not spec.checks_source:
            continue
        for start in profile.allowed(spec.key):
            if spec.target_role is not None:
                targets = [f"s{t}" for t in profile.ids(spec.target_role)]
            elif spec.target_text == "unchanged":
                targets = [f"s{start}"]
            else:
                targets = ["by_" + spec.key.replace(".", "_")]
            for target in targets:
                assert spec.key in drawn[(f"s{start}", target)], (spec.key, start)
                expected += 1
    assert sum(len(labels) for labels in drawn.values()) == expected
    if kind is ConnectionKind.WATER:
        assert 'state "LIGADO (3)" as s3' in source
        assert "water.cut" in drawn[("s3", "s5")]


def test_the_docs_page_gets_every_diagram() -> None:
    hooks = runpy.run_path(str(ROOT / "docs" / "hooks.py"))
    page = (ROOT / "docs" / "reference" / "lifecycles.md").read_text(encoding="utf-8")
    built = hooks["on_page_markdown"](page, page=None, config=None, files=None)
    assert built.count("```mermaid\nstateDiagram-v2") == len(TOOL["LIFECYCLES"])
    assert "<!-- lifecycle:" not in built
    assert hooks["on_page_markdown"]("# no diagram\n") == "# no diagram\n"
    with pytest.raises(ValueError, match="unknown lifecycle"):
        TOOL["render"]("meter")
