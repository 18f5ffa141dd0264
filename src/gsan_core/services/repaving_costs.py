"""The repaving costs and services of ``gsan.repaving``: the cost of each
pavement type per repaving unit in vigências ("Inserir/Manter Custo de
Pavimento por Repavimentadora", PAV-06..08), the cost bulletin that values the
accepted works by them (PAV-11), and the services a repaving unit offers
("Inserir/Manter Serviço Repavimentadora", PAV-09)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from gsan_core.errors import ConcurrencyConflict, Violation
from gsan_core.model.catalog import CatalogItem, CatalogItemAdded, CatalogItemChanged
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.repaving import (
    CostLine,
    PavementSurface,
    RepavingAcceptance,
    RepavingCost,
    RepavingCostChanged,
    RepavingCostLine,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import catalog as catalog_rules
from gsan_core.rules import repaving_costs as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service

__all__ = ["RepavingCosts", "repaves", "unit_of_user"]

_GROUPING = "repaving_neighbourhood"
_SERVICE = "repaving_service"


def unit_of_user(uow: UnitOfWork, actor: int) -> int | None:
    """The unit of a registered user (``None`` otherwise)."""
    user = uow.users.find(actor)
    return None if user is None else user.unit_id


def repaves(
    profile: UtilityProfile,
    uow: UnitOfWork,
    unit_id: int | None,
    groupings: Sequence[CatalogItem] | None = None,
) -> bool:
    """Whether a unit repaves: it serves a neighbourhood grouping (PAV-10) or
    is active and of a unit type of role ``unit_type.repaving``."""
    if unit_id is None:
        return False
    if groupings is None:
        groupings = uow.catalog.list(_GROUPING, active_only=True)
    if any(row.integer("unit_id") == unit_id for row in groupings):
        return True
    unit = uow.units.find(unit_id)
    types = profile.ids("unit_type.repaving")
    return unit is not None and unit.active and unit.unit_type_id in types


class RepavingCosts(Service):
    """Costs per pavement type and repaving unit, and repaving services."""

    # ------------------------------------------------------------ costs
    def costs(self, *, unit_id: int) -> Sequence[RepavingCost]:
        """A unit's costs, by surface, pavement type and vigência start."""
        with self._read() as uow:
            found = uow.repaving_costs.find_by(unit_id=unit_id)
        return sorted(
            found, key=lambda c: (c.surface, c.pavement_type_id, c.valid_from)
        )

    def add_costs(
        self,
        *,
        unit_id: int | None,
        valid_from: date | None,
        lines: Sequence[CostLine],
        actor: int,
    ) -> tuple[RepavingCost, ...]:
        """Inserir Custo de Pavimento por Repavimentadora (UC1106, PAV-06): one
        cost per line from ``valid_from``, open-ended; the vigência in force of
        the same pavement type and surface ends the day before. The unit's
        costs are locked and read in this unit of work."""
        at = self._now()
        with self._work(defer=True) as uow:
            uow.lock_key(f"repaving_cost.{unit_id}")
            current = (
                [] if unit_id is None else uow.repaving_costs.find_by(unit_id=unit_id)
            )
            open_costs = [c for c in current if c.valid_until is None]
            ensure(
                rules.check_cost_lines(
                    unit_id=unit_id,
                    repaving_unit=repaves(self.profile, uow, unit_id),
                    valid_from=valid_from,
                    lines=lines,
                    open_costs=open_costs,
                )
            )
            assert unit_id is not None
            assert valid_from is not None
            closed = [
                attrs.evolve(
                    cost,
                    valid_until=rules.previous_closed(cost, valid_from=valid_from),
                    version=cost.version + 1,
                )
                for cost in open_costs
                if any(
                    line.surface is cost.surface
                    and line.pavement_type_id == cost.pavement_type_id
                    for line in lines
                )
            ]
            uow.repaving_costs.update_many(closed)
            added = tuple(
                RepavingCost(
                    id=uow.next_id("repaving_cost"),
                    unit_id=unit_id,
                    surface=line.surface,
                    pavement_type_id=line.pavement_type_id,
                    valid_from=valid_from,
                    value=line.value,
                    actor=actor,
                )
                for line in lines
            )
            uow.repaving_costs.add_many(added)
            uow.record(
                RepavingCostChanged(
                    occurred_at=at,
                    actor=actor,
                    unit_id=unit_id,
                    cost_ids=tuple(c.id for c in (*closed, *added)),
                )
            )
            uow.commit()
        return added

    def update_cost(
        self,
        *,
        cost_id: int,
        expected_version: int,
        valid_from: date | None,
        valid_until: date | None,
        value: Decimal,
        actor: int,
        gap_confirmed: bool = False,
    ) -> RepavingCost:
        """Atualizar Custo de Pavimento por Repavimentadora (UC1107, PAV-07):
        the vigência and value of a cost read at ``expected_version``."""
        at = self._now()
        with self._work(defer=True) as uow:
            cost = uow.repaving_costs.get(cost_id)
            uow.lock_key(f"repaving_cost.{cost.unit_id}")
            cost = uow.repaving_costs.get(cost_id)
            if cost.version != expected_version:
                raise ConcurrencyConflict("repaving_cost", cost_id, expected_version)
            siblings = uow.repaving_costs.find_by(
                unit_id=cost.unit_id,
                surface=cost.surface,
                pavement_type_id=cost.pavement_type_id,
            )
            ensure(
                rules.check_cost_update(
                    cost,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    value=value,
                    siblings=siblings,
                    gap_confirmed=gap_confirmed,
                )
            )
            assert valid_from is not None
            changed = attrs.evolve(
                cost,
                valid_from=valid_from,
                valid_until=valid_until,
                value=value,
                actor=actor,
                version=cost.version + 1,
            )
            uow.repaving_costs.update(changed)
            uow.record(
                RepavingCostChanged(
                    occurred_at=at,
                    actor=actor,
                    unit_id=cost.unit_id,
                    cost_ids=(cost.id,),
                )
            )
            uow.commit()
        return changed

    def remove_cost(self, *, cost_id: int, actor: int) -> None:
        """Remover Custo (PAV-08): refused while a work of the unit with the
        cost's pavement type was closed within its vigência."""
        at = self._now()
        with self._work() as uow:
            cost = uow.repaving_costs.get(cost_id)
            uow.lock_key(f"repaving_cost.{cost.unit_id}")
            cost = uow.repaving_costs.get(cost_id)
            column = (
                "street_pavement_id"
                if cost.surface is PavementSurface.STREET
                else "sidewalk_pavement_id"
            )
            works = uow.repaving_works.find_by(
                unit_id=cost.unit_id, **{column: cost.pavement_type_id}
            )
            ensure(rules.check_cost_removal(cost, works=works))
            uow.repaving_costs.remove(cost)
            uow.record(
                RepavingCostChanged(
                    occurred_at=at,
                    actor=actor,
                    unit_id=cost.unit_id,
                    cost_ids=(cost.id,),
                    removed=True,
                )
            )
            uow.commit()

    def cost_bulletin(
        self,
        *,
        unit_id: int,
        accepted_from: date | None = None,
        accepted_until: date | None = None,
    ) -> Sequence[RepavingCostLine]:
        """The cost bulletin (``RelatorioBoletimCustoPavimento``, PAV-11): the
        unit's accepted works (accepted in the period given), each valued by
        the costs in force on its order's closing date, by work id."""
        with self._read() as uow:
            works = uow.repaving_works.find_by(
                unit_id=unit_id, acceptance=RepavingAcceptance.ACCEPTED
            )
            costs = uow.repaving_costs.find_by(unit_id=unit_id)
        chosen = [
            w
            for w in works
            if w.accepted_on is not None
            and (accepted_from is None or w.accepted_on >= accepted_from)
            and (accepted_until is None or w.accepted_on <= accepted_until)
        ]
        return [
            rules.cost_line(w, costs=costs) for w in sorted(chosen, key=lambda w: w.id)
        ]

    def costed(self, work_ids: Sequence[int]) -> Sequence[RepavingCostLine]:
        """The cost columns of the follow-up queries (``in_repaving``,
        ``in_acceptance``): each work valued as in the bulletin (PAV-11), in
        the order given (unknown ids are left out)."""
        with self._read() as uow:
            found = uow.repaving_works.get_many(work_ids)
            works = [found[i] for i in work_ids if i in found]
            units = {w.unit_id for w in works}
            costs = [
                c for u in sorted(units) for c in uow.repaving_costs.find_by(unit_id=u)
            ]
        return [
            rules.cost_line(w, costs=[c for c in costs if c.unit_id == w.unit_id])
            for w in works
        ]

    # ------------------------------------------------------------ services
    def services(self, *, unit_id: int | None = None) -> Sequence[CatalogItem]:
        """The repaving services (of one unit when given), by id."""
        with self._read() as uow:
            rows = uow.catalog.list(_SERVICE)
        return [r for r in rows if unit_id is None or r.integer("unit_id") == unit_id]

    def add_service(
        self,
        *,
        description: str,
        unit_id: int | None,
        measure_unit_id: int | None,
        value: Decimal | None,
        actor: int,
        abbreviation: str | None = None,
    ) -> CatalogItem:
        """Inserir Serviço Repavimentadora (PAV-09): description, unit of
        measure, repaving unit and value mandatory; a user of a repaving unit
        inserts only that unit's services."""
        attributes = {
            "unit_id": unit_id,
            "measure_unit_id": measure_unit_id,
            "value": value,
        }
        with self._work() as uow:
            uow.lock_key(f"catalog.{_SERVICE}")
            rows = uow.catalog.list(_SERVICE)
            item = CatalogItem(
                kind=_SERVICE,
                id=max((r.id for r in rows), default=0) + 1,
                description=description,
                abbreviation=abbreviation,
                attributes={k: v for k, v in attributes.items() if v is not None},
            )
            item = self._checked_service(uow, item, rows, actor)
            uow.catalog.add(item)
            uow.record(
                CatalogItemAdded(
                    occurred_at=self._now(), actor=actor, kind=_SERVICE, item_id=item.id
                )
            )
            uow.commit()
        return item

    def update_service(
        self,
        *,
        service_id: int,
        expected_version: int,
        actor: int,
        description: str | None = None,
        attributes: Mapping[str, object] | None = None,
        active: bool | None = None,
    ) -> CatalogItem:
        """Manter Serviço Repavimentadora (PAV-09): a user of a repaving unit
        changes only that unit's services (and cannot move one elsewhere)."""
        with self._work() as uow:
            uow.lock_key(f"catalog.{_SERVICE}")
            current = uow.catalog.get(_SERVICE, service_id)
            if current.version != expected_version:
                raise ConcurrencyConflict(
                    f"catalog.{_SERVICE}", service_id, expected_version
                )
            ensure(self._unit_violations(uow, current, actor))
            changed = attrs.evolve(
                current,
                description=current.description if description is None else description,
                attributes={**current.attributes, **(attributes or {})},  # type: ignore[dict-item]
                active=current.active if active is None else active,
                version=current.version + 1,
            )
            changed = self._checked_service(
                uow, changed, uow.catalog.list(_SERVICE), actor
            )
            uow.catalog.update(changed)
            uow.record(
                CatalogItemChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    kind=_SERVICE,
                    item_id=service_id,
                    version=changed.version,
                    active=changed.active,
                )
            )
            uow.commit()
        return changed

    def _unit_violations(
        self, uow: UnitOfWork, item: CatalogItem, actor: int
    ) -> list[Violation]:
        user_unit = unit_of_user(uow, actor)
        unit_id = item.integer("unit_id")
        return list(
            rules.check_service_unit(
                unit_id=unit_id,
                user_unit_id=user_unit,
                user_repaves=repaves(self.profile, uow, user_unit),
                repaves=repaves(self.profile, uow, unit_id),
            )
        )

    def _checked_service(
        self,
        uow: UnitOfWork,
        item: CatalogItem,
        siblings: Sequence[CatalogItem],
        actor: int,
    ) -> CatalogItem:
        kind = self._ctx.kinds[_SERVICE]
        found = list(
            catalog_rules.check_item(
                item, kind=kind, siblings=siblings, lookup=uow.catalog.find
            )
        )
        if not found:
            found += self._unit_violations(uow, item, actor)
        ensure(found)
        attributes, coerced = catalog_rules.coerce_attributes(kind, item.attributes)
        ensure(coerced)
        return attrs.evolve(item, attributes=attributes)
