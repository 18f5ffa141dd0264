"""The start-up check, the companion schema and read-only mode on GSAN's DDL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile, check_schema
from gsan_core.adapters.gsan_legacy import migrations as companion
from gsan_core.errors import ConfigurationError
from tests.conftest import REQUIRE_POSTGRES
from tests.legacy.support import LEGACY_DDL, ddl_files, schema_error, seed_property

pytestmark = pytest.mark.postgres


def test_the_ci_has_gsans_ddl() -> None:
    if not REQUIRE_POSTGRES and not ddl_files():
        pytest.skip("GSAN's DDL is not here and PostgreSQL is not required")
    names = [p.name for p in ddl_files()]
    assert names[0] == "00-schemas.sql", LEGACY_DDL
    assert "40-constraints.sql" in names
    assert "50-migrations-2016-2024.sql" in names


def test_the_check_passes_on_gsans_schema(legacy_engine: sa.Engine) -> None:
    with legacy_engine.connect() as connection:
        report = check_schema(connection, LegacyProfile())
    assert report.ok
    assert report.problems() == []
    assert not report.companion_missing
    # no locking migration yet: reads only
    assert set(report.unlocked_tables) == {
        "atendimentopublico.ligacao_agua",
        "atendimentopublico.ligacao_esgoto",
        "cadastro.imovel",
        "micromedicao.hidrometro",
        "micromedicao.hidrometro_inst_hist",
        "micromedicao.hidrometro_movimentacao",
    }
    assert not report.writable


def test_the_check_fails_listing_exactly_what_is_missing(
    legacy_engine: sa.Engine,
) -> None:
    with legacy_engine.begin() as connection:
        connection.exec_driver_sql(
            "ALTER TABLE atendimentopublico.ligacao_agua DROP COLUMN lagu_dtcorte"
        )
        connection.exec_driver_sql(
            "ALTER TABLE micromedicao.hidrometro DROP COLUMN hidr_nntempogarantia"
        )
        connection.exec_driver_sql("DROP SEQUENCE micromedicao.seq_hidrometro")
    with pytest.raises(ConfigurationError) as caught:
        LegacyBackend(legacy_engine)
    error = caught.value
    assert error.code == "configuration.schema"
    message = str(error)
    assert "(3 problems)" in message
    assert "missing column atendimentopublico.ligacao_agua.lagu_dtcorte" in message
    assert "missing column micromedicao.hidrometro.hidr_nntempogarantia" in message
    assert "missing sequence micromedicao.seq_hidrometro" in message


def test_a_missing_table_is_listed_once(legacy_engine: sa.Engine) -> None:
    error = schema_error(
        legacy_engine, "DROP TABLE atendimentopublico.ligacao_esgoto CASCADE"
    )
    assert "missing table atendimentopublico.ligacao_esgoto" in str(error)
    assert "ligacao_esgoto.lesg_" not in str(error)


def test_without_the_locking_migration_the_adapter_reads_and_refuses_writes(
    legacy_engine: sa.Engine,
) -> None:
    with legacy_engine.begin() as connection:
        seed_property(connection, 1000, water=3)
    backend = LegacyBackend(legacy_engine)
    assert backend.read_only
    assert "read-only" in backend.status()
    assert "cadastro.imovel" in backend.status()
    with backend.uow_factory() as uow:
        prop = uow.properties.get(1000)
        assert prop.water_status_id == 3
        assert prop.version == 1
        with pytest.raises(ConfigurationError) as caught:
            uow.properties.update(prop)
    assert caught.value.code == "configuration.read_only"
    assert "locking=True" in str(caught.value)


def test_the_locking_migration_is_opt_in_and_reversible(
    legacy_engine: sa.Engine,
) -> None:
    profile = LegacyProfile()
    assert companion.current(legacy_engine, profile) == companion.COMPANION
    companion.upgrade(legacy_engine, profile, locking=True)
    assert companion.current(legacy_engine, profile) == companion.LOCKING
    assert not LegacyBackend(legacy_engine).read_only
    companion.downgrade(legacy_engine, profile, companion.COMPANION)
    assert LegacyBackend(legacy_engine).read_only
    # the companion's history is its own: GSAN's schemas have no version table
    with legacy_engine.connect() as connection:
        tables = set(
            connection.execute(
                sa.text(
                    "SELECT table_schema || '.' || table_name FROM"
                    " information_schema.tables WHERE table_name = 'alembic_version'"
                )
            ).scalars()
        )
    assert tables == {"gsan_core.alembic_version"}
