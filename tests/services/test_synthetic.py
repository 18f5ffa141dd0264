"""The synthetic utility (issue #7): its shape, its connections and meters,
determinism and resuming, on every backend."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

import gsan_core
from gsan_core import synthetic
from gsan_core.adapters.sqlalchemy.uow import SqlUnitOfWork
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.rules.hydrometers import check_number, number_layout
from gsan_core.synthetic import (
    FIRST_METER_ID,
    FIRST_PROPERTY_ID,
    generate,
    layout,
    meter_rows,
    property_stream,
    shape_for,
)
from gsan_core.testing.connection_data import connection_rows


def test_the_water_situations_follow_caer_2007() -> None:
    shape = shape_for(40_000, seed=5)
    counts = Counter(p.water_status_id for p in property_stream(shape, layout(shape)))
    share = {status: n / shape.properties for status, n in counts.items()}
    assert share[3] == pytest.approx(0.83, abs=0.01)  # LIGADO
    assert share[6] == pytest.approx(0.105, abs=0.01)  # SUPRIMIDO
    assert share[5] == pytest.approx(0.058, abs=0.01)  # CORTADO
    assert share.get(1, 0) + share.get(2, 0) < 0.01  # POTENCIAL, FACTIVEL
    # every synthetic property has the default profile's TARIFA NORMAL (V-LA7)
    tariffs = {p.consumption_tariff_id for p in property_stream(shape, layout(shape))}
    assert tariffs == {1}


def test_about_half_of_the_properties_have_an_installed_meter() -> None:
    profile = gsan_core.in_memory().profile
    shape = shape_for(20_000, seed=5)
    props = list(property_stream(shape, layout(shape)))
    meters, periods = meter_rows(shape, props, profile)
    assert 0.45 < len(meters) / len(props) < 0.55
    metered = {p.id: p.water_status_id for p in props}
    assert {metered[i.property_id] for i in periods} <= {3, 5}
    assert [m.id for m in meters] == [i.hydrometer_id for i in periods]
    assert len({m.number for m in meters}) == len(meters)
    assert not any(check_number(m.number, number_layout(profile)) for m in meters)


def test_meter_choice_does_not_depend_on_the_chunking() -> None:
    profile = gsan_core.in_memory().profile
    shape = shape_for(3_000, seed=9)
    props = list(property_stream(shape, layout(shape)))
    whole, _ = meter_rows(shape, props, profile)
    halves = [
        *meter_rows(shape, props[:1_234], profile)[0],
        *meter_rows(shape, props[1_234:], profile)[0],
    ]
    assert whole == halves


def test_generates_connections_meters_and_debts(system: gsan_core.System) -> None:
    summary = generate(system, properties=600, seed=4, chunk_size=250)
    props = list(
        property_stream(shape_for(600, seed=4), layout(shape_for(600, seed=4)))
    )
    water, sewer = connection_rows(props, system.profile)
    assert (summary.water_connections, summary.sewer_connections) == (
        len(water),
        len(sewer),
    )
    assert 0.4 < summary.hydrometers / summary.properties < 0.6
    assert summary.debts > 0
    first = props[0]
    assert system.connections.water_connection(first.id) is not None
    metered = [
        p
        for p in props
        if system.hydrometers.current_installation(property_id=p.id) is not None
    ]
    assert len(metered) == summary.hydrometers
    meter = system.hydrometers.installed_at(
        FIRST_METER_ID + metered[0].id - FIRST_PROPERTY_ID
    )
    assert meter is not None
    assert meter.point is MeasurementPoint.WATER_CONNECTION
    assert meter.installed_on >= date(2020, 6, 1)


def test_a_rerun_adds_nothing_and_an_interrupted_run_resumes(
    system: gsan_core.System,
) -> None:
    first = generate(system, properties=400, seed=8, chunk_size=150)
    again = generate(system, properties=400, seed=8, chunk_size=150)
    assert (again.water_connections, again.hydrometers, again.debts) == (0, 0, 0)
    assert first.water_connections > 0


def test_the_same_seed_gives_the_same_utility() -> None:
    one, two = gsan_core.in_memory(), gsan_core.in_memory()
    generate(one, properties=300, seed=21)
    generate(two, properties=300, seed=21)
    ids = range(FIRST_PROPERTY_ID, FIRST_PROPERTY_ID + 300)
    assert [one.properties.get(i) for i in ids] == [two.properties.get(i) for i in ids]
    assert [one.hydrometers.current_installation(property_id=i) for i in ids] == [
        two.hydrometers.current_installation(property_id=i) for i in ids
    ]


def test_meter_load_needs_the_property_and_the_meter(
    system: gsan_core.System,
) -> None:
    generate(system, properties=200, seed=2)
    shape = shape_for(200, seed=2)
    props = list(property_stream(shape, layout(shape)))
    _, periods = meter_rows(shape, props, system.profile)
    stray = attrs.evolve(periods[0], id=1, property_id=1)
    with pytest.raises(gsan_core.NotFound) as missing_property:
        system.hydrometers.load(actor=0, installations=[stray])
    assert missing_property.value.entity == "property"
    free = next(p for p in props if p.id != periods[0].property_id)
    before = list(system.hydrometers.history(property_id=free.id))
    orphan = attrs.evolve(periods[0], id=2, hydrometer_id=5, property_id=free.id)
    with pytest.raises(gsan_core.NotFound) as missing_meter:
        system.hydrometers.load(actor=0, installations=[orphan])
    assert missing_meter.value.entity == "hydrometer"
    assert list(system.hydrometers.history(property_id=free.id)) == before


def _contents(system: gsan_core.System) -> dict[str, str]:
    """A digest of every table's rows (all columns, in a fixed order)."""
    backend = system.backend
    digests: dict[str, str] = {}
    with backend.engine.connect() as connection:
        for table in backend.tables.metadata.sorted_tables:
            rows = connection.execute(sa.select(table).order_by(*table.c)).all()
            digests[table.name] = hashlib.sha256(
                repr([tuple(row) for row in rows]).encode()
            ).hexdigest()
    return digests


@pytest.mark.parametrize("backend_name", ["sqlite", "postgres"], indirect=True)
def test_the_bulk_load_stores_what_the_services_store(
    make_system: Callable[..., gsan_core.System],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bulk path (``COPY`` on PostgreSQL) writes row for row what the
    services' path writes, in every table (ids included)."""
    taken: list[bool] = []
    real = synthetic._bulk_load

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        taken.append(result is not None)
        return result

    with monkeypatch.context() as patch:
        patch.setattr(synthetic, "_bulk_load", spy)
        bulk = make_system()
        summary = generate(bulk, properties=900, seed=3, chunk_size=400)
    assert taken == [True]
    by_bulk = _contents(bulk)
    bulk.close()
    with monkeypatch.context() as patch:
        patch.setattr(synthetic, "_bulk_load", lambda *_, **__: None)
        services = make_system()
        assert generate(services, properties=900, seed=3, chunk_size=400) == summary
    assert summary.debts > 0
    assert summary.hydrometers > 0
    assert _contents(services) == by_bulk


@pytest.mark.parametrize("backend_name", ["sqlite", "postgres"], indirect=True)
def test_a_bulk_load_interrupted_resumes_through_the_services(
    make_system: Callable[..., gsan_core.System],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bulk load stopped after its first chunk: the re-run finds that chunk
    stored, takes the services' path (which skips what is stored) and ends
    with what an uninterrupted load stores."""
    whole = make_system()
    generate(whole, properties=900, seed=3, chunk_size=400)
    expected = _contents(whole)
    whole.close()
    cut = make_system()
    calls: list[str] = []
    real = SqlUnitOfWork.bulk_add

    def failing(self: SqlUnitOfWork, store: str, entities: Any) -> None:
        calls.append(store)
        if len(calls) > 5:  # the second chunk's first store
            raise RuntimeError("interrupted")
        real(self, store, entities)

    with monkeypatch.context() as patch:
        patch.setattr(SqlUnitOfWork, "bulk_add", failing)
        with pytest.raises(RuntimeError):
            generate(cut, properties=900, seed=3, chunk_size=400)
    again = generate(cut, properties=900, seed=3, chunk_size=400)
    assert again.water_connections > 0  # the chunks after the first
    assert _contents(cut) == expected
