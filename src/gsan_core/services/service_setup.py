"""Use cases of the service-order configuration: the activities and materials of
a service type, the service price table, teams and material kits.

:class:`ServiceSetup` is a base of :class:`~gsan_core.services.service_orders.ServiceOrderService`,
so these methods are on ``gsan.service_orders``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal

import attrs

from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.service_orders import (
    KitLine,
    MaterialKit,
    MaterialKitSaved,
    ServiceChargeValue,
    ServicePriceListing,
    ServicePriceRemoved,
    ServicePriceSaved,
    ServiceType,
    ServiceTypeSaved,
    Team,
    TeamComponent,
    TeamSaved,
    TypeMaterial,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import service_configuration as config
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service

__all__ = ["ServiceSetup", "exists_in"]

_CATALOG_KINDS = frozenset(
    {"service_profile", "special_equipment", "material", "team_nature", "vehicle"}
)


def exists_in(uow: UnitOfWork) -> Callable[[str, int], bool]:
    """``exists(kind, id)`` over ``uow``: an active unit, user or catalog row."""

    def exists(kind: str, ident: int) -> bool:
        if kind == "unit":
            unit = uow.units.find(ident)
            return unit is not None and unit.active
        if kind == "user":
            user = uow.users.find(ident)
            return user is not None and user.active
        if kind in _CATALOG_KINDS:
            item = uow.catalog.find(kind, ident)
            return item is not None and item.active
        msg = f"no existence check for {kind!r}"
        raise ValueError(msg)

    return exists


def _vehicle_plate(
    uow: UnitOfWork, vehicle_id: int | None, plate: str | None
) -> str | None:
    """The team's plate: its vehicle's (VEI-02) when it has one, else ``plate``."""
    if vehicle_id is None:
        return plate
    vehicle = uow.catalog.find("vehicle", vehicle_id)
    if vehicle is None:
        return plate
    return vehicle.text("plate") or plate


class ServiceSetup(Service):
    """The configuration tables of service orders (on ``gsan.service_orders``)."""

    # ------------------------------------------------------------ type details
    def _changed_type(
        self,
        uow: UnitOfWork,
        service_type_id: int,
        expected_version: int,
        actor: int,
        **changes: object,
    ) -> ServiceType:
        stored = uow.service_types.get(service_type_id)
        if stored.version != expected_version:
            raise ConcurrencyConflict("service_type", service_type_id, expected_version)
        changed = attrs.evolve(stored, version=stored.version + 1, **changes)  # type: ignore[arg-type]
        uow.service_types.update(changed)
        uow.record(
            ServiceTypeSaved(
                occurred_at=self._now(),
                actor=actor,
                service_type_id=changed.id,
                version=changed.version,
            )
        )
        return changed

    def set_type_activities(
        self,
        *,
        service_type_id: int,
        activities: Sequence[tuple[int, int]],
        expected_version: int,
        actor: int,
    ) -> ServiceType:
        """Set the activities of a type as ``(activity id, execution order)`` pairs
        (CFG-05, CFG-06: at least one, each once, orders 1..n without gaps); they
        are stored in execution order."""
        with self._work() as uow:
            found = list(config.check_activity_order(activities))
            for activity_id, _ in activities:
                item = uow.catalog.find("activity", activity_id)
                if item is None or not item.active:
                    found.append(
                        config.REFERENCE_MISSING(
                            field="Activity", campo="Atividade", value=activity_id
                        )
                    )
            ensure(found)
            ordered = tuple(a for a, _ in sorted(activities, key=lambda e: e[1]))
            changed = self._changed_type(
                uow,
                service_type_id,
                expected_version,
                actor,
                activity_ids=ordered,
            )
            uow.commit()
        return changed

    def set_type_materials(
        self,
        *,
        service_type_id: int,
        materials: Sequence[TypeMaterial],
        expected_version: int,
        actor: int,
    ) -> ServiceType:
        """Set the default materials of a type (each existing, once, quantity > 0)."""
        with self._work() as uow:
            ensure(config.check_type_materials(materials, exists=exists_in(uow)))
            changed = self._changed_type(
                uow,
                service_type_id,
                expected_version,
                actor,
                materials=tuple(materials),
            )
            uow.commit()
        return changed

    # ------------------------------------------------------------ price table
    def _check_price(self, uow: UnitOfWork, row: ServiceChargeValue) -> None:
        ensure(
            config.check_price(
                row,
                service_type=uow.service_types.find(row.service_type_id),
                others=uow.service_prices.find_by(service_type_id=row.service_type_id),
            )
        )

    def add_price(
        self,
        *,
        service_type_id: int,
        value: Decimal,
        metered: bool,
        valid_from: date,
        valid_until: date,
        actor: int,
        property_profile_id: int | None = None,
        capacity_id: int | None = None,
        category_id: int | None = None,
        subcategory_id: int | None = None,
        economies_from: int | None = None,
        economies_to: int | None = None,
        generates_debit: bool = True,
    ) -> ServiceChargeValue:
        """Insert a row of the price table (CFG-01..CFG-04)."""
        with self._work() as uow:
            row = ServiceChargeValue(
                id=uow.next_id("service_charge_value"),
                service_type_id=service_type_id,
                value=value,
                metered=metered,
                valid_from=valid_from,
                valid_until=valid_until,
                property_profile_id=property_profile_id,
                capacity_id=capacity_id,
                category_id=category_id,
                subcategory_id=subcategory_id,
                economies_from=economies_from,
                economies_to=economies_to,
                generates_debit=generates_debit,
            )
            self._check_price(uow, row)
            uow.service_prices.add(row)
            self._price_saved(uow, row, actor)
            uow.commit()
        return row

    def update_price(
        self, price: ServiceChargeValue, *, actor: int
    ) -> ServiceChargeValue:
        """Store a change of a price row read at ``price.version``."""
        with self._work() as uow:
            stored = uow.service_prices.get(price.id)
            if stored.version != price.version:
                raise ConcurrencyConflict(
                    "service_charge_value", price.id, price.version
                )
            changed = attrs.evolve(price, version=stored.version + 1)
            self._check_price(uow, changed)
            uow.service_prices.update(changed)
            self._price_saved(uow, changed, actor)
            uow.commit()
        return changed

    def _price_saved(
        self, uow: UnitOfWork, row: ServiceChargeValue, actor: int
    ) -> None:
        uow.record(
            ServicePriceSaved(
                occurred_at=self._now(),
                actor=actor,
                price_id=row.id,
                service_type_id=row.service_type_id,
                version=row.version,
            )
        )

    def remove_price(self, *, price_id: int, expected_version: int, actor: int) -> None:
        """Remove a price row read at ``expected_version``."""
        with self._work() as uow:
            stored = uow.service_prices.get(price_id)
            if stored.version != expected_version:
                raise ConcurrencyConflict(
                    "service_charge_value", price_id, expected_version
                )
            uow.service_prices.remove(stored)
            uow.record(
                ServicePriceRemoved(
                    occurred_at=self._now(),
                    actor=actor,
                    price_id=price_id,
                    service_type_id=stored.service_type_id,
                )
            )
            uow.commit()

    def prices(
        self, *, service_type_id: int | None = None
    ) -> Sequence[ServiceChargeValue]:
        """The price table, by id (of one type when given)."""
        with self._read() as uow:
            if service_type_id is None:
                return uow.service_prices.find_by()
            return uow.service_prices.find_by(service_type_id=service_type_id)

    def commercial_price_table(self) -> list[ServicePriceListing]:
        """ "Tabela de Valores de Serviços Comerciais" (SIM-02): every active type
        with a positive base value, by id."""
        with self._read() as uow:
            types = uow.service_types.find_by(active=True)
        return [
            ServicePriceListing(
                service_type_id=t.id,
                description=t.description,
                abbreviation=t.abbreviation,
                value=t.value,
            )
            for t in types
            if t.value is not None and t.value > 0
        ]

    # ------------------------------------------------------------ teams
    def _check_team(self, uow: UnitOfWork, team: Team) -> None:
        ensure(
            config.check_team(
                team,
                others=uow.teams.find_by(),
                exists=exists_in(uow),
                accept_mercosul=self.profile.service_orders.accept_mercosul_plates,
            )
        )

    def _team_saved(self, uow: UnitOfWork, team: Team, actor: int) -> None:
        uow.record(
            TeamSaved(
                occurred_at=self._now(),
                actor=actor,
                team_id=team.id,
                version=team.version,
            )
        )

    def add_team(
        self,
        *,
        name: str,
        unit_id: int,
        work_minutes: int,
        components: Iterable[TeamComponent],
        actor: int,
        plate: str | None = None,
        profile_id: int | None = None,
        phone_area_code: int | None = None,
        phone_number: str | None = None,
        imei: str | None = None,
        responsible_user_id: int | None = None,
        automatic_scheduling: bool = False,
        equipment_ids: Iterable[int] = (),
        nature_id: int | None = None,
        vehicle_id: int | None = None,
    ) -> Team:
        """Insert a team ("Inserir Equipe", PRG-13); the plate is stored upper-case.

        ``nature_id`` is a ``team_nature`` row (VEI-01); ``vehicle_id`` a ``vehicle``
        row (VEI-02) whose plate becomes the team's."""
        with self._work() as uow:
            plate = _vehicle_plate(uow, vehicle_id, plate)
            team = Team(
                id=uow.next_id("team"),
                name=name,
                unit_id=unit_id,
                work_minutes=work_minutes,
                plate=None if plate is None else plate.upper(),
                profile_id=profile_id,
                phone_area_code=phone_area_code,
                phone_number=phone_number,
                imei=imei,
                responsible_user_id=responsible_user_id,
                automatic_scheduling=automatic_scheduling,
                nature_id=nature_id,
                vehicle_id=vehicle_id,
                components=tuple(components),
                equipment_ids=frozenset(equipment_ids),
            )
            self._check_team(uow, team)
            uow.teams.add(team)
            self._team_saved(uow, team, actor)
            uow.commit()
        return team

    def update_team(self, team: Team, *, actor: int) -> Team:
        """Store a change of a team read at ``team.version`` (also to deactivate it)."""
        with self._work() as uow:
            stored = uow.teams.get(team.id)
            if stored.version != team.version:
                raise ConcurrencyConflict("team", team.id, team.version)
            plate = _vehicle_plate(uow, team.vehicle_id, team.plate)
            changed = attrs.evolve(
                team,
                plate=None if plate is None else plate.upper(),
                version=stored.version + 1,
            )
            self._check_team(uow, changed)
            uow.teams.update(changed)
            self._team_saved(uow, changed, actor)
            uow.commit()
        return changed

    def get_team(self, id: int) -> Team:
        """One team."""
        with self._read() as uow:
            return uow.teams.get(id)

    def teams(
        self, *, unit_id: int | None = None, active_only: bool = False
    ) -> Sequence[Team]:
        """The teams, by id (of one unit, active only, when asked)."""
        criteria: dict[str, object] = {}
        if unit_id is not None:
            criteria["unit_id"] = unit_id
        if active_only:
            criteria["active"] = True
        with self._read() as uow:
            return uow.teams.find_by(**criteria)

    # ------------------------------------------------------------ material kits
    def _check_kit(self, uow: UnitOfWork, kit: MaterialKit) -> None:
        ensure(
            config.check_kit(
                kit, others=uow.material_kits.find_by(), exists=exists_in(uow)
            )
        )

    def _kit_saved(self, uow: UnitOfWork, kit: MaterialKit, actor: int) -> None:
        uow.record(
            MaterialKitSaved(
                occurred_at=self._now(), actor=actor, kit_id=kit.id, version=kit.version
            )
        )

    def add_kit(
        self,
        *,
        description: str,
        lines: Iterable[KitLine],
        actor: int,
        abbreviation: str | None = None,
    ) -> MaterialKit:
        """Insert a material kit ("Inserir Kit de Material")."""
        with self._work() as uow:
            kit = MaterialKit(
                id=uow.next_id("material_kit"),
                description=description,
                abbreviation=abbreviation,
                lines=tuple(lines),
            )
            self._check_kit(uow, kit)
            uow.material_kits.add(kit)
            self._kit_saved(uow, kit, actor)
            uow.commit()
        return kit

    def update_kit(self, kit: MaterialKit, *, actor: int) -> MaterialKit:
        """Store a change of a kit read at ``kit.version`` (also to deactivate it)."""
        with self._work() as uow:
            stored = uow.material_kits.get(kit.id)
            if stored.version != kit.version:
                raise ConcurrencyConflict("material_kit", kit.id, kit.version)
            changed = attrs.evolve(kit, version=stored.version + 1)
            self._check_kit(uow, changed)
            uow.material_kits.update(changed)
            self._kit_saved(uow, changed, actor)
            uow.commit()
        return changed

    def get_kit(self, id: int) -> MaterialKit:
        """One material kit."""
        with self._read() as uow:
            return uow.material_kits.get(id)

    def kits(self, *, active_only: bool = False) -> Sequence[MaterialKit]:
        """The material kits, by id."""
        with self._read() as uow:
            if active_only:
                return uow.material_kits.find_by(active=True)
            return uow.material_kits.find_by()
