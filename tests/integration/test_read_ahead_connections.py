"""Connecting water without an order reads ahead (``read_ahead.read_connecting``,
ADR 0006, issue 20).

The property is locked, then its route share-locked (billing's field lock),
in one statement of their own, in ADR 0004's order; the property, its block,
its connections, the route's field lock and the tariffs are read by one joined
statement begun after both locks. A connection that waited for either lock
sees what its holder committed: a connection row the property's holder
inserted, a field lock billing set on the route.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import gsan_core
from gsan_core.adapters.sqlalchemy import SqlBackend
from gsan_core.adapters.sqlalchemy.reference import MISSING
from gsan_core.model.connections import WaterConnection
from tests.conftest import PostgresSchema, sqlite_backend
from tests.integration.budgets import budget_system
from tests.integration.holding import while_held
from tests.services.connections_setup import (
    ACTOR,
    CONNECT,
    FIELD_ROUTE,
    add_property,
    town,
)

HOME = 500


def _system(sql: SqlBackend) -> gsan_core.System:
    system = budget_system(sql)  # the seeded rows copied from a template
    gsan = town(system)
    add_property(gsan, HOME, 1, route_id=FIELD_ROUTE)
    return gsan


def _connect(gsan: gsan_core.System) -> WaterConnection:
    return gsan.connections.connect_water_without_order(
        property_id=HOME, data=CONNECT, actor=ACTOR
    )


@pytest.mark.postgres
def test_v_la_a_connection_that_waited_sees_the_row_the_holder_inserted(
    postgres: PostgresSchema,
) -> None:
    """ADR 0006: the property's holder inserts its water connection row; the
    connection waits at the property's lock, then reads that row (a statement
    begun before the wait would not see it, and insert a second one): it
    updates it instead."""
    sql = postgres.reset()
    gsan = _system(sql)

    def hold(uow: gsan_core.UnitOfWork) -> None:
        uow.properties.lock(HOME)
        uow.water_connections.add(
            WaterConnection(
                id=HOME,
                connected_on=date(2024, 1, 10),
                implanted_on=date(2024, 1, 10),
                diameter_id=1,
                material_id=1,
                profile_id=1,
                reconnected_on=date(2024, 2, 1),
            )
        )

    waited, outcome = while_held(sql, hold, lambda: _connect(gsan))
    assert waited, "the connection never waited for the property's lock"
    (made,) = outcome
    assert isinstance(made, WaterConnection), made
    assert made.version == 2  # the holder's row, updated
    # what the connection does not set stays the holder's
    assert gsan.connections.water_connection(HOME).reconnected_on == date(2024, 2, 1)
    assert gsan.properties.get(HOME).water_status_id == 3


@pytest.mark.postgres
def test_v_la_a_connection_that_waited_for_billing_sees_its_field_lock(
    postgres: PostgresSchema,
) -> None:
    """OS-6 / the field lock: billing locks the property's route and sets its
    field lock; the connection, which holds the property, waits at the
    route's share lock, then reads the field lock billing committed and is
    refused (``connection.property_in_field``); nothing is written."""
    sql = postgres.reset()
    gsan = _system(sql)

    def hold(uow: gsan_core.UnitOfWork) -> None:
        uow.field_lock.lock_route(FIELD_ROUTE, 202501)

    waited, outcome = while_held(sql, hold, lambda: _connect(gsan))
    assert waited, "the connection never waited for the route's lock"
    (error,) = outcome
    assert isinstance(error, gsan_core.RuleViolation)
    assert error.codes == ("connection.property_in_field",)
    assert gsan.properties.get(HOME).water_status_id == 1


def test_connecting_ahead_answers_its_reads_once(tmp_path: Path) -> None:
    """The rows read ahead answer the command's reads once; a write of the
    table sends the next read to the database."""
    sql = sqlite_backend(tmp_path / "ahead.db")
    try:
        gsan = _system(sql)
        prop = gsan.properties.get(HOME)
        with sql.uow_factory() as uow:
            uow.read_ahead("connect", HOME)
            assert uow.properties.lock(HOME) == prop
            assert uow.take_ahead("property", ("lock", (HOME,))) is MISSING
            assert uow.field_lock.locked_reference(HOME) is None
            assert uow.take_ahead("water_connection", ("id", HOME)) is None
            tariffs = uow.catalog.list("consumption_tariff")
            assert uow.take_ahead("catalog_item", ("list", "consumption_tariff")) is (
                MISSING
            )
            assert tariffs == uow.catalog.list("consumption_tariff")
            uow.wrote("block")  # a write of the table forgets its rows
            assert uow.take_ahead("block", ("id", prop.block_id)) is MISSING
    finally:
        sql.dispose()
