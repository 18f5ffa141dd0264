"""Per-line conformance: the CAEMA, CAGEPA and Consenso lines' column maps
resolve on a schema with the columns their forks added (``fork-column-drift.csv``)."""

from __future__ import annotations

import csv
from datetime import date

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import (
    LINES,
    LegacyBackend,
    LegacyProfile,
    check_schema,
)
from gsan_core.adapters.gsan_legacy import migrations as companion
from gsan_core.errors import ConfigurationError
from gsan_core.model.connections import SewerConnection
from tests.legacy.support import LEGACY_DDL, seed_property

pytestmark = pytest.mark.postgres
FORKS = ["caema", "cagepa", "consenso"]


def drift(line: str) -> set[tuple[str, str]]:
    """(table, column) the line's mappings name and the COSANPA subset lacks."""
    with (LEGACY_DDL / "fork-column-drift.csv").open(encoding="utf-8") as f:
        return {
            (row["table"], row["column_mapped_by_hbm_but_absent_from_subset"])
            for row in csv.DictReader(f)
            if row["repository"] == LINES[line]
        }


def add_drift(engine: sa.Engine, line: str) -> None:
    """Give the schema the line's extra columns (ids as integers)."""
    with engine.begin() as connection:
        for table, column in sorted(drift(line)):
            kind = "integer" if column.endswith("_id") else "text"
            connection.exec_driver_sql(
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}"
            )


@pytest.mark.parametrize("line", FORKS)
def test_the_lines_column_map_resolves_on_its_schema(
    legacy_engine: sa.Engine, line: str
) -> None:
    add_drift(legacy_engine, line)
    profile = LegacyProfile.for_line(line)
    with legacy_engine.connect() as connection:
        report = check_schema(connection, profile)
    assert report.ok, report.problems()
    assert report.line == line


@pytest.mark.parametrize("line", FORKS)
def test_the_lines_overrides_come_from_its_drift(
    legacy_engine: sa.Engine, line: str
) -> None:
    profile = LegacyProfile.for_line(line)
    with (
        legacy_engine.connect() as connection,
        pytest.raises(ConfigurationError) as caught,
    ):
        check_schema(connection, profile)
    missing = {
        p.removeprefix("missing column ")
        for p in str(caught.value).split(": ", 1)[1].split("; ")
    }
    expected = {f"{t}.{c}" for t, c in drift(line)}
    assert missing, line
    assert missing <= expected


def test_the_cosanpa_profile_needs_no_drift_column(legacy_engine: sa.Engine) -> None:
    with legacy_engine.connect() as connection:
        assert check_schema(connection, LegacyProfile.for_line("cosanpa")).ok


def test_an_unknown_line_is_a_profile_error() -> None:
    with pytest.raises(ConfigurationError) as caught:
        LegacyProfile.for_line("saae")
    assert caught.value.code == "configuration.profile"
    assert "cosanpa" in str(caught.value)


def test_caema_keeps_the_sewer_request_in_its_own_column(
    legacy_engine: sa.Engine,
) -> None:
    add_drift(legacy_engine, "caema")
    profile = LegacyProfile.for_line("caema")
    companion.upgrade(legacy_engine, profile, locking=True)
    backend = LegacyBackend(legacy_engine, profile)
    with legacy_engine.begin() as connection:
        seed_property(connection, 3000, sewer=3)
    sewer = SewerConnection(
        id=3000,
        connected_on=date(2024, 2, 1),
        diameter_id=1,
        material_id=1,
        profile_id=1,
        previous_status_id=1,
        request_id=77,
    )
    with backend.uow_factory() as uow:
        uow.sewer_connections.add(sewer)
        uow.commit()
    with legacy_engine.connect() as connection:
        assert (
            connection.exec_driver_sql(
                "SELECT rgat_id FROM atendimentopublico.ligacao_esgoto WHERE lesg_id = 3000"
            ).scalar_one()
            == 77
        )
        extra = connection.exec_driver_sql(
            "SELECT previous_status_id, request_id FROM gsan_core.sewer_connection_extra"
        ).one()
    assert tuple(extra) == (1, None)
    with backend.uow_factory() as uow:
        assert uow.sewer_connections.get(3000) == sewer
