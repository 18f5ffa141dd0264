"""The lifecycle page shows the transition table rendered from ``TRANSITIONS``.

When the table changes, this test fails and prints the new markdown to paste
between the page's ``transitions`` markers.
"""

from __future__ import annotations

from pathlib import Path

from gsan_core.model.service_orders import OrderAction, OrderSituation
from gsan_core.rules.service_orders import TRANSITIONS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "service-orders" / "lifecycle.md"
START = "<!-- transitions:start (generated from TRANSITIONS; see tests/docs) -->"
END = "<!-- transitions:end -->"
COLUMNS: tuple[OrderSituation | None, ...] = (
    None,
    OrderSituation.PENDING,
    OrderSituation.IN_EXECUTION,
    OrderSituation.AWAITING_RELEASE,
    OrderSituation.CLOSED,
)


def _situation(situation: OrderSituation | None) -> str:
    if situation is None:
        return "(new)"
    return f"{situation.value} {situation.name.replace('_', ' ').lower()}"


def render_transitions() -> str:
    """The markdown matrix: one row per action, one column per situation before;
    a cell names the situation after (blank: refused)."""
    header = "| Action | " + " | ".join(_situation(c) for c in COLUMNS) + " |"
    rule = "|---" * (len(COLUMNS) + 1) + "|"
    rows = [header, rule]
    for action in OrderAction:
        cells = []
        for before in COLUMNS:
            after = TRANSITIONS.get((before, action))
            cells.append("" if after is None else f"→ {_situation(after)}")
        rows.append(f"| `{action.value}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def test_lifecycle_page_shows_the_current_transition_table() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert START in text
    assert END in text
    shown = text.split(START, 1)[1].split(END, 1)[0].strip()
    expected = render_transitions()
    assert shown == expected, f"docs/service-orders/lifecycle.md is stale:\n{expected}"


def test_every_action_appears_in_the_table() -> None:
    assert {action for _, action in TRANSITIONS} == set(OrderAction)
