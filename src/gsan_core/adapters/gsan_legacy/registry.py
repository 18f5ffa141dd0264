"""Registry writes on GSAN's tables: organisational units and users.

``cadastro.unidade_organizacional`` and ``seguranca.usuario`` get the opt-in
version column from ``c0004`` (with ``locking=True``); then units and users are
added with their mapped columns, GSAN's 1/2 flags, the profile's NOT NULL
defaults (company, user type, scope, report and message flags), the stamp and
the version, and updated by compare-and-set (a row GSAN's screen saved first
raises ``ConcurrencyConflict``). Without the column the writes raise
``configuration.read_only`` and the reads carry version 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa

from gsan_core.adapters.gsan_legacy.location import (
    LOCATION_TABLES,
    LegacyLocationRepository,
)
from gsan_core.adapters.gsan_legacy.readers import USER_COLUMNS, LegacyUsers
from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.errors import ConcurrencyConflict, ConfigurationError, NotFound
from gsan_core.model.units import OrganizationalUnit, User

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = ["LegacyUnitRepository", "LegacyUserRepository", "RegistryTable"]

READ_ONLY = (
    "GSAN's {table} has no optimistic-locking column: run the opt-in locking"
    " migration (gsan_core.adapters.gsan_legacy.migrations.upgrade(engine,"
    " profile, locking=True)) before writing {entity} rows"
)
NO_LOGIN = "GSAN's seguranca.usuario needs a login (usur_nmlogin): user {id} has none"
#: GSAN's ``UsuarioSituacao``: 1 ATIVO, 2 INATIVO.
_ACTIVE_USER, _INACTIVE_USER = 1, 2


class RegistryTable:
    """Inserts and compare-and-set updates of one GSAN registry table."""

    def __init__(
        self, uow: LegacyUnitOfWork, table: str, key: str, entity: str
    ) -> None:
        self._uow = uow
        self.table, self.key, self.entity = table, key, entity
        self.stamp = f"{key.removesuffix('_id')}_tmultimaalteracao"
        #: The version column, once ``c0004`` ran (``None`` before).
        self.version = uow.catalog_layouts.get(uow.connection, table).version

    def _writable(self) -> str:
        if self.version is None:
            msg = READ_ONLY.format(table=self.table, entity=self.entity)
            raise ConfigurationError(msg, kind="read_only")
        return self.version

    def insert(self, ident: int, values: Mapping[str, Any], version: int) -> None:
        column = self._writable()
        row = {
            **self._uow.profile.not_null_defaults.get(self.table, {}),
            **{k: v for k, v in values.items() if v is not None},
            self.key: ident,
            self.stamp: self._uow.local_now,
            column: version,
        }
        names = ", ".join(row)
        params = ", ".join(f":p{n}" for n in range(len(row)))
        with translated(self.entity, ident):
            self._uow.connection.execute(
                sa.text(f"INSERT INTO {self.table} ({names}) VALUES ({params})"),
                {f"p{n}": v for n, v in enumerate(row.values())},
            )

    def update(self, ident: int, values: Mapping[str, Any], version: int) -> None:
        """Set ``values`` where the stored version is ``version - 1``."""
        column = self._writable()
        sets = [f"{c} = :p{n}" for n, c in enumerate(values)]
        sets.append(f"{self.stamp} = :stamp")
        params = {f"p{n}": v for n, v in enumerate(values.values())}
        params |= {"id": ident, "expected": version - 1, "stamp": self._uow.local_now}
        with translated(self.entity, ident):
            changed = self._uow.connection.execute(
                sa.text(
                    f"UPDATE {self.table} SET {', '.join(sets)}"
                    f" WHERE {self.key} = :id AND {column} = :expected"
                ),
                params,
            ).rowcount
            if changed == 1:
                return
            exists = self._uow.connection.execute(
                sa.text(f"SELECT 1 FROM {self.table} WHERE {self.key} = :id"),
                {"id": ident},
            ).first()
        if exists is None:
            raise NotFound(self.entity, ident)
        raise ConcurrencyConflict(self.entity, ident, version)

    def version_of(self, alias: str) -> str:
        """The SELECT expression of the version (1 before ``c0004``)."""
        return f"{alias}.{self.version}" if self.version else "1"


class LegacyUnitRepository(LegacyLocationRepository[OrganizationalUnit]):
    """Organisational units: GSAN's reads plus registry writes."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        super().__init__(uow, "unit")
        table, key, alias = LOCATION_TABLES["unit"]
        self._registry = RegistryTable(uow, table, key, "unit")
        self._read_version(self._registry.version_of(alias))

    def _values(self, unit: OrganizationalUnit) -> dict[str, Any]:
        yes, no = self._uow.profile.flag_true, self._uow.profile.flag_false
        return {
            "unid_dsunidade": unit.name,
            "unid_dssiglaunidade": unit.acronym,
            "untp_id": unit.unit_type_id,
            "unid_idsuperior": unit.superior_id,
            "unid_idcentralizadora": unit.dispatch_centre_id,
            "unid_ictramite": yes if unit.accepts_routing else no,
            "unid_icabertura": yes if unit.may_open_requests else no,
            "unid_iccentralatendimento": yes if unit.call_centre else no,
            "unid_ictarifasocial": yes if unit.social_tariff else no,
            "unid_icesgoto": yes if unit.sewer else no,
            "loca_id": unit.locality_id,
            "empr_id": unit.company_id,
            "unid_icuso": yes if unit.active else no,
        }

    def add(self, entity: OrganizationalUnit) -> None:
        self.add_many([entity])

    def add_many(self, entities: Iterable[OrganizationalUnit]) -> None:
        """Insert in order (a superior before the units below it)."""
        for unit in entities:
            self._registry.insert(unit.id, self._values(unit), unit.version)

    def update(self, entity: OrganizationalUnit) -> None:
        values = self._values(entity)
        if values["empr_id"] is None:  # NOT NULL: keep GSAN's company
            del values["empr_id"]
        self._registry.update(entity.id, values, entity.version)


class LegacyUserRepository(LegacyUsers):
    """Users: GSAN's reads plus registry writes (``usst_id`` 1 ATIVO, 2
    INATIVO)."""

    def __init__(self, uow: LegacyUnitOfWork) -> None:
        super().__init__(uow)
        self._registry = RegistryTable(uow, "seguranca.usuario", "usur_id", "user")
        self._sql = (
            f"SELECT {USER_COLUMNS}, {self._registry.version_of('u')} AS version"
            " FROM seguranca.usuario u"
        )

    def _build(self, r: Any) -> User:
        return attrs.evolve(super()._build(r), version=r["version"])

    def _values(self, user: User) -> dict[str, Any]:
        if user.login is None:
            raise ConfigurationError(NO_LOGIN.format(id=user.id), kind="unmapped")
        return {
            "usur_nmusuario": user.name,
            "unid_id": user.unit_id,
            "usur_nmlogin": user.login,
            "usst_id": _ACTIVE_USER if user.active else _INACTIVE_USER,
        }

    def add(self, entity: object) -> None:
        self.add_many([entity])

    def add_many(self, entities: Iterable[object]) -> None:
        for user in entities:
            assert isinstance(user, User)
            self._registry.insert(user.id, self._values(user), user.version)

    def update(self, entity: object) -> None:
        self.update_many([entity])

    def update_many(self, entities: Iterable[object]) -> None:
        for user in entities:
            assert isinstance(user, User)
            self._registry.update(user.id, self._values(user), user.version)
