"""Migration 0003 builds exactly the hydrometer tables the code defines."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from gsan_core.adapters.sqlalchemy import create_engine
from gsan_core.adapters.sqlalchemy.migrations import upgrade
from gsan_core.adapters.sqlalchemy.schema import build_tables

TABLES = {
    "gsan_hydrometer",
    "gsan_hydrometer_installation",
    "gsan_hydrometer_movement",
    "gsan_hydrometer_movement_line",
    "gsan_consumption_anomaly_action",
}


def differences(engine: sa.Engine) -> list[object]:
    tables = build_tables()
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_object": lambda o, name, kind, r, c: (
                    (kind == "table" and name in TABLES)
                    or (
                        kind != "table"
                        and getattr(o, "table", None) is not None
                        and o.table.name in TABLES
                    )
                ),
                "compare_type": True,
            },
        )
        return list(compare_metadata(context, tables.metadata))


def test_the_migrated_sqlite_schema_matches_the_tables(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path}/migrated.db")
    try:
        upgrade(engine)
        assert set(sa.inspect(engine).get_table_names()) >= TABLES
        assert differences(engine) == []
        indexes = {
            i["name"]: i
            for i in sa.inspect(engine).get_indexes("gsan_hydrometer_installation")
        }
        assert indexes["ix_gsan_hydrometer_installation_open_point"]["unique"]
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_migrated_postgres_schema_matches_the_tables(postgres: object) -> None:
    url = postgres.engine.url  # type: ignore[attr-defined]
    schema = f"gsan_migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.render_as_string(hide_password=False))
    with admin.begin() as connection:
        connection.execute(sa.schema.CreateSchema(schema))
    engine = create_engine(
        url.render_as_string(hide_password=False),
        connect_args={"options": f"-csearch_path={schema}"},
    )
    try:
        upgrade(engine)
        assert differences(engine) == []
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
