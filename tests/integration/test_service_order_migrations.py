"""Migration 0003 (service orders: teams, kits, execution data, type materials) on
SQLite and PostgreSQL: the migrated schema is the code's, and existing service
types come through with no default materials."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.migrations import current, heads, upgrade
from gsan_core.adapters.sqlalchemy.schema import build_tables
from tests.conftest import PostgresSchema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_and_schema(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[sa.Engine, str | None]]:
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'migrated.db'}")
        yield engine, None
        engine.dispose()
        return
    pg: PostgresSchema = request.getfixturevalue("postgres")
    # a database of its own: the migrations then work in its public schema
    name = f"{pg.schema}_mig"
    admin = pg.engine.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = create_engine(pg.engine.url.set(database=name).render_as_string(False))
    try:
        yield engine, None
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}"')


def test_upgrade_to_head_matches_the_code(
    engine_and_schema: tuple[sa.Engine, str | None],
) -> None:
    engine, schema = engine_and_schema
    upgrade(engine, schema=schema, revision="0002")
    assert current(engine, schema=schema) == "0002"
    tables = build_tables(schema=schema)
    service_type = tables["service_type"]
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                f"INSERT INTO {_name(service_type, schema)} (id, description, abbreviation,"
                " value_editable, include_debit, charge_interest, consider_economies,"
                " updates_commercial, requires_activities, activity_ids,"
                " closing_reason_ids, inspection, infraction_inspection, pavement,"
                " street_pavement, sidewalk_pavement, contractor,"
                " allows_property_in_field, selective_emission, automatic_scheduling,"
                " auto_close_request, send_survey, active, version) VALUES"
                " (7, 'ANTIGO', 'ANT', false, false, false, false, false, false, '[]',"
                " '[]', false, false, false, false, false, false, true, false, false,"
                " false, false, true, 1)"
            )
        )
    upgrade(engine, schema=schema)
    assert current(engine, schema=schema) == heads()[0]
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_schemas": bool(schema),
                "include_name": lambda name, type_, parent: (
                    type_ != "schema" or name == schema
                ),
                "include_object": lambda obj, name, type_, reflected, other: (
                    type_ != "table" or (name or "").startswith("gsan_")
                ),
            },
        )
        differences = compare_metadata(context, tables.metadata)
    assert [d for d in differences if not _version_table(d)] == []
    backend = SqlBackend(engine, tables=tables)
    with backend.uow_factory() as uow:
        old = uow.service_types.get(7)
    assert old.materials == ()


def _name(table: sa.Table, schema: str | None) -> str:
    return f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'


def _version_table(difference: object) -> bool:
    return "alembic_version" in repr(difference)
