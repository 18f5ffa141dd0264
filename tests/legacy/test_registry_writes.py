"""Issue 19 item 3: registry writes on GSAN's tables (REGISTRY_WRITES, as far
as phase 2 goes): a property with its id's modulo-11 check digit from
``cadastro.seq_imovel``, the mapped columns with the profile's NOT NULL
defaults, the economies per subcategory and the collection situations;
organisational units and users, changed by compare-and-set (``c0004``)."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile
from gsan_core.adapters.gsan_legacy import migrations as companion
from gsan_core.errors import (
    ConcurrencyConflict,
    ConfigurationError,
    DuplicateEntity,
    NotFound,
)
from gsan_core.model.catalog import Reference
from gsan_core.model.properties import Economies, Property
from gsan_core.model.units import OrganizationalUnit, User
from gsan_core.rules.service_requests.numbering import check_digit
from gsan_core.testing.contracts import location
from tests.legacy.support import ensure_row, seed_property

pytestmark = pytest.mark.postgres
Run = Callable[..., sa.CursorResult[object]]


@pytest.fixture
def registry(locked_engine: sa.Engine) -> LegacyBackend:
    """GSAN's location and reference rows, and a profile with the client
    GSAN's collection situations need."""
    with locked_engine.begin() as connection:
        # a GSAN property: its location and the rows imovel's defaults point to
        seed_property(connection, 9)
        for table, key, ids in (
            ("cadastro.imovel_perfil", "iper_id", (1,)),
            ("faturamento.consumo_tarifa", "cstf_id", (1, 2)),
            ("cadastro.poco_tipo", "poco_id", (1,)),
            ("cobranca.cobranca_situacao", "cbst_id", (2, 3)),
            ("cadastro.cliente", "clie_id", (1,)),
        ):
            for ident in ids:
                ensure_row(connection, table, {key: ident})
    base = LegacyProfile.for_line()
    profile = attrs.evolve(
        base,
        not_null_defaults={
            **base.not_null_defaults,
            "cadastro.imovel_cobranca_situacao": {"clie_id": 1},
        },
    )
    return LegacyBackend(locked_engine, profile)


def _property(ident: int, **changes: object) -> Property:
    return attrs.evolve(
        Property(
            id=ident,
            locality_id=1,
            sector_id=1,
            block_id=1,
            route_id=1,  # GSAN's route of a property: its block's
            profile_id=1,
            categories=(Economies(category_id=1, subcategory_id=10, count=2),),
            water_status_id=3,
            sewer_status_id=1,
            consumption_tariff_id=2,
            well_type_id=1,
            collection_situation_ids=frozenset([2, 3]),
        ),
        **changes,
    )


def test_a_property_is_registered_as_gsan_registers_it(
    registry: LegacyBackend, run_sql: Run
) -> None:
    with registry.uow_factory() as uow:
        ident = uow.next_id("property")
        prop = _property(ident)
        uow.properties.add(prop)
        uow.commit()
    assert ident % 10 == check_digit(ident // 10)
    with registry.uow_factory() as uow:
        assert uow.properties.get(ident) == prop
    row = run_sql(
        "SELECT imov_icexclusao, imov_nnlote, imov_icimovelcondominio,"
        " imov_tmultimaalteracao IS NOT NULL, gsan_core_version"
        " FROM cadastro.imovel WHERE imov_id = :i",
        i=ident,
    ).one()
    assert tuple(row) == (2, 0, 2, True, 1)
    with registry.uow_factory() as uow, pytest.raises(DuplicateEntity):
        uow.properties.add(prop)


def test_what_gsan_cannot_store_is_refused_and_nothing_written(
    registry: LegacyBackend, locked_engine: sa.Engine
) -> None:
    with registry.uow_factory() as uow:
        ident = uow.next_id("property")
        with pytest.raises(ConfigurationError) as caught:
            uow.properties.add(_property(ident + 1 if ident % 10 < 9 else ident - 1))
        assert caught.value.code == "configuration.profile"  # the check digit
        category_level = Economies(category_id=1, subcategory_id=None, count=1)
        with pytest.raises(ConfigurationError) as caught:
            uow.properties.add(_property(ident, categories=(category_level,)))
        assert caught.value.code == "configuration.unmapped"
    with registry.uow_factory() as uow:
        assert uow.properties.find(ident) is None
    plain = LegacyBackend(locked_engine)  # no client for collection situations
    with plain.uow_factory() as uow, pytest.raises(ConfigurationError) as caught:
        uow.properties.add(_property(ident))
    assert caught.value.field == "not_null_defaults"
    with plain.uow_factory() as uow:
        uow.properties.add(_property(ident, collection_situation_ids=frozenset()))
        uow.commit()
    with plain.uow_factory() as uow:
        assert uow.properties.get(ident).collection_situation_ids == frozenset()


def test_units_and_users_are_registered_and_changed_by_compare_and_set(
    registry: LegacyBackend, run_sql: Run
) -> None:
    with registry.engine.begin() as connection:
        for table, key, ident in (
            ("cadastro.unidade_tipo", "untp_id", 10),
            ("cadastro.unidade_tipo", "untp_id", 12),
            ("seguranca.usuario_situacao", "usst_id", 2),
        ):
            ensure_row(connection, table, {key: ident})
    head = OrganizationalUnit(id=50, name="SEDE", unit_type_id=10, acronym="SD")
    child = OrganizationalUnit(
        id=51, name="FILIAL", unit_type_id=12, superior_id=50, dispatch_centre_id=50
    )
    user = User(id=90, name="ANA", unit_id=51, login="ana")
    with registry.uow_factory() as uow:
        uow.units.add_many([head, child])
        uow.users.add(user)
        uow.commit()
    with registry.uow_factory() as uow:
        assert uow.units.get(51) == attrs.evolve(child, company_id=1)
        assert uow.users.get(90) == user
        uow.users.update(attrs.evolve(user, active=False, version=2))
        uow.units.update(attrs.evolve(child, name="FILIAL 2", version=2))
        uow.commit()
    assert run_sql(
        "SELECT unid_dsunidade, unid_ictramite, empr_id FROM"
        " cadastro.unidade_organizacional WHERE unid_id = 51"
    ).one() == ("FILIAL 2", 1, 1)  # accepts routing: GSAN's 1
    run_sql("UPDATE seguranca.usuario SET usur_nmusuario = 'GSAN' WHERE usur_id = 90")
    with registry.uow_factory() as uow:
        stored = uow.users.get(90)
        assert (stored.name, stored.active, stored.version) == ("GSAN", False, 3)
        with pytest.raises(ConcurrencyConflict):
            uow.users.update(attrs.evolve(user, version=3))
        with pytest.raises(NotFound):
            uow.units.update(attrs.evolve(head, id=77, version=2))
        with pytest.raises(ConfigurationError) as caught:
            uow.users.add(User(id=91, name="SEM LOGIN", unit_id=51))
        assert caught.value.code == "configuration.unmapped"


def test_registry_writes_need_the_version_column(locked_engine: sa.Engine) -> None:
    companion.downgrade(locked_engine, LegacyProfile(), "c0003")
    backend = LegacyBackend(locked_engine)
    with backend.uow_factory() as uow:
        assert uow.users.get(1).version == 1  # GSAN's seeded user, read as ever
        with pytest.raises(ConfigurationError) as caught:
            uow.units.add(OrganizationalUnit(id=5, name="X", unit_type_id=1))
        assert caught.value.code == "configuration.read_only"


def _gsan_location_references(connection: sa.Connection) -> None:
    """The rows a location's GSAN columns point to (regional management,
    business unit: the profile's defaults and the sample locality's 4 and 5;
    municipality, reading type, company, groups)."""
    for table, key, ident in (
        ("cadastro.gerencia_regional", "greg_id", 1),
        ("cadastro.gerencia_regional", "greg_id", 4),
        ("cadastro.unidade_negocio", "uneg_id", 1),
        ("cadastro.unidade_negocio", "uneg_id", 5),
        ("cadastro.municipio", "muni_id", 7),
        ("micromedicao.leitura_tipo", "lttp_id", 1),
        ("cadastro.empresa", "empr_id", 1),
        ("cobranca.cobranca_grupo", "cbgr_id", 2),
        ("faturamento.faturamento_grupo", "ftgr_id", 2),
    ):
        ensure_row(connection, table, {key: ident})


def test_locations_are_registered_with_gsans_columns_and_compare_and_set(
    legacy: LegacyBackend, run_sql: Run
) -> None:
    with legacy.engine.begin() as connection:
        _gsan_location_references(connection)
    loc, sector, block, route = location()
    block = attrs.evolve(block, sewer_division_id=None)  # GSAN's quadra has none
    with legacy.uow_factory() as uow:
        uow.localities.add(loc)
        uow.sectors.add(sector)
        with pytest.raises(ConfigurationError) as caught:
            uow.blocks.add(block)  # quadra.rota_id NOT NULL: no route yet
        assert caught.value.code == "configuration.unmapped"
        uow.routes.add(route)
        uow.blocks.add(block)
        uow.commit()
    with legacy.uow_factory() as uow:
        assert uow.localities.get(1) == loc
        assert uow.sectors.get(10) == sector
        assert uow.blocks.get(100) == block
        assert uow.routes.get(1000) == route
    row = run_sql(
        "SELECT l.loca_cdelo, l.greg_id, s.muni_id, q.rota_id, r.ftgr_id, r.cbgr_id,"
        " q.qdra_tmultimaalteracao IS NOT NULL, q.gsan_core_version"
        " FROM cadastro.quadra q JOIN cadastro.setor_comercial s USING (stcm_id)"
        " JOIN cadastro.localidade l USING (loca_id), micromedicao.rota r"
        " WHERE q.qdra_id = 100 AND r.rota_id = 1000"
    ).one()
    assert tuple(row) == (1, 4, 7, 1000, 2, 2, True, 1)
    run_sql("UPDATE cadastro.quadra SET qdra_nnquadra = 5 WHERE qdra_id = 100")
    with legacy.uow_factory() as uow, pytest.raises(ConcurrencyConflict):
        uow.blocks.update(attrs.evolve(block, number=6, version=2))  # GSAN saved
    with legacy.uow_factory() as uow:
        uow.blocks.update(attrs.evolve(block, number=6, version=3))
        uow.localities.update(attrs.evolve(loc, active=False, version=2))
        uow.commit()
    with legacy.uow_factory() as uow:
        assert (uow.blocks.get(100).number, uow.blocks.get(100).version) == (6, 3)
        assert uow.localities.get(1).active is False


def test_location_fields_gsan_does_not_store_are_refused(
    legacy: LegacyBackend,
) -> None:
    loc, _, block, route = location()
    with legacy.uow_factory() as uow:
        for write, entity in (
            (uow.blocks.add, block),  # the contract's sewer division
            (uow.routes.add, attrs.evolve(route, simultaneous_printing=True)),
            (uow.localities.add, attrs.evolve(loc, ppp_contract=True)),
        ):
            with pytest.raises(ConfigurationError) as caught:
                write(entity)  # type: ignore[operator]
            assert caught.value.code == "configuration.unmapped"


def test_property_queries_are_set_based_on_gsans_columns(
    registry: LegacyBackend,
) -> None:
    with registry.uow_factory() as uow:
        first, second = uow.next_ids("property", 2)
        uow.properties.add_many(
            [_property(first), _property(second, water_status_id=4)]
        )
        uow.commit()
    ids = [9, first, second]  # 9: GSAN's own, water situation 3
    with registry.uow_factory() as uow:
        assert [p.id for p in uow.properties.find_by(route_id=[1, 7])] == ids
        assert [p.id for p in uow.properties.find_by(water_status_id=4)] == [second]
        assert uow.properties.count_by(water_status_id=[3, 4]) == 3
        assert uow.properties.count_by(well_type_id=None) == 1  # GSAN's
        assert uow.properties.count_by_water_status() == {3: 2, 4: 1}
        assert uow.properties.ids_by_route(1) == ids
        with pytest.raises(ConfigurationError) as caught:
            uow.properties.find_by(categories=())
        assert caught.value.code == "configuration.unmapped"
        seen = uow.properties.get_many([first, second])
        fresh = [attrs.evolve(p, block_face=None, version=2) for p in seen.values()]
        uow.properties.update_many(fresh)
        uow.commit()
    with registry.uow_factory() as uow:
        stale = attrs.evolve(fresh[1], well_type_id=None)
        with pytest.raises(ConcurrencyConflict):
            uow.properties.update_many([attrs.evolve(fresh[0], version=3), stale])
        with pytest.raises(NotFound):
            uow.properties.update_many([attrs.evolve(fresh[0], id=404, version=2)])
    with registry.uow_factory() as uow:
        assert [
            p.version for p in uow.properties.get_many([first, second]).values()
        ] == [2, 2]


def test_usage_count_goes_through_gsans_mapped_columns_only(
    registry: LegacyBackend,
) -> None:
    with registry.uow_factory() as uow:
        water = Reference("property", "water_status_id")
        assert uow.catalog.usage_count("water_status", 3, [water]) == 1  # GSAN's 9
        with pytest.raises(ConfigurationError) as caught:
            uow.catalog.usage_count("water_status", 3, [Reference("property", "x")])
        assert caught.value.code == "configuration.unmapped"
