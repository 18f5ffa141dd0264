"""The single commands of the scale report beside their lean SQL (issue 20).

Each command runs on the big database of :mod:`benchmarks.scale` interleaved
with its lean hand-written version (:func:`interleaved`: alternating rounds of
ten calls, so both see the same load), on rows of its own; a figure is the mean
milliseconds per call of each side (:func:`command_figure`). Used by
``python -m benchmarks.scale`` and ``python -m benchmarks.commands``;
:mod:`benchmarks.lean_orders` and :mod:`benchmarks.lean_meters` measure their
commands with the same two helpers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa

import gsan_core
from benchmarks import connections as connection_bench
from benchmarks import hydrometers as meter_bench
from benchmarks import id_ranges, limits, scale
from benchmarks import requests as request_bench
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.model.hydrometers import ReplaceHydrometer
from gsan_core.model.service_orders import OrderSituation
from gsan_core.model.service_requests import RequestLocation
from gsan_core.synthetic import FIRST_METER_ID, FIRST_PROPERTY_ID
from gsan_core.testing.hydrometers import METER
from gsan_core.testing.request_utility import CHANNEL_PHONE, GROUP_WATER

#: A call's argument, made by :func:`prepared`'s set-up.
T = TypeVar("T")


def interleaved(
    library: Callable[[int], None], baseline: Callable[[int], None], count: int
) -> tuple[float, float]:
    """Mean seconds per call of each, run in alternating rounds of 10 so both
    see the same machine load (the first round warms caches and is dropped,
    unless it is the only one: ``count`` of 10 or fewer). ``ValueError``
    when ``count`` is below 1 (no rows were left to run the command on)."""
    return prepared(library, baseline, _numbers, count)


def _numbers(side: int, calls: range) -> list[int]:
    """The calls' own numbers: :func:`interleaved`'s rounds need no set-up."""
    del side
    return list(calls)


def prepared(
    library: Callable[[T], None],
    baseline: Callable[[T], None],
    prepare: Callable[[int, range], Sequence[T]],
    count: int,
    *,
    per_round: int = 10,
) -> tuple[float, float]:
    """:func:`interleaved` with a set-up outside the timing: before each
    side's round of ``per_round`` calls, ``prepare(side, calls)`` (side 0
    the library, 1 the lean version; ``calls`` the round's call numbers)
    makes that round's rows and returns one argument per call; only the
    calls on them are timed. For a command that consumes what it finds (a
    batch over every due row: ``per_round=1``, each call its own fresh
    rows), so that each side's call sees only the rows made for it."""
    if count < 1:
        raise ValueError(
            "nothing to measure: no rows left for this command "
            "(a larger --size or fewer --commands)"
        )
    if per_round < 1:
        raise ValueError("a round needs at least one call")
    spent = [0.0, 0.0]
    rounds = range(0, count, per_round)
    warming = 1 if len(rounds) > 1 else 0
    for index, start in enumerate(rounds):
        calls = range(start, min(start + per_round, count))
        for side, action in enumerate((library, baseline)):
            arguments = prepare(side, calls)
            if len(arguments) != len(calls):
                raise ValueError(
                    f"the set-up made {len(arguments)} arguments for {len(calls)} calls"
                )
            began = time.perf_counter()
            for argument in arguments:
                action(argument)
            if index >= warming:
                spent[side] += time.perf_counter() - began
    measured = count - min(count, per_round) * warming
    return spent[0] / measured, spent[1] / measured


def command_figure(
    name: str, size: int, library_s: float, baseline_s: float
) -> dict[str, Any]:
    return {
        "name": name,
        "unit": "ms",
        "higher_is_better": False,
        "target": 2.0,
        "size": size,
        "library": library_s * 1_000,
        "baseline": baseline_s * 1_000,
    }


def connected(sql: SqlBackend, *, metered: bool, limit: int) -> list[int]:
    """LIGADO properties (with or without a meter) spread over the utility."""
    prop, install = sql.tables["property"], sql.tables["hydrometer_installation"]
    has_meter = (
        sa.select(sa.literal(1))
        .where(install.c.property_id == prop.c.id, install.c.removed_on.is_(None))
        .exists()
    )
    with sql.engine.connect() as connection:
        ids = list(
            connection.execute(
                sa.select(prop.c.id)
                .where(
                    prop.c.water_status_id == 3, has_meter if metered else ~has_meter
                )
                .order_by(prop.c.id)
            ).scalars()
        )
    step = max(1, len(ids) // limit)
    return ids[::step][:limit]


#: The properties a figure of this process opened RAs on (INS-09 refuses a
#: second pending RA of a specification): :func:`fresh` hands out others.
OPENED: set[int] = set()


def fresh(
    sql: SqlBackend,
    *,
    metered: bool,
    limit: int,
    among: Callable[..., list[int]] = connected,
) -> list[int]:
    """``limit`` connected properties (``among``: :func:`connected` as this
    module defined it, even where a caller has replaced the module's name) no
    earlier caller of this process took, now taken."""
    found = among(sql, metered=metered, limit=limit + len(OPENED))
    chosen = [i for i in found if i not in OPENED][:limit]
    OPENED.update(chosen)
    return chosen


def measure_cut_closing(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> dict[str, Any]:
    order = sql.tables["service_order"]
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        pairs = connection.execute(
            sa.select(order.c.id, order.c.property_id)
            .join(prop, prop.c.id == order.c.property_id)
            .where(
                order.c.service_type_id == scale.CUT_TYPE,
                order.c.situation == int(OrderSituation.PENDING),
                prop.c.water_status_id == 3,
            )
            .order_by(order.c.id)
        ).all()
    count = min(count, len(pairs) // 2)
    mine, theirs = pairs[:count], pairs[count : 2 * count]

    def library(n: int) -> None:
        gsan.service_orders.close_executed(
            order_id=mine[n][0],
            reason_id=2,
            closed_on=scale.TODAY,
            actor=scale.ADMIN,
            commercial=connection_bench.CUT,
        )

    ids = id_ranges.take("close_cut")

    def baseline(n: int) -> None:
        limits.lean_close_cut(
            sql,
            theirs[n][0],
            ids=ids,
            today=scale.TODAY,
            now=scale.NOW,
            actor=scale.ADMIN,
        )

    library_s, baseline_s = interleaved(library, baseline, count)
    assert gsan.properties.get(mine[-1][1]).water_status_id == 5
    assert gsan.properties.get(theirs[count - 1][1]).water_status_id == 5
    return command_figure("close a cut order (lean SQL)", size, library_s, baseline_s)


def measure_replacement(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> dict[str, Any]:
    homes = connected(sql, metered=True, limit=2 * count)
    count = len(homes) // 2
    gsan.hydrometers.insert_range(
        fixed="B24A", first=1, last=2 * count, attributes=METER, location_id=1, actor=1
    )
    cases = [
        meter_bench._Case(
            home,
            gsan.service_orders.generate(
                service_type_id=meter_bench.REPLACE_TYPE,
                property_id=home,
                actor=scale.ADMIN,
            ).id,
            f"B24A{n + 1:06d}",
        )
        for n, home in enumerate(homes[: 2 * count])
    ]
    scale.analyze(sql)
    scratch = meter_bench.Scratch(sql, sql.engine.dialect.name)

    def library(n: int) -> None:
        case = cases[2 * n]
        gsan.service_orders.close_executed(
            order_id=case.order_id,
            reason_id=meter_bench.EXECUTED,
            closed_on=scale.TODAY,
            actor=scale.ADMIN,
            commercial=ReplaceHydrometer(
                removal_reading=120,
                outgoing_situation_id=2,
                outgoing_location_id=3,
                number=case.incoming,
                reading=0,
                place_id=1,
                protection_id=6,
            ),
        )

    def baseline(n: int) -> None:
        meter_bench._baseline_replace(scratch, cases[2 * n + 1])

    library_s, baseline_s = interleaved(library, baseline, count)
    replaced = gsan.hydrometers.current_installation(property_id=cases[0].property_id)
    assert replaced is not None
    assert (
        replaced.hydrometer_id
        != FIRST_METER_ID + cases[0].property_id - FIRST_PROPERTY_ID
    )
    return command_figure("replace a meter", size, library_s, baseline_s)


def route_water_requests(
    gsan: gsan_core.System, sql: SqlBackend, homes: Sequence[int]
) -> None:
    """Route the water group's requests of the localities of ``homes`` to
    each locality's office (ESCRITORIO, under its CENTRAL)."""
    prop = sql.tables["property"]
    with sql.engine.connect() as connection:
        localities = set(
            connection.execute(
                sa.select(prop.c.locality_id).where(prop.c.id.in_(homes)).distinct()
            ).scalars()
        )
    for locality in sorted(localities):
        office = 10_000 + locality * 10 + 2
        gsan.service_requests.configuration.set_locality_group_units(
            locality_id=locality, rows=[(GROUP_WATER, office)], actor=0
        )


def measure_opening(
    gsan: gsan_core.System, sql: SqlBackend, size: int, count: int
) -> dict[str, Any]:
    homes = connected(sql, metered=False, limit=2 * count)
    count = len(homes) // 2
    route_water_requests(gsan, sql, homes)
    attendant = 10_011  # ATENDENTE 0001, in CENTRAL 0001 (a dispatch centre)
    ids = id_ranges.take("open_request")

    def library(n: int) -> None:
        result = gsan.service_requests.open(
            specification_id=request_bench.SPECIFICATION,
            unit_id=attendant,
            channel_id=CHANNEL_PHONE,
            actor=attendant,
            location=RequestLocation(property_id=homes[2 * n]),
            requesters=request_bench.ANA,
        )
        assert result.order is not None

    def baseline(n: int) -> None:
        limits.lean_open_request(
            sql,
            specification_id=request_bench.SPECIFICATION,
            channel_id=CHANNEL_PHONE,
            group_id=GROUP_WATER,
            call_centre=attendant,
            attendant=attendant,
            property_id=homes[2 * n + 1],
            ids=ids,
            now=scale.NOW,
        )

    library_s, baseline_s = interleaved(library, baseline, count)
    request = sql.tables["service_request"]
    with sql.engine.connect() as connection:
        routed = connection.execute(
            sa.select(request.c.locality_id, request.c.current_unit_id).distinct()
        ).all()
    destinations: dict[int, set[int]] = {}
    for locality, unit_id in routed:
        destinations.setdefault(locality, set()).add(unit_id)
    assert all(len(units) == 1 for units in destinations.values()), (
        "the library and the baseline routed differently",
        destinations,
    )
    return command_figure(
        "open an RA with routing (lean SQL)", size, library_s, baseline_s
    )
