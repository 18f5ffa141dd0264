"""The repaving façade (``gsan.repaving``): the pavement an executed order
broke goes to the repaving unit serving its neighbourhood; that unit returns
it; the utility accepts it automatically within the convergence percentage
(set-based batch) or by hand, or rejects the return."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import attrs

from gsan_core.errors import ConcurrencyConflict, NotFound
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.repaving import (
    RepavingAcceptance,
    RepavingAccepted,
    RepavingOpened,
    RepavingReturned,
    RepavingWork,
)
from gsan_core.model.service_orders import OrderSituation
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import repaving as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import BatchSummary, ChunkOutcome, Progress
from gsan_core.services.context import holds_permission
from gsan_core.services.repaving_costs import RepavingCosts, repaves, unit_of_user

__all__ = ["RepavingService"]

_GROUPING = "repaving_neighbourhood"
_PERMISSION = "update_repaving"


class RepavingService(RepavingCosts):
    """``gsan.repaving``: repaving works, their returns and acceptance."""

    # ------------------------------------------------------------ queries
    def work(self, work_id: int) -> RepavingWork:
        """One repaving work (``NotFound`` when absent)."""
        with self._read() as uow:
            return uow.repaving_works.get(work_id)

    def in_repaving(self, *, unit_id: int) -> Sequence[RepavingWork]:
        """ "Exibir Ordens em Processo de Repavimentação": the unit's works
        without a return yet (new, or whose return was rejected), by id."""
        with self._read() as uow:
            found = uow.repaving_works.find_by(unit_id=unit_id, returned_on=None)
        return [w for w in found if w.acceptance is not RepavingAcceptance.ACCEPTED]

    def in_acceptance(self, *, unit_id: int) -> Sequence[RepavingWork]:
        """ "Exibir Ordens em Processo de Aceite": the unit's returned works not
        yet accepted (refused ones wait for a new return), by id."""
        with self._read() as uow:
            found = uow.repaving_works.find_by(unit_id=unit_id, acceptance=None)
        return [w for w in found if w.returned_on is not None]

    # ------------------------------------------------------------ opening
    def open_work(
        self,
        *,
        order_id: int,
        actor: int,
        street_pavement_id: int | None = None,
        street_area: Decimal | None = None,
        sidewalk_pavement_id: int | None = None,
        sidewalk_area: Decimal | None = None,
        neighbourhood_id: int | None = None,
        unit_id: int | None = None,
    ) -> RepavingWork:
        """The pavement of an order closed with execution by a type with street
        or sidewalk pavement goes to a repaving unit: ``unit_id``, else the
        unit the neighbourhood is grouped under (PAV-10). Areas are positive and
        the unit repaves (ENC-16): it is of a unit type of the profile role
        ``unit_type.repaving`` or serves a neighbourhood grouping."""
        at = self._now()
        with self._work(defer=True) as uow:
            order = uow.service_orders.lock(order_id)
            service_type = uow.service_types.get(order.service_type_id)
            reason = (
                None
                if order.closing_reason_id is None
                else uow.catalog.find("closing_reason", order.closing_reason_id)
            )
            executed = (
                order.situation is OrderSituation.CLOSED
                and reason is not None
                and reason.flag("executed")
            )
            paved = service_type.street_pavement or service_type.sidewalk_pavement
            if not (executed and paved):
                ensure([rules.NOT_EXECUTED_WITH_PAVEMENT(order_id=order_id)])
            groupings = uow.catalog.list(_GROUPING, active_only=True)
            if unit_id is None and neighbourhood_id is not None:
                unit_id = _unit_of(groupings, neighbourhood_id)
            ensure(
                rules.check_open(
                    street_area=street_area,
                    sidewalk_area=sidewalk_area,
                    unit_id=unit_id,
                    repaving_unit=repaves(self.profile, uow, unit_id, groupings),
                )
            )
            assert unit_id is not None
            assert order.closed_at is not None
            work = RepavingWork(
                id=uow.next_id("repaving_work"),
                order_id=order.id,
                property_id=order.property_id,
                unit_id=unit_id,
                closed_on=order.closed_at.astimezone(self._ctx.zone).date(),
                street_pavement_id=street_pavement_id,
                street_area=street_area,
                sidewalk_pavement_id=sidewalk_pavement_id,
                sidewalk_area=sidewalk_area,
                opened_at=at,
                actor=actor,
            )
            uow.repaving_works.add(work)
            uow.record(
                RepavingOpened(
                    occurred_at=at,
                    actor=actor,
                    work_id=work.id,
                    order_id=order.id,
                    unit_id=unit_id,
                )
            )
            uow.commit()
        return work

    # ------------------------------------------------------------ return
    def inform_return(
        self,
        *,
        work_id: int,
        returned_on: date,
        actor: int,
        street_pavement_id: int | None = None,
        street_area: Decimal | None = None,
        sidewalk_pavement_id: int | None = None,
        sidewalk_area: Decimal | None = None,
        expected_version: int | None = None,
    ) -> RepavingWork:
        """The repaving unit's return (PAV-01, PAV-02): executed pavement types,
        areas and the execution date. A refused work returned again waits for
        a new acceptance."""
        at = self._now()
        today = self._today(at)
        percentage = self.profile.service_orders.repaving_convergence_percentage
        with self._work(defer=True) as uow:
            work = _locked(uow, work_id, expected_version)
            ensure(
                rules.check_return(
                    work,
                    user_unit_id=unit_of_user(uow, actor),
                    authorised=holds_permission(self.profile, uow, actor, _PERMISSION),
                    returned_on=returned_on,
                    street_area=street_area,
                    sidewalk_area=sidewalk_area,
                    percentage=percentage,
                    today=today,
                )
            )
            changed = attrs.evolve(
                work,
                returned_street_pavement_id=street_pavement_id,
                returned_street_area=street_area,
                returned_sidewalk_pavement_id=sidewalk_pavement_id,
                returned_sidewalk_area=sidewalk_area,
                returned_on=returned_on,
                acceptance=None,
                accepted_on=None,
                accepted_by=None,
                version=work.version + 1,
            )
            uow.repaving_works.update(changed)
            uow.record(RepavingReturned(occurred_at=at, actor=actor, work_id=work.id))
            uow.commit()
        return changed

    def reject_return(
        self,
        *,
        work_id: int,
        rejected_on: date | None,
        actor: int,
        reason_id: int | None = None,
        remark: str | None = None,
        expected_version: int | None = None,
    ) -> RepavingWork:
        """Rejeitar the return (PAV-05): the work goes back to the repaving unit
        (its return is cleared) with the reason, description and date."""
        at = self._now()
        with self._work(defer=True) as uow:
            work = _locked(uow, work_id, expected_version)
            ensure(rules.check_rejection(work, on=rejected_on, today=self._today(at)))
            changed = attrs.evolve(
                work,
                returned_on=None,
                rejected_on=rejected_on,
                rejection_reason_id=reason_id,
                rejection_remark=remark,
                version=work.version + 1,
            )
            uow.repaving_works.update(changed)
            uow.record(
                RepavingReturned(
                    occurred_at=at, actor=actor, work_id=work.id, rejected=True
                )
            )
            uow.commit()
        return changed

    # ------------------------------------------------------------ acceptance
    def accept(
        self,
        *,
        work_ids: Sequence[int],
        acceptance: RepavingAcceptance,
        on: date | None,
        actor: int,
        remark: str | None = None,
    ) -> tuple[RepavingWork, ...]:
        """Accept (1) or refuse (2) returned works by hand, one or in bulk
        (PAV-04: none of them already accepted), by a user of their repaving
        unit or one holding ``permission.update_repaving`` (PAV-01)."""
        at = self._now()
        with self._work() as uow:
            wanted = sorted(set(work_ids))
            locked = uow.repaving_works.lock_many(wanted)  # in id order
            missing = [i for i in wanted if i not in locked]
            if missing:
                raise NotFound("repaving_work", missing[0])
            works = [locked[i] for i in wanted]
            ensure(
                rules.check_acceptance(
                    works,
                    on=on,
                    today=self._today(at),
                    user_unit_id=unit_of_user(uow, actor),
                    authorised=holds_permission(self.profile, uow, actor, _PERMISSION),
                )
            )
            changed = [
                attrs.evolve(
                    w,
                    acceptance=acceptance,
                    accepted_on=on,
                    accepted_by=actor,
                    acceptance_remark=remark,
                    version=w.version + 1,
                )
                for w in works
            ]
            uow.repaving_works.update_many(changed)
            uow.record(
                RepavingAccepted(
                    occurred_at=at,
                    actor=actor,
                    work_ids=tuple(w.id for w in changed),
                    acceptance=acceptance,
                )
            )
            uow.commit()
        return tuple(changed)

    def accept_automatically(
        self,
        *,
        actor: int,
        progress: Progress | None = None,
        chunk_size: int = 5_000,
    ) -> BatchSummary:
        """The automatic acceptance (PAV-03): every returned work not yet
        accepted whose street pavement type is the sent one and whose area is
        within the profile's ``repaving_convergence_percentage`` is accepted on
        its execution date with the remark "ACEITE AUTOMATICO". Set-based and
        chunked (one select and one update per chunk, each chunk committed;
        on PostgreSQL one statement a chunk with its outbox row);
        re-running accepts nothing twice."""
        at = self._now()
        percentage = self.profile.service_orders.repaving_convergence_percentage
        with self._exclusive("repaving acceptance", "all") as frame:
            with frame.read() as uow:
                total = uow.repaving_works.count_by(acceptance=None)
            last = [0]

            def event(work_ids: tuple[int, ...]) -> RepavingAccepted:
                return RepavingAccepted(
                    occurred_at=at,
                    actor=actor,
                    work_ids=work_ids,
                    acceptance=RepavingAcceptance.ACCEPTED,
                    automatic=True,
                )

            def chunk(uow: UnitOfWork, _: int) -> ChunkOutcome:
                # the event of the works accepted recorded by the chunk's
                # write (on PostgreSQL its outbox row in the same statement)
                ids, accepted = uow.repaving_works.accept_convergent(
                    percentage=percentage,
                    after_id=last[0],
                    limit=chunk_size,
                    user_id=actor,
                    event=event,
                )
                if ids:
                    last[0] = ids[-1]
                uow.commit()
                missed = len(ids) - len(accepted)
                return ChunkOutcome(
                    processed=len(ids),
                    changed=len(accepted),
                    skipped={"not convergent": missed} if missed else {},
                )

            summary = frame.run(
                job="accept_repaving",
                units=range(max(1, math.ceil(total / chunk_size))),
                chunk=chunk,
                progress=progress,
            )
        self._refresh_statistics({"repaving_work": summary.changed})
        return summary


# ---------------------------------------------------------------- helpers
def _locked(uow: UnitOfWork, work_id: int, expected: int | None) -> RepavingWork:
    work = uow.repaving_works.lock(work_id)
    if expected is not None and work.version != expected:
        raise ConcurrencyConflict("repaving_work", work_id, expected_version=expected)
    return work


def _unit_of(groupings: Sequence[CatalogItem], neighbourhood_id: int) -> int | None:
    for row in groupings:
        if row.integer("neighbourhood_id") == neighbourhood_id:
            return row.integer("unit_id")
    return None
