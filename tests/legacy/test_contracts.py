"""The shipped contract suites on the legacy adapter (GSAN's own tables).

Only the capability-gated tests are left out. The connection suite runs whole:
its consumption loaders are the legacy seeding port's (``seeding=True``) over
GSAN's properties. The unit-of-work suite's registry tests run through the
contract's hooks (GSAN's check-digit ids, economies per subcategory, no sewer
division on ``quadra``, a company for units) with GSAN's reference rows seeded;
left out are the billing port's ``add_charge`` (its seeded tests) and the field
lock (``SEEDING``). The anomaly actions are not mapped. The catalogue writes
(``c0004``), the set-based batch port and the meter history (installations,
movements) run on GSAN's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy import LegacyBackend, LegacyProfile
from gsan_core.model.hydrometers import Hydrometer, MeterPurpose
from gsan_core.model.properties import (
    Block,
    CommercialSector,
    Locality,
    Property,
    Route,
)
from gsan_core.model.units import OrganizationalUnit
from gsan_core.rules.service_requests.numbering import with_check_digit
from gsan_core.testing.capabilities import (
    ALL,
    ANOMALY_ACTIONS,
    BILLING,
    SEEDING,
)
from gsan_core.testing.contracts import UnitOfWorkContract
from gsan_core.testing.contracts_connections import ConnectionsContract
from gsan_core.testing.contracts_hydrometers import HydrometerRepositoriesContract
from tests.legacy.support import (
    ensure_default_parents,
    ensure_row,
    seed_property,
    seed_water_connection,
)

pytestmark = pytest.mark.postgres


#: The GSAN rows the suite's location, property, units and users point to
#: (regional management, business unit, municipality, reading type, company,
#: groups, profile, tariff, well, collection situations, client, categories,
#: unit types).
_REFERENCES = (
    ("cadastro.gerencia_regional", "greg_id", (1, 4)),
    ("cadastro.unidade_negocio", "uneg_id", (1, 5)),
    ("cadastro.municipio", "muni_id", (7,)),
    ("micromedicao.leitura_tipo", "lttp_id", (1,)),
    ("cadastro.empresa", "empr_id", (1,)),
    ("cobranca.cobranca_grupo", "cbgr_id", (2,)),
    ("faturamento.faturamento_grupo", "ftgr_id", (2,)),
    ("cadastro.imovel_perfil", "iper_id", (1,)),
    ("faturamento.consumo_tarifa", "cstf_id", (1, 2)),
    ("cadastro.poco_tipo", "poco_id", (1,)),
    ("cobranca.cobranca_situacao", "cbst_id", (2, 3)),
    ("cadastro.cliente", "clie_id", (1,)),
    ("cadastro.unidade_tipo", "untp_id", (10, 12)),
)


class TestLegacyUnitOfWork(UnitOfWorkContract):
    capabilities = ALL - {SEEDING, BILLING}

    @pytest.fixture
    def uow_factory(self, locked_engine: sa.Engine) -> Callable[[], Any]:
        base = LegacyProfile.for_line()
        defaults = {**base.not_null_defaults}
        defaults["cadastro.imovel_cobranca_situacao"] = {"clie_id": 1}
        legacy = LegacyBackend(
            locked_engine, attrs.evolve(base, not_null_defaults=defaults)
        )
        with legacy.engine.begin() as connection:
            # the suite's catalogue kinds start empty (the template seeds them)
            for kind in ("cut_reason", "sewer_profile"):
                table = legacy.profile.catalog_tables[kind]
                connection.execute(sa.text(f"DELETE FROM {table}"))
            for table, key, ids in _REFERENCES:
                for ident in ids:
                    ensure_row(connection, table, {key: ident})
            ensure_default_parents(connection, "cadastro.imovel")
            for category, subcategory in ((1, 10), (2, 20)):
                ensure_row(
                    connection,
                    "cadastro.subcategoria",
                    {"scat_id": subcategory, "catg_id": category},
                )
        return legacy.uow_factory

    def sample_location(self) -> tuple[Locality, CommercialSector, Block, Route]:
        """GSAN's ``quadra`` has no sewer division."""
        loc, sector, block, route = super().sample_location()
        return loc, sector, attrs.evolve(block, sewer_division_id=None), route

    def _with_location(self, factory: Any) -> None:
        """The faces of the block (``imovel.qdfa_id`` points to them) once the
        block is there."""
        super()._with_location(factory)
        with factory() as uow:
            uow.connection.execute(
                sa.text(
                    "INSERT INTO cadastro.quadra_face (qdfa_id, qdfa_icuso, qdra_id)"
                    " VALUES (:f, 1, 100)"
                ),
                [{"f": face} for face in (2, 4, 7, 9)],
            )
            uow.commit()

    def sample_units(self) -> tuple[OrganizationalUnit, OrganizationalUnit]:
        """GSAN's ``unidade_organizacional.empr_id`` is NOT NULL."""
        return tuple(  # type: ignore[return-value]
            attrs.evolve(u, company_id=1) for u in super().sample_units()
        )

    def property_id(self, n: int) -> int:
        """GSAN's ids end in their modulo-11 check digit."""
        return with_check_digit(n)

    def sample_property(self, n: int = 1) -> Property:
        """GSAN keeps economies per subcategory: the category-level one gets
        subcategory 20."""
        prop = super().sample_property(n)
        categories = tuple(
            attrs.evolve(e, subcategory_id=e.subcategory_id or e.category_id * 10)
            for e in prop.categories
        )
        return attrs.evolve(prop, categories=categories)

    def probe_add(self, uow: Any, n: int) -> None:
        """A meter: what phase 1 writes without a property."""
        uow.hydrometers.add(
            Hydrometer(
                id=n,
                number=f"P{n}",
                acquired_on=date(2024, 3, 1),
                manufacture_year=2024,
                purpose=MeterPurpose.OPERATIONAL,
                reading_digits=5,
                type_id=1,
                situation_id=3,
                brand_id=10,
                capacity_id=5,
                diameter_id=13,
                metrological_class_id=2,
                location_id=1,
            )
        )

    def probe_found(self, uow: Any, n: int) -> bool:
        return uow.hydrometers.find(n) is not None


class TestLegacyConnections(ConnectionsContract):
    capabilities = ALL

    @pytest.fixture
    def uow_factory(self, locked_engine: sa.Engine) -> Callable[[], Any]:
        # the consumption loaders are the legacy seeding port's
        self._backend = LegacyBackend(locked_engine, seeding=True)
        return self._backend.uow_factory

    def _gsan_properties(self, *ids: int) -> None:
        """GSAN's consumption rows point to GSAN's properties, its types
        and anomalies (GSAN's reference rows)."""
        with self._backend.engine.begin() as connection:
            for ident in ids:
                seed_property(connection, ident)
            for table, key, values in (
                ("micromedicao.ligacao_tipo", "lgti_id", (1, 2)),
                ("micromedicao.consumo_tipo", "cstp_id", (1, 3)),
                ("micromedicao.consumo_anormalidade", "csan_id", (5, 7)),
            ):
                for value in values:
                    ensure_row(connection, table, {key: value})

    def test_consumption_history_port(self, uow_factory: Any) -> None:
        self._gsan_properties(1, 2, 3, 4)
        super().test_consumption_history_port(uow_factory)

    def test_repeated_reading_anomaly(self, uow_factory: Any) -> None:
        self._gsan_properties(1, 2, 3, 4)
        super().test_repeated_reading_anomaly(uow_factory)

    def seed_properties(
        self, factory: Any, ids: tuple[int, ...], changes: dict[str, object]
    ) -> None:
        with self._backend.engine.begin() as connection:
            for ident in ids:
                seed_property(
                    connection,
                    ident,
                    water=int(changes.get("water_status_id", 3)),  # type: ignore[call-overload]
                    sewer=int(changes.get("sewer_status_id", 1)),  # type: ignore[call-overload]
                )

    def change_property_profile(
        self, factory: Any, property_id: int, *, profile_id: int
    ) -> None:
        with self._backend.engine.begin() as connection:
            ensure_row(connection, "cadastro.imovel_perfil", {"iper_id": profile_id})
            connection.execute(
                sa.text("UPDATE cadastro.imovel SET iper_id = :p WHERE imov_id = :i"),
                {"p": profile_id, "i": property_id},
            )


class TestLegacyHydrometers(HydrometerRepositoriesContract):
    capabilities = ALL - {ANOMALY_ACTIONS}
    _backend: LegacyBackend

    @pytest.fixture
    def uow_factory(self, legacy: LegacyBackend) -> Callable[[], Any]:
        type(self)._backend = legacy
        return legacy.uow_factory

    @staticmethod
    def _with_property(factory: Any) -> None:
        # GSAN's cadastre is read-only for the library: the property and its
        # water connection are GSAN's rows
        backend = TestLegacyHydrometers._backend
        with backend.engine.begin() as connection:
            seed_property(connection, 1)
            seed_water_connection(connection, 1)
