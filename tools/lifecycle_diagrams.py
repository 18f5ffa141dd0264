"""Mermaid state diagrams of the lifecycles, generated from the transition
tables (so the docs cannot drift from the rules).

The docs build calls :func:`render` through ``docs/hooks.py``: a page line
``<!-- lifecycle: order -->`` becomes the diagram of
``gsan_core.rules.service_orders.TRANSITIONS`` (``request``: the RA's table;
``water`` / ``sewer``: the connection operations of ``OPERATIONS`` with the
default profile's allowed source situations).

    python tools/lifecycle_diagrams.py order
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from enum import Enum

from gsan_core import profiles
from gsan_core.model.connections import ConnectionKind
from gsan_core.rules.connections import OPERATIONS
from gsan_core.rules.service_orders import TRANSITIONS as ORDER_TRANSITIONS
from gsan_core.rules.service_requests import TRANSITIONS as REQUEST_TRANSITIONS

LIFECYCLES = ("order", "request", "water", "sewer")

Edge = tuple[str, str, str]  # (before state, after state, label)


def _state(situation: Enum | None) -> str:
    return "[*]" if situation is None else situation.name


def table_edges(table: Mapping[tuple[Enum | None, Enum], Enum]) -> list[Edge]:
    """One edge per row of a ``(before, action) -> after`` table."""
    return [
        (_state(before), _state(after), str(action.value))
        for (before, action), after in table.items()
    ]


def connection_edges(
    kind: ConnectionKind, profile_name: str = "gsan_default"
) -> list[Edge]:
    """One edge per (allowed source situation, operation) of the connection
    operations of ``kind`` that move its situation to a role, in the profile."""
    profile = profiles.load(profile_name).profile
    edges: list[Edge] = []
    for spec in OPERATIONS.values():
        if spec.kind is not kind or not spec.checks_source:
            continue
        sources = sorted(profile.allowed(spec.key))
        if spec.target_role is not None:
            targets = [f"s{t}" for t in sorted(profile.ids(spec.target_role))]
            edges += [(f"s{s}", t, spec.key) for t in targets for s in sources]
        elif spec.target_text == "unchanged":
            edges += [(f"s{s}", f"s{s}", spec.key) for s in sources]
        else:  # computed: a note state says how
            edges += [(f"s{s}", _computed(spec.key), spec.key) for s in sources]
    return edges


def _computed(key: str) -> str:
    return "by_" + key.replace(".", "_")


def _labels(kind: ConnectionKind, profile_name: str = "gsan_default") -> dict[str, str]:
    loaded = profiles.load(profile_name)
    labels = {
        f"s{item.id}": f"{item.description} ({item.id})"
        for item in loaded.seeds
        if item.kind == f"{kind.value}_status"
    }
    for spec in OPERATIONS.values():
        if (
            spec.kind is kind
            and spec.checks_source
            and spec.target_role is None
            and spec.target_text != "unchanged"
        ):
            labels[_computed(spec.key)] = spec.target_text.replace('"', "'")
    return labels


def mermaid(edges: Iterable[Edge], labels: Mapping[str, str] | None = None) -> str:
    """A ``stateDiagram-v2`` with one arrow per pair of states, labelled with
    every action that takes it (in table order)."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for before, after, label in edges:
        grouped[(before, after)].append(label)
    lines = ["stateDiagram-v2"]
    for state, text in (labels or {}).items():
        lines.append(f'    state "{text}" as {state}')
    for (before, after), actions in grouped.items():
        lines.append(f"    {before} --> {after}: {'<br/>'.join(actions)}")
    return "\n".join(lines)


def render(name: str) -> str:
    """The Mermaid source of the lifecycle ``name`` (one of :data:`LIFECYCLES`)."""
    if name == "order":
        return mermaid(table_edges(ORDER_TRANSITIONS))  # type: ignore[arg-type]
    if name == "request":
        return mermaid(table_edges(REQUEST_TRANSITIONS))  # type: ignore[arg-type]
    if name in ("water", "sewer"):
        kind = ConnectionKind(name)
        return mermaid(connection_edges(kind), _labels(kind))
    msg = f"unknown lifecycle {name!r}: one of {', '.join(LIFECYCLES)}"
    raise ValueError(msg)


def main(argv: list[str]) -> int:
    for name in argv or list(LIFECYCLES):
        print(f"```mermaid\n{render(name)}\n```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
