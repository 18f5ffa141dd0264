"""Issue 19 item 1 on the legacy adapter: no seeding port unless asked (GSAN's
modules own that data), catalogue ids from the reference table's own sequence, ids of the
kinds GSAN has no sequence for from the companion schema."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile
from gsan_core.errors import ConfigurationError
from gsan_core.testing.contracts import sample_property

pytestmark = pytest.mark.postgres


def test_the_legacy_adapter_has_no_seeding_port(legacy: LegacyBackend) -> None:
    with legacy.uow_factory() as uow, pytest.raises(ConfigurationError) as caught:
        uow.seeding.grant(9, 30)  # type: ignore[attr-defined]
    assert caught.value.code == "configuration.no_seeding"


def test_a_property_id_without_gsans_check_digit_is_refused(
    legacy: LegacyBackend,
) -> None:
    with legacy.uow_factory() as uow, pytest.raises(ConfigurationError) as caught:
        uow.properties.add(sample_property(7))  # 0 followed by 7: not mod-11
    assert caught.value.code == "configuration.profile"


def test_catalogue_ids_interleave_with_the_tables_sequence(
    legacy: LegacyBackend, run_sql: Callable[..., sa.CursorResult[object]]
) -> None:
    """Catalogue ids (``catalog.<kind>``) are ``nextval`` of the GSAN table's
    sequence: GSAN's own inserts and the library's never collide."""
    assert legacy.profile.sequence("catalog.cut_reason") == (
        "atendimentopublico.seq_motivo_corte"
    )
    first = legacy.ids.next_id("catalog.cut_reason")
    gsan = run_sql("SELECT nextval('atendimentopublico.seq_motivo_corte')").scalar()
    second = legacy.ids.next_id("catalog.cut_reason")
    assert first < int(gsan) < second  # type: ignore[arg-type]


def test_a_catalogue_kind_added_to_the_profile_finds_its_sequence() -> None:
    profile = LegacyProfile(
        catalog_tables={"pavement": "cadastro.pavimento_rua"}, sequences={}
    )
    assert profile.has_sequence("catalog.pavement")
    assert profile.sequence("catalog.pavement") == "cadastro.seq_pavimento_rua"
    assert not profile.has_sequence("permission_change")
    with pytest.raises(ConfigurationError):
        profile.sequence("permission_change")


def test_kinds_without_a_gsan_sequence_take_companion_ids(
    legacy: LegacyBackend, run_sql: Callable[..., sa.CursorResult[object]]
) -> None:
    """The library's own records GSAN has no table for (permission changes)
    take ids from the companion ``id_block`` (a profile error before the
    companion schema is migrated)."""
    ids = list(legacy.ids.next_ids("permission_change", 3))
    assert ids == sorted(ids)
    assert len(set(ids)) == 3
    stored = run_sql(
        "SELECT next_value FROM gsan_core.id_block WHERE name = 'permission_change'"
    ).scalar()
    assert int(stored) > ids[-1]  # type: ignore[arg-type]


def test_without_the_companion_schema_an_unmapped_kind_is_a_profile_error(
    legacy_engine: sa.Engine, run_sql: Callable[..., sa.CursorResult[object]]
) -> None:
    run_sql("DROP SCHEMA gsan_core CASCADE")  # never migrated
    backend = LegacyBackend(legacy_engine)
    with pytest.raises(ConfigurationError) as caught:
        backend.ids.next_id("no_such_kind")
    assert caught.value.code == "configuration.profile"
    assert backend.ids.next_id("hydrometer") > 0
