"""One catalogue-attribute mapping (``LegacyProfile.catalog_attributes``):
the rules' reads and the catalogue's writes use it, an integrator's override
is honoured by both, a bad mapping is refused when the profile is built and a
mapped column the database lacks is listed by the start-up check."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile, check_schema
from gsan_core.errors import ConfigurationError
from gsan_core.model.catalog import CatalogItem
from tests.conftest import POSTGRES_URL
from tests.legacy.support import add_catalog, schema_error

Run = Callable[..., sa.CursorResult[object]]

#: The default mapping plus the brand's revision interval, so brands are
#: writable (every NOT NULL column of ``hidrometro_marca`` is then mapped).
BRAND_REVISION = {
    "hydrometer_brand": {
        "code": "himc_cdhidrometromarca",
        "revision_days": "himc_nndiarevisao",
    }
}


def _with(**kinds: dict[str, str]) -> LegacyProfile:
    default = LegacyProfile.for_line()
    return attrs.evolve(
        default, catalog_attributes={**default.catalog_attributes, **kinds}
    )


def test_the_default_mapping_holds_the_rules_and_the_writes_attributes() -> None:
    attributes = LegacyProfile().catalog_attributes
    assert attributes["sewer_profile"] == {
        "sewer_percentage": "lepf_pcesgoto",
        "main": "lepf_icprincipal",
    }
    assert attributes["hydrometer_capacity"]["min_digits"] == (
        "hicp_nndigitosleituraminimo"
    )
    assert attributes["water_status"] == {
        "connection_exists": "last_icexistencialigacao"
    }
    with pytest.raises(TypeError):
        attributes["water_status"]["billing"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("mapping", "problem"),
    [
        ({"colour_kind": {"x": "y"}}, "unknown catalogue kind 'colour_kind'"),
        ({"cut_reason": {"colour": "mtco_colour"}}, "has no attribute 'colour'"),
        (
            {"hydrometer_brand": {"code": "himc_cd; DROP TABLE x"}},
            "is not a column name",
        ),
        (
            {"water_status": {"billing": "last_x", "connection_exists": "last_x"}},
            "column 'last_x' is mapped twice",
        ),
    ],
)
def test_a_bad_mapping_is_refused_when_the_profile_is_built(
    mapping: dict[str, dict[str, str]], problem: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        LegacyProfile(catalog_attributes=mapping)
    assert caught.value.code == "configuration.profile"
    assert caught.value.field == "catalog_attributes"
    assert problem in str(caught.value)


def test_a_kind_without_a_table_keeps_its_attributes_unused() -> None:
    """An integrator who replaces ``catalog_tables`` need not trim the
    mapping: a kind without a table is not read, and the start-up check asks
    nothing of its columns."""
    profile = LegacyProfile(catalog_tables={"cut_reason": "a.motivo"})
    assert "hydrometer_brand" in profile.catalog_attributes
    assert profile.catalog_table("hydrometer_brand") is None
    assert profile.catalog_columns() == {}


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(ConfigurationError) as caught:
        LegacyProfile(catalog_attributes={"nope": {}, "cut_reason": {"colour": "1bad"}})
    message = str(caught.value)
    assert "unknown catalogue kind 'nope'" in message
    assert "'cut_reason' has no attribute 'colour'" in message
    assert "cut_reason.colour: '1bad' is not a column name" in message


@pytest.mark.postgres
def test_an_override_is_honoured_by_the_read_and_the_write(
    locked_engine: sa.Engine, run_sql: Run
) -> None:
    """CATALOG_WRITES with a per-utility mapping: the brand's revision days
    are read from and written to ``himc_nndiarevisao``."""
    brand = CatalogItem(
        kind="hydrometer_brand",
        id=40,
        description="LAO",
        abbreviation="LAO",
        attributes={"code": "L", "revision_days": 90},
    )
    default = LegacyBackend(locked_engine)
    with default.uow_factory() as uow, pytest.raises(ConfigurationError) as caught:
        uow.catalog.add(brand)
    assert "revision_days" in str(caught.value)
    backend = LegacyBackend(locked_engine, profile=_with(**BRAND_REVISION))
    add_catalog(backend, brand)
    row = run_sql(
        "SELECT himc_cdhidrometromarca, himc_nndiarevisao"
        " FROM micromedicao.hidrometro_marca WHERE himc_id = 40"
    ).one()
    assert tuple(row) == ("L", 90)
    run_sql(
        "UPDATE micromedicao.hidrometro_marca SET himc_nndiarevisao = 120"
        " WHERE himc_id = 40"
    )
    with backend.uow_factory() as uow:
        assert uow.catalog.get("hydrometer_brand", 40).attributes == {
            "code": "L",
            "revision_days": 120,
        }
    with default.uow_factory() as uow:
        assert uow.catalog.get("hydrometer_brand", 40).attributes == {"code": "L"}


@pytest.mark.postgres
def test_the_rules_read_the_overridden_column(
    legacy_engine: sa.Engine, run_sql: Run
) -> None:
    """A situation's ``connection_exists`` (what the connection rules read)
    comes from the column the profile names, flags decoded as GSAN's 1/2."""
    run_sql(
        "UPDATE atendimentopublico.ligacao_agua_situacao"
        " SET last_icexistencialigacao = 1, last_icexistenciarede = 2"
        " WHERE last_id = 3"
    )
    remapped = _with(water_status={"connection_exists": "last_icexistenciarede"})
    found = {}
    for name, profile in (("default", None), ("remapped", remapped)):
        with LegacyBackend(legacy_engine, profile=profile).uow_factory() as uow:
            found[name] = uow.catalog.get("water_status", 3).attributes
    assert found == {
        "default": {"connection_exists": True},
        "remapped": {"connection_exists": False},
    }


@pytest.mark.postgres
def test_the_startup_check_lists_a_mapped_column_the_database_lacks(
    legacy_engine: sa.Engine,
) -> None:
    error = schema_error(
        legacy_engine,
        "ALTER TABLE micromedicao.hidrometro_local_armaz DROP COLUMN hila_icoficina",
    )
    assert error.code == "configuration.schema"
    assert "missing column micromedicao.hidrometro_local_armaz.hila_icoficina" in (
        str(error)
    )
    # the integrator drops the attribute: the check passes
    trimmed = {
        k: v
        for k, v in LegacyProfile().catalog_attributes.items()
        if k != "hydrometer_stock_location"
    }
    with legacy_engine.connect() as connection:
        assert check_schema(connection, LegacyProfile(catalog_attributes=trimmed)).ok


@pytest.mark.postgres
def test_the_rules_attributes_come_with_the_row_in_one_statement(
    legacy_engine: sa.Engine,
) -> None:
    """A kind with attributes is one statement a read (the attributes were a
    second query before the mapping was one)."""
    sent: list[str] = []

    def count(*args: object) -> None:
        sent.append(str(args[2]))

    backend = LegacyBackend(legacy_engine)
    keys = [("hydrometer_capacity", 1), ("hydrometer_capacity", 5)]
    with backend.uow_factory() as uow:
        uow.catalog.get("hydrometer_capacity", 1)  # the table's layout, cached
        sa.event.listen(legacy_engine, "before_cursor_execute", count)
        try:
            found = uow.catalog.find_many(keys)
        finally:
            sa.event.remove(legacy_engine, "before_cursor_execute", count)
    assert len(sent) == 1
    assert sorted(found) == keys
    assert set(found[keys[1]].attributes) == {"code", "min_digits", "max_digits"}


@pytest.mark.postgres
def test_a_rules_attribute_is_written_through_the_same_mapping(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    """A lost-meter situation (what the stock rules read) is written as GSAN's
    1/2 flag in the column the rules read it from; the write was refused when
    the reads had their own mapping."""
    lost = CatalogItem(
        kind="hydrometer_situation",
        id=40,
        description="EXTRAVIADO",
        attributes={"lost": True},
    )
    add_catalog(legacy, lost)
    assert (
        run_sql(
            "SELECT hist_ichidrometroextraviado FROM micromedicao.hidrometro_situacao"
            " WHERE hist_id = 40"
        ).scalar()
        == 1
    )
    with legacy.uow_factory() as uow:
        assert uow.catalog.get("hydrometer_situation", 40) == lost


@pytest.mark.postgres
def test_the_catalogue_benchmark_reads_what_the_baseline_reads(
    legacy_server: object,
) -> None:
    """``benchmarks/legacy_catalog.py`` at a small size: the adapter's items
    and the hand-written ``SELECT``'s rows are as many (the run asserts it)."""
    from benchmarks import legacy_catalog as bench  # noqa: PLC0415

    assert POSTGRES_URL is not None
    figures = bench.measure(200, 1, POSTGRES_URL)
    assert figures["rows"] == 202  # and the two seeded capacities
    assert figures["ratio_median"] > 0
