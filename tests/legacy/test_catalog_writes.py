"""Issue 19 item 2: catalogue writes on GSAN's reference tables (CATALOG_WRITES).

Only the mapped columns are written, ``*_tmultimaalteracao`` is stamped, and
every update or removal is a compare-and-set on the opt-in version column
(``c0004``), which GSAN's own updates bump through the trigger.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend
from gsan_core.adapters.gsan_legacy import migrations as companion
from gsan_core.errors import ConcurrencyConflict, ConfigurationError, NotFound
from gsan_core.model.catalog import CatalogItem
from tests.legacy.support import add_catalog

pytestmark = pytest.mark.postgres
Run = Callable[..., sa.CursorResult[object]]


def test_a_catalogue_row_is_written_as_gsan_writes_it(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    item = CatalogItem(kind="cut_reason", id=40, description="DEBITO", active=False)
    add_catalog(legacy, item)
    row = run_sql(
        "SELECT mtco_dsmotivo, mtco_icuso, mtco_tmultimaalteracao > now() - interval"
        " '1 day', gsan_core_version FROM atendimentopublico.motivo_corte"
        " WHERE mtco_id = 40"
    ).one()
    assert tuple(row) == ("DEBITO", 2, True, 1)
    with legacy.uow_factory() as uow:
        assert uow.catalog.get("cut_reason", 40) == item
        uow.catalog.update(attrs.evolve(item, active=True, version=2))
        uow.commit()
    assert (
        run_sql(
            "SELECT mtco_icuso FROM atendimentopublico.motivo_corte WHERE mtco_id = 40"
        ).scalar()
        == 1
    )


def test_gsans_own_update_makes_the_librarys_write_conflict(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    """Two writers: GSAN's "Manter" screen saves first (the trigger bumps the
    version), the library's stale update and removal conflict and write nothing."""
    with legacy.uow_factory() as uow:
        seen = uow.catalog.get("cut_reason", 1)
    run_sql(
        "UPDATE atendimentopublico.motivo_corte SET mtco_dsmotivo = 'GSAN'"
        " WHERE mtco_id = 1"
    )
    with legacy.uow_factory() as uow, pytest.raises(ConcurrencyConflict):
        uow.catalog.update(attrs.evolve(seen, description="LIB", version=2))
    with legacy.uow_factory() as uow, pytest.raises(ConcurrencyConflict):
        uow.catalog.remove(seen)
    with legacy.uow_factory() as uow:
        stored = uow.catalog.get("cut_reason", 1)
        assert (stored.description, stored.version) == ("GSAN", 2)
        with pytest.raises(NotFound):
            uow.catalog.update(attrs.evolve(seen, id=404, version=2))


def test_typed_columns_and_the_companion_abbreviation(legacy: LegacyBackend) -> None:
    """A sewer profile's percentage and main flag are GSAN columns; its
    abbreviation (no GSAN column) is the companion's; an attribute without a
    column is refused."""
    item = CatalogItem(
        kind="sewer_profile",
        id=30,
        description="CONVENCIONAL",
        abbreviation="CONV",
        attributes={"sewer_percentage": Decimal("80.00"), "main": True},
    )
    with legacy.uow_factory() as uow:
        uow.catalog.add(item)
        uow.catalog.update(attrs.evolve(item, abbreviation="CV", version=2))
        uow.commit()
    with legacy.uow_factory() as uow:
        assert uow.catalog.get("sewer_profile", 30) == attrs.evolve(
            item, abbreviation="CV", version=2
        )
        uow.catalog.remove(attrs.evolve(item, version=2))
        uow.commit()
    with legacy.uow_factory() as uow:
        assert uow.catalog.find("sewer_profile", 30) is None
        odd = CatalogItem(
            kind="cut_reason", id=41, description="X", attributes={"colour": "red"}
        )
        with pytest.raises(ConfigurationError) as caught:
            uow.catalog.add(odd)
        assert caught.value.code == "configuration.profile"


def test_without_the_catalogue_migration_writes_are_refused(
    locked_engine: sa.Engine,
) -> None:
    companion.downgrade(locked_engine, LegacyBackend(locked_engine).profile, "c0003")
    backend = LegacyBackend(locked_engine)
    with backend.uow_factory() as uow, pytest.raises(ConfigurationError) as caught:
        uow.catalog.add(CatalogItem(kind="cut_reason", id=42, description="X"))
    assert caught.value.code == "configuration.read_only"
    with backend.uow_factory() as uow:
        assert uow.catalog.get("cut_reason", 1).version == 1
