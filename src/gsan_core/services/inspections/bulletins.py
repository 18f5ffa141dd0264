"""The contractor's measurement bulletin of ``gsan.inspections``: the
quantities an order of a bulletin type records when it closes with execution
(ENC-19, ``ordem_servico_boletim``) and their later update (UC1116
"Atualizar Informações da OS para Boletim de Medição"), and the inspection of
a concluded selective order ("Manter Ordem de Serviço Concluída", UC0753,
FIS-17/18, ``boletim_os_concluida``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from gsan_core.errors import ConcurrencyConflict
from gsan_core.model.bulletins import (
    BulletinInput,
    BulletinRecorded,
    ConcludedOrderInspected,
    ConcludedOrderInspection,
    InspectionCode,
    OrderBulletin,
)
from gsan_core.model.service_orders import OrderSituation
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import bulletins as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.bulletins import bulletin_setup
from gsan_core.services.context import Service, holds_permission

__all__ = ["Bulletins"]


class Bulletins(Service):
    """Bulletin quantities and concluded-order inspections."""

    # ------------------------------------------------------------ ENC-19
    def bulletin(self, order_id: int) -> OrderBulletin | None:
        """An executed order's bulletin quantities, if recorded."""
        with self._read() as uow:
            return uow.order_bulletins.find(order_id)

    def update_bulletin(
        self,
        *,
        order_id: int,
        bulletin: BulletinInput,
        actor: int,
        expected_version: int | None = None,
    ) -> OrderBulletin:
        """Atualizar Informações da OS para Boletim de Medição (UC1116): the
        order is closed, of a type that asks the bulletin, with its quantities
        recorded; the new ones pass ENC-19 again."""
        at = self._now()
        with self._work(defer=True) as uow:
            order = uow.service_orders.lock(order_id)
            setup = bulletin_setup(uow, order.service_type_id)
            found = (
                []
                if order.situation is OrderSituation.CLOSED
                else [rules.NOT_CLOSED(order_id=order_id)]
            )
            if setup is None:
                found.append(rules.NOT_A_BULLETIN_TYPE(order_id=order_id))
            current = uow.order_bulletins.find(order_id)
            if current is None and setup is not None:
                found.append(rules.NO_BULLETIN(order_id=order_id))
            ensure(found)
            assert current is not None
            assert setup is not None
            if expected_version is not None and current.version != expected_version:
                raise ConcurrencyConflict("order_bulletin", order_id, expected_version)
            ensure(rules.check_bulletin(setup, bulletin, order_id=order_id))
            asphalt, stone, sidewalk = rules.bulletin_quantities(setup, bulletin)
            changed = attrs.evolve(
                current,
                has_pavement=bulletin.has_pavement,
                actor=actor,
                at=at,
                version=current.version + 1,
                asphalt=asphalt,
                paving_stone=stone,
                sidewalk=sidewalk,
            )
            uow.order_bulletins.update(changed)
            uow.record(BulletinRecorded(occurred_at=at, actor=actor, order_id=order_id))
            uow.commit()
        return changed

    # ------------------------------------------------------------ FIS-17/18
    def concluded_inspection(self, order_id: int) -> ConcludedOrderInspection | None:
        """A concluded order's inspection record, if any."""
        with self._read() as uow:
            return uow.concluded_inspections.find(order_id)

    def inspect_concluded(
        self,
        *,
        order_id: int,
        code: InspectionCode,
        inspected_on: Sequence[date],
        actor: int,
        inspector_id: int | None = None,
        protection_box_swapped: bool = False,
        register_swapped: bool = False,
        expected_version: int | None = None,
    ) -> ConcludedOrderInspection:
        """Manter Ordem de Serviço Concluída (UC0753): the inspection result,
        up to three dates (FIS-17) and the inspector (FIS-18) of a concluded
        selective order, by a user holding ``permission.update_inspection_data``
        (GSAN 52); undoing an inspection already in a bulletin needs
        ``permission.undo_bulletin_inspection`` (53). ``expected_version``: the
        record as read (``ConcurrencyConflict`` when it moved)."""
        at = self._now()
        today = self._today(at)
        with self._work(defer=True) as uow:
            order = uow.service_orders.lock(order_id)
            ensure(rules.check_concluded_order(order))
            assert order.closed_at is not None
            current = uow.concluded_inspections.find(order_id)
            if expected_version is not None and (
                current is None or current.version != expected_version
            ):
                raise ConcurrencyConflict(
                    "concluded_order_inspection", order_id, expected_version
                )
            known = (
                inspector_id is not None and uow.users.find(inspector_id) is not None
            )
            ensure(
                rules.check_concluded_inspection(
                    current,
                    order_id=order_id,
                    closed_on=order.closed_at.astimezone(self._ctx.zone).date(),
                    code=code,
                    dates=list(inspected_on),
                    inspector_id=inspector_id,
                    inspector_known=known,
                    actor=actor,
                    today=today,
                    today_allowed=self.profile.service_orders.concluded_inspection_today,
                    may_update=holds_permission(
                        self.profile, uow, actor, "update_inspection_data"
                    ),
                    may_undo=holds_permission(
                        self.profile, uow, actor, "undo_bulletin_inspection"
                    ),
                )
            )
            record = _save_concluded(
                uow,
                current,
                order_id=order_id,
                code=code,
                inspected_on=inspected_on,
                inspector_id=inspector_id,
                protection_box_swapped=protection_box_swapped,
                register_swapped=register_swapped,
                actor=actor,
            )
            uow.record(
                ConcludedOrderInspected(
                    occurred_at=at, actor=actor, order_id=order_id, code=code
                )
            )
            uow.commit()
        return record

    def include_in_bulletin(
        self, *, order_ids: Sequence[int], month: int, closed_on: date, actor: int
    ) -> tuple[ConcludedOrderInspection, ...]:
        """Record that the inspections of these orders went into the bulletin
        of ``month`` (yyyymm) closed on ``closed_on`` (after which undoing one
        needs the undo permission, FIS-18)."""
        with self._work() as uow:
            locked = uow.concluded_inspections.lock_many(order_ids)
            changed = tuple(
                attrs.evolve(
                    r,
                    bulletin_month=month,
                    bulletin_closed_on=closed_on,
                    actor=actor,
                    version=r.version + 1,
                )
                for r in locked.values()
            )
            uow.concluded_inspections.update_many(changed)
            uow.commit()
        return changed


def _save_concluded(
    uow: UnitOfWork,
    current: ConcludedOrderInspection | None,
    *,
    order_id: int,
    code: InspectionCode,
    inspected_on: Sequence[date],
    inspector_id: int | None,
    protection_box_swapped: bool,
    register_swapped: bool,
    actor: int,
) -> ConcludedOrderInspection:
    """The concluded order's inspection record, added or updated (FIS-17/18)."""
    dates = [*inspected_on, None, None, None]
    values = {
        "code": code,
        "inspected_on_1": dates[0],
        "inspected_on_2": dates[1],
        "inspected_on_3": dates[2],
        "inspector_id": inspector_id,
        "protection_box_swapped": protection_box_swapped,
        "register_swapped": register_swapped,
        "actor": actor,
    }
    if current is None:
        record = ConcludedOrderInspection(
            id=order_id,
            order_id=order_id,
            **values,  # type: ignore[arg-type]
        )
        uow.concluded_inspections.add(record)
    else:
        record = attrs.evolve(current, version=current.version + 1, **values)  # type: ignore[arg-type]
        uow.concluded_inspections.update(record)
    return record
