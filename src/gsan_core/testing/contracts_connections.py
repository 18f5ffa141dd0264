"""The adapter contract of the connection area, shipped for integrators.

Subclass it like :class:`~gsan_core.testing.contracts.UnitOfWorkContract` (one
fixture, ``uow_factory``, over an empty, migrated store)::

    from gsan_core.testing.contracts_connections import ConnectionsContract

    class TestMyConnections(ConnectionsContract):
        @pytest.fixture
        def uow_factory(self, my_engine):
            return MyBackend(my_engine).uow_factory

It covers the connection repositories (round trips with decimals and dates,
compare-and-set updates and deletes), the append-only situation history, the
set-based batch work and the billing port's consumption history.
Needs ``gsan-core[testing]`` (pytest).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest

from gsan_core.errors import ConcurrencyConflict, DuplicateEntity, NotFound
from gsan_core.model.connections import (
    BatchCandidate,
    ConnectionKind,
    SewerConnection,
    SituationChange,
    WaterConnection,
)
from gsan_core.model.consumption import ConsumptionRecord, MeasurementKind
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.testing.capabilities import ALL, BATCHES, BILLING, SEEDING, require
from gsan_core.testing.contracts import location, sample_property

__all__ = ["ConnectionsContract", "sample_water_connection"]

Factory = Callable[[], UnitOfWork]
AT = datetime(2025, 1, 6, 12, tzinfo=UTC)


def sample_water_connection(id: int = 1, **changes: object) -> WaterConnection:
    """A cut water connection with every kind of field filled."""
    connection = WaterConnection(
        id=id,
        connected_on=date(2020, 3, 1),
        implanted_on=date(2020, 3, 2),
        diameter_id=1,
        material_id=2,
        profile_id=1,
        seal_number="A12345",
        branch_depth=Decimal("0.75"),
        minimum_consumption=10,
        cut_on=date(2024, 11, 10),
        cut_seal=998877,
        cut_type_id=1,
        cut_reason_id=1,
    )
    return attrs.evolve(connection, **changes)  # type: ignore[arg-type]


def _and_commit(uow: UnitOfWork, action: Callable[[], object]) -> None:
    """Run ``action`` then commit: an adapter may refuse at either step."""
    action()
    uow.commit()  # pragma: no cover - the bundled adapters refuse at the call


class ConnectionsContract:
    """Connection repositories, history, batch work and consumption of one adapter."""

    #: What the adapter offers (:mod:`gsan_core.testing.capabilities`).
    capabilities: frozenset[str] = ALL

    @pytest.fixture
    def uow_factory(self) -> Factory:
        """Override: units of work over an empty, migrated store."""
        raise NotImplementedError

    def _properties(self, factory: Factory, *ids: int, **changes: object) -> None:
        self.seed_properties(factory, ids, changes)

    def seed_properties(
        self, factory: Factory, ids: tuple[int, ...], changes: dict[str, object]
    ) -> None:
        """Store ``sample_property(id)`` (with ``changes``) for each id and the
        location it points to. Override when the adapter cannot add them
        through its ports (a GSAN database: insert GSAN's rows)."""
        loc, sector, block, route = location()
        with factory() as uow:
            uow.localities.add(loc)
            uow.sectors.add(sector)
            uow.blocks.add(block)
            uow.routes.add(route)
            uow.properties.add_many(
                attrs.evolve(sample_property(i), **changes)  # type: ignore[arg-type]
                for i in ids
            )
            uow.commit()

    def change_property_profile(
        self, factory: Factory, property_id: int, *, profile_id: int
    ) -> None:
        """Give a stored property another profile (cadastre work). Override
        when the adapter does not write a property's profile (a GSAN database:
        update GSAN's row)."""
        with factory() as uow:
            found = uow.properties.get(property_id)
            uow.properties.update(
                attrs.evolve(found, profile_id=profile_id, version=found.version + 1)
            )
            uow.commit()

    def test_connections_round_trip_and_compare_and_set(
        self, uow_factory: Factory
    ) -> None:
        self._properties(uow_factory, 1)
        water = sample_water_connection()
        sewer = SewerConnection(
            id=1,
            connected_on=date(2021, 5, 4),
            diameter_id=1,
            material_id=1,
            profile_id=1,
            collection_percentage=Decimal("85.50"),
            sewer_percentage=Decimal(80),
            grease_trap=True,
            previous_status_id=2,
        )
        with uow_factory() as uow:
            uow.water_connections.add(water)
            uow.sewer_connections.add(sewer)
            uow.commit()
        with uow_factory() as uow:
            assert uow.water_connections.get(1) == water
            assert uow.sewer_connections.get(1) == sewer
            with pytest.raises(DuplicateEntity):
                uow.water_connections.add(water)
        with uow_factory() as uow:
            uow.water_connections.update(attrs.evolve(water, cut_seal=1, version=2))
            uow.commit()
        with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
            uow.water_connections.update(attrs.evolve(water, cut_seal=2, version=2))
        with uow_factory() as uow, pytest.raises(ConcurrencyConflict):
            _and_commit(uow, lambda: uow.water_connections.remove(water))
        with uow_factory() as uow:
            uow.water_connections.remove(uow.water_connections.get(1))
            uow.sewer_connections.remove(sewer)
            uow.commit()
        with uow_factory() as uow:
            assert uow.water_connections.find(1) is None
            assert uow.sewer_connections.find(1) is None
            with pytest.raises(NotFound):
                uow.water_connections.remove(water)

    def test_history_is_append_only_and_queryable(self, uow_factory: Factory) -> None:
        changes = [
            SituationChange(
                id=i,
                property_id=1 if i < 3 else 2,
                kind=ConnectionKind.WATER if i != 2 else ConnectionKind.SEWER,
                before_id=3,
                after_id=5,
                effective_on=date(2025, 1, i),
                at=AT,
                operation="water.cut" if i != 3 else "water.reconnect",
                order_id=None if i == 1 else 40 + i,
                actor=7,
                reading=1234 if i == 1 else None,
            )
            for i in (1, 2, 3)
        ]
        with uow_factory() as uow:
            uow.situation_history.add_many(changes)
            uow.commit()
        with uow_factory() as uow:
            assert list(uow.situation_history.of_property(1)) == changes[:2]
            assert (
                list(uow.situation_history.between(date(2025, 1, 2), date(2025, 1, 3)))
                == changes[1:]
            )
            assert (
                list(
                    uow.situation_history.between(
                        date(2025, 1, 1),
                        date(2025, 1, 31),
                        operations=["water.reconnect"],
                    )
                )
                == changes[2:]
            )
            assert list(
                uow.situation_history.between(
                    date(2025, 1, 1), date(2025, 1, 31), kind=ConnectionKind.SEWER
                )
            ) == [changes[1]]
            with pytest.raises(DuplicateEntity):
                _and_commit(uow, lambda: uow.situation_history.add_many(changes[:1]))

    def test_batch_selection_and_set_based_moves(self, uow_factory: Factory) -> None:
        require(self.capabilities, BATCHES)
        self._properties(uow_factory, 1, 2, 3, 4, water_status_id=5, sewer_status_id=5)
        with uow_factory() as uow:
            uow.water_connections.add_many(
                [
                    sample_water_connection(1),
                    sample_water_connection(2, cut_on=date(2024, 12, 30)),
                    sample_water_connection(3),
                ]
            )
            uow.commit()
        self.change_property_profile(uow_factory, 3, profile_id=4)
        with uow_factory() as uow:
            assert uow.connection_batches.localities_with_water_status([5]) == [1]
            assert uow.connection_batches.localities_with_water_status([9]) == []
            everyone = uow.connection_batches.candidates(
                locality_id=1, water_status_ids=[5]
            )
            assert [c.property_id for c in everyone] == [1, 2, 3, 4]
            old_cuts = uow.connection_batches.candidates(
                locality_id=1,
                water_status_ids=[5],
                cut_on_or_before=date(2024, 12, 1),
                excluded_profile_ids=[4],
            )
            assert old_cuts == [
                BatchCandidate(property_id=1, water_status_id=5, sewer_status_id=5)
            ]
            moved = uow.connection_batches.move_water(
                [1, 2], from_ids=[5], to_id=3, sewer_from_ids=[5], sewer_to=3
            )
            assert moved == 2
            assert uow.connection_batches.move_water([1], from_ids=[5], to_id=3) == 0
            assert (
                uow.connection_batches.mark_reconnected([1, 4], on=date(2025, 1, 6))
                == 1
            )
            uow.commit()
        with uow_factory() as uow:
            first, fourth = uow.properties.get(1), uow.properties.get(4)
            assert (first.water_status_id, first.sewer_status_id, first.version) == (
                3,
                3,
                2,
            )
            assert fourth.water_status_id == 5
            water = uow.water_connections.get(1)
            assert (water.reconnected_on, water.version) == (date(2025, 1, 6), 2)
            uow.connection_batches.move_water([4], from_ids=[5], to_id=3)
            uow.commit()
        with uow_factory() as uow:
            assert uow.properties.get(4).sewer_status_id == 5

    def test_consumption_history_port(self, uow_factory: Factory) -> None:
        require(self.capabilities, BILLING)
        require(self.capabilities, SEEDING)
        records = [
            ConsumptionRecord(
                property_id=1,
                reference=202411,
                consumption_type_id=1,
                billed_volume=12,
                minimum=10,
            ),
            ConsumptionRecord(
                property_id=1,
                reference=202412,
                consumption_type_id=1,
                billed_volume=12,
                minimum=15,
            ),
            ConsumptionRecord(
                property_id=2, reference=202412, consumption_type_id=3, billed_volume=9
            ),
            ConsumptionRecord(
                property_id=3, reference=202412, consumption_type_id=1, billed_volume=0
            ),
            ConsumptionRecord(
                property_id=4,
                reference=202412,
                kind=MeasurementKind.SEWER,
                consumption_type_id=1,
                billed_volume=7,
                minimum=6,
            ),
        ]
        with uow_factory() as uow:
            uow.seeding.record_consumption(records)
            uow.commit()
        with uow_factory() as uow:
            assert uow.billing.real_consumption(
                [1, 2, 3, 4, 5], reference=202412, real_type_ids=[1]
            ) == {1}
            assert uow.billing.real_consumption(
                [2], reference=202412, real_type_ids=[1, 3]
            ) == {2}
            assert uow.billing.minimum_consumption(1) == 15
            assert uow.billing.minimum_consumption(4) is None
            assert uow.billing.minimum_consumption(4, kind=MeasurementKind.SEWER) == 6
            assert uow.billing.minimum_consumption(9) is None
            assert uow.billing.billed_volumes(1, last=1) == [12]
            assert uow.billing.billed_volumes(1, last=6) == [12, 12]
            assert uow.billing.billed_volumes(4, last=6) == []
            assert uow.billing.billed_volumes(
                4, last=6, kind=MeasurementKind.SEWER
            ) == [7]
            with pytest.raises(DuplicateEntity):
                _and_commit(uow, lambda: uow.seeding.record_consumption(records[:1]))

    def test_repeated_reading_anomaly(self, uow_factory: Factory) -> None:
        """INSP-02: the properties whose water reading had one of the anomalies
        in every one of the months."""
        require(self.capabilities, BILLING)
        require(self.capabilities, SEEDING)

        def month(
            property_id: int,
            reference: int,
            anomaly_id: int | None,
            kind: MeasurementKind = MeasurementKind.WATER,
        ) -> ConsumptionRecord:
            return ConsumptionRecord(
                property_id=property_id,
                reference=reference,
                kind=kind,
                consumption_type_id=1,
                billed_volume=5,
                anomaly_id=anomaly_id,
            )

        with uow_factory() as uow:
            uow.seeding.record_consumption(
                [
                    month(1, 202410, 5),
                    month(1, 202411, 7),
                    month(2, 202410, 5),
                    month(2, 202411, None),
                    month(3, 202411, 5),
                    month(4, 202410, 5, MeasurementKind.SEWER),
                    month(4, 202411, 5, MeasurementKind.SEWER),
                ]
            )
            uow.commit()
        with uow_factory() as uow:
            both = [202410, 202411]
            found = uow.billing.repeated_anomaly(
                [1, 2, 3, 4, 9], anomaly_ids=[5, 7], references=both
            )
            assert found == {1}
            assert uow.billing.repeated_anomaly(
                [1, 2, 3], anomaly_ids=[5], references=[202410]
            ) == {1, 2}
            assert (
                uow.billing.repeated_anomaly([1], anomaly_ids=[5], references=[])
                == set()
            )
