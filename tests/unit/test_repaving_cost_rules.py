"""The pure repaving cost rules (``gsan_core.rules.repaving_costs``): the
cost lines (PAV-06), a cost's change (PAV-07), the cost bulletin (PAV-11)
and the services' unit (PAV-09)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from gsan_core.errors import Violation
from gsan_core.model.repaving import (
    CostLine,
    PavementSurface,
    RepavingCost,
    RepavingWork,
)
from gsan_core.rules import repaving_costs as rules

STREET = PavementSurface.STREET
SIDEWALK = PavementSurface.SIDEWALK


def _codes(found: list[Violation]) -> list[str]:
    return [v.code for v in found]


def _cost(
    cid: int,
    valid_from: date,
    valid_until: date | None = None,
    *,
    surface: PavementSurface = STREET,
    pavement_type_id: int = 3,
    value: str = "10.00",
) -> RepavingCost:
    return RepavingCost(
        id=cid,
        unit_id=7,
        surface=surface,
        pavement_type_id=pavement_type_id,
        valid_from=valid_from,
        valid_until=valid_until,
        value=Decimal(value),
        actor=1,
    )


def _work(**fields: object) -> RepavingWork:
    base: dict[str, object] = {
        "id": 1,
        "order_id": 100,
        "property_id": None,
        "unit_id": 7,
        "closed_on": date(2025, 3, 10),
        "opened_at": datetime(2025, 3, 1, tzinfo=UTC),
        "actor": 1,
    }
    base.update(fields)
    return RepavingWork(**base)  # type: ignore[arg-type]


def test_pav_06_missing_vigencia_start_is_invalid() -> None:
    """PAV-06: lines without a vigência start are refused as an invalid start."""
    found = rules.check_cost_lines(
        unit_id=7,
        repaving_unit=True,
        valid_from=None,
        lines=[CostLine(surface=STREET, pavement_type_id=3, value=Decimal(5))],
        open_costs=[_cost(1, date(2025, 1, 1))],
    )
    assert _codes(found) == ["repaving.cost.start_invalid"]


def test_pav_06_a_pavement_type_given_twice_on_one_surface() -> None:
    """PAV-06: the same pavement type twice on one surface is refused; the
    same type on the other surface is not a repeat."""
    found = rules.check_cost_lines(
        unit_id=7,
        repaving_unit=True,
        valid_from=date(2025, 2, 1),
        lines=[
            CostLine(surface=STREET, pavement_type_id=3, value=Decimal(5)),
            CostLine(surface=SIDEWALK, pavement_type_id=3, value=Decimal(5)),
            CostLine(surface=STREET, pavement_type_id=3, value=Decimal(6)),
        ],
        open_costs=[],
    )
    assert _codes(found) == ["repaving.cost.line_twice"]
    assert found[0].params == {"pavement_type_id": 3, "surface": "street"}


def test_pav_07_missing_start_is_refused_alone() -> None:
    """PAV-07: a change without a start gives only the invalid start."""
    found = rules.check_cost_update(
        _cost(1, date(2025, 1, 1)),
        valid_from=None,
        valid_until=date(2024, 1, 1),
        value=Decimal(0),
        siblings=[],
        gap_confirmed=False,
    )
    assert _codes(found) == ["repaving.cost.start_invalid"]


def test_pav_07_value_must_be_positive() -> None:
    """PAV-07: a zero value is refused (and no gap is looked for then)."""
    cost = _cost(2, date(2025, 3, 1))
    found = rules.check_cost_update(
        cost,
        valid_from=date(2025, 3, 1),
        valid_until=None,
        value=Decimal(0),
        siblings=[cost, _cost(1, date(2025, 1, 1), date(2025, 1, 31))],
        gap_confirmed=False,
    )
    assert _codes(found) == ["repaving.cost.value_not_positive"]
    assert found[0].params == {"pavement_type_id": 3}


def test_pav_07_gap_after_the_previous_vigencia_needs_confirming() -> None:
    """PAV-07: days between the previous vigência's end and the new start
    need confirming; confirmed, the change passes."""
    cost = _cost(2, date(2025, 2, 1))
    previous = _cost(1, date(2025, 1, 1), date(2025, 1, 31))
    found = rules.check_cost_update(
        cost,
        valid_from=date(2025, 2, 10),
        valid_until=None,
        value=Decimal(5),
        siblings=[previous, cost],
        gap_confirmed=False,
    )
    assert _codes(found) == ["repaving.cost.gap"]
    assert found[0].params == {
        "gap_from": date(2025, 2, 1),
        "gap_until": date(2025, 2, 9),
    }
    assert (
        rules.check_cost_update(
            cost,
            valid_from=date(2025, 2, 10),
            valid_until=None,
            value=Decimal(5),
            siblings=[previous, cost],
            gap_confirmed=True,
        )
        == []
    )


def test_pav_07_adjacent_vigencias_leave_no_gap() -> None:
    """PAV-07: a start the day after the previous end, and an end the day
    before the next start, leave no gap."""
    cost = _cost(2, date(2025, 2, 1), date(2025, 2, 28))
    found = rules.check_cost_update(
        cost,
        valid_from=date(2025, 2, 1),
        valid_until=date(2025, 2, 28),
        value=Decimal(5),
        siblings=[
            _cost(1, date(2025, 1, 1), date(2025, 1, 31)),
            cost,
            _cost(3, date(2025, 3, 1)),
        ],
        gap_confirmed=False,
    )
    assert found == []


def test_pav_07_gap_before_the_next_vigencia_needs_confirming() -> None:
    """PAV-07: an end well before the next vigência starts leaves a gap."""
    cost = _cost(2, date(2025, 2, 1), date(2025, 2, 28))
    found = rules.check_cost_update(
        cost,
        valid_from=date(2025, 2, 1),
        valid_until=date(2025, 2, 20),
        value=Decimal(5),
        siblings=[cost, _cost(3, date(2025, 3, 1))],
        gap_confirmed=False,
    )
    assert _codes(found) == ["repaving.cost.gap"]
    assert found[0].params == {
        "gap_from": date(2025, 2, 21),
        "gap_until": date(2025, 2, 28),
    }


def test_pav_07_an_open_end_before_a_later_vigencia_overlaps() -> None:
    """PAV-07: an open end with a later vigência overlaps it (no gap check)."""
    cost = _cost(2, date(2025, 2, 1), date(2025, 2, 28))
    found = rules.check_cost_update(
        cost,
        valid_from=date(2025, 2, 1),
        valid_until=None,
        value=Decimal(5),
        siblings=[cost, _cost(3, date(2025, 3, 1))],
        gap_confirmed=False,
    )
    assert _codes(found) == ["repaving.cost.overlaps"]


def test_pav_11_cost_on_needs_a_pavement_type_and_a_cost_in_force() -> None:
    """PAV-11: no pavement type, or no cost of it in force, prices nothing."""
    costs = [
        _cost(1, date(2025, 1, 1), date(2025, 1, 31)),
        _cost(2, date(2025, 1, 1), surface=SIDEWALK),
    ]
    assert (
        rules.cost_on(costs, surface=STREET, pavement_type_id=None, on=date(2025, 1, 5))
        is None
    )
    assert (
        rules.cost_on(costs, surface=STREET, pavement_type_id=3, on=date(2025, 2, 5))
        is None
    )
    assert (
        rules.cost_on(costs, surface=STREET, pavement_type_id=3, on=date(2025, 1, 5))
        == costs[0]
    )


def test_pav_11_cost_line_without_cost_or_area() -> None:
    """PAV-11: a street with no cost in force has no unit cost nor cost; a
    sidewalk priced but without area has the unit cost only."""
    work = _work(
        street_pavement_id=3,
        street_area=Decimal("2.5"),
        sidewalk_pavement_id=4,
        sidewalk_area=None,
    )
    costs = [_cost(1, date(2025, 1, 1), surface=SIDEWALK, pavement_type_id=4)]
    line = rules.cost_line(work, costs=costs)
    assert line.street_unit_cost is None
    assert line.street_cost is None
    assert line.sidewalk_unit_cost == Decimal("10.00")
    assert line.sidewalk_cost is None
    assert line.total == Decimal(0)


def test_pav_09_service_unit_must_be_given_and_repave() -> None:
    """PAV-09: a service without a unit, or of a unit that does not repave,
    is refused."""
    found = rules.check_service_unit(
        unit_id=None, user_unit_id=None, user_repaves=False, repaves=True
    )
    assert _codes(found) == ["repaving.service.unit_not_repaving"]
    found = rules.check_service_unit(
        unit_id=7, user_unit_id=None, user_repaves=False, repaves=False
    )
    assert _codes(found) == ["repaving.service.unit_not_repaving"]
    assert found[0].params == {"unit_id": 7}
    assert (
        rules.check_service_unit(
            unit_id=7, user_unit_id=None, user_repaves=False, repaves=True
        )
        == []
    )
