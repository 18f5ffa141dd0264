"""Anomaly inspections and field visits (INSP) of ``gsan.field_work``.

* prodiga's file of a command (INSP-01..INSP-03): the command's orders, in
  place order and up to the command's cap, in one ``;`` line each, zipped;
* caema's field-visit files (INSP-04..INSP-10): at most 200 pending orders a
  file, written in the visit layout (never with the agent's credentials), the
  device's return parsed and staged by ``process_field_return`` like any
  return, then processed order by order: the actions the user keeps become
  new orders, and the visit order closes through the library's closing path,
  all in one unit of work.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Sequence
from typing import IO

import attrs

from gsan_core.errors import GsanError
from gsan_core.model.field_files import FieldFile, FileKind, ReturnLine
from gsan_core.model.field_visits import VisitFileOrder, VisitProcessed
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import field_visits as rules
from gsan_core.rules.field_files import IN_OPEN_FILE
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service
from gsan_core.services.field_work import returns
from gsan_core.services.field_work.files import inspection_lines, page_items
from gsan_core.services.field_work.visit_layout import create_file_in
from gsan_core.services.service_orders.closing import close_in

__all__ = ["FieldVisitsService", "InspectionArchive"]


@attrs.frozen(kw_only=True)
class InspectionArchive:
    """What :meth:`FieldVisitsService.write_inspection_zip` wrote."""

    #: The archive's name (INSP-01), ``.zip``; the text inside is ``.txt``.
    name: str
    member: str
    lines: int


def _optional(value: str) -> int | None:
    return int(value) if value else None


class FieldVisitsService(Service):
    """Anomaly-inspection and field-visit files (``gsan.field_work``)."""

    # ------------------------------------------------- prodiga's command file
    def generate_inspection_file(
        self,
        *,
        command_id: int,
        actor: int,
        anomaly_ids: Collection[int] = (),
        consecutive: int = 1,
        billing_month: int | None = None,
    ) -> FieldFile:
        """INSP-01/INSP-02 ("Gerar TXT OS Inspeção de Anormalidade"): a file of
        the command's orders in place order, at most the command's cap. The
        command must be open and every one of its orders still pending.

        With ``anomaly_ids`` (the command's reading anomalies) only the orders
        whose property had one of them in each of the ``consecutive`` billing
        months before ``billing_month`` (``yyyymm``, GSAN's
        ``anoMesFaturamento``; default: the current month) go to the file, as
        the billing port reports them. An order already in a file not
        finished is refused (TXT-06's decision)."""
        months = rules.months_before(
            billing_month or int(self._today().strftime("%Y%m")), consecutive
        )
        with self._work() as uow:
            command = uow.selective_commands.lock(command_id)
            links = uow.selective_orders.find_by(command_id=command_id)
            orders = uow.service_orders.get_many([link.order_id for link in links])
            not_pending = sum(
                1 for o in orders.values() if o.situation is not OrderSituation.PENDING
            )
            ensure(rules.check_inspection_command(command, not_pending=not_pending))
            chosen = sorted(orders.values(), key=lambda o: o.id)
            if anomaly_ids:
                repeated = uow.billing.repeated_anomaly(
                    sorted({o.property_id for o in chosen if o.property_id}),
                    anomaly_ids=anomaly_ids,
                    references=months,
                )
                chosen = [o for o in chosen if o.property_id in repeated]
            if command.max_orders is not None:
                chosen = chosen[: command.max_orders]
            ensure([rules.NOTHING_SELECTED()] if not chosen else [])
            self._refuse_busy(uow, chosen)
            file = create_file_in(
                uow,
                kind=FileKind.ANOMALY_INSPECTION,
                orders=chosen,
                command_id=command_id,
                agent_id=None,
                actor=actor,
                at=self._now(),
            )
            uow.commit()
        return file

    def write_inspection_zip(
        self, *, file_id: int, out: IO[bytes]
    ) -> InspectionArchive:
        """INSP-01: write the file zipped to ``out`` (``zipfile``, deflated),
        one ``.txt`` member named ``OS_INSPECAO_ANORMALIDADE<command><date>
        <time>`` in INSP-03's layout, streamed a page of orders at a time in
        the utility's declared encoding."""
        with self._read() as uow:
            file = uow.field_files.get(file_id)
        at = self._now().astimezone(self._ctx.zone)
        name = rules.inspection_file_name(file.command_id or 0, at)
        encoding = self.profile.field_work.file_encoding
        produced = at.strftime("%d/%m/%Y")
        count = 0
        with (
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            archive.open(f"{name}.txt", "w") as member,
        ):
            for line in inspection_lines(self._read, file, produced_on=produced):
                member.write(line.encode(encoding, errors="replace"))
                count += 1
        return InspectionArchive(name=f"{name}.zip", member=f"{name}.txt", lines=count)

    # ----------------------------------------------------- caema's visit files
    def generate_visit_file(
        self,
        *,
        actor: int,
        command_id: int | None = None,
        order_ids: Sequence[int] | None = None,
        agent_id: int | None = None,
    ) -> FieldFile:
        """INSP-04/INSP-05 (caema UC1220): a field-visit file of the chosen
        pending orders, or of the command's pending orders, in place order,
        the first 200 of them (sequence 1..200, programmed for today); none
        pending is refused. An order already in a file not finished is left
        out (TXT-06's decision), so the next file of a command takes the
        next 200. The file counts the orders it carries (GSAN stores the size
        of the whole selection: not copied)."""
        with self._work() as uow:
            if order_ids is None and command_id is not None:
                uow.selective_commands.get(command_id)
                wanted = [
                    link.order_id
                    for link in uow.selective_orders.find_by(command_id=command_id)
                ]
            else:
                wanted = list(order_ids or ())
            orders = uow.service_orders.get_many(wanted)
            pending = sorted(
                (o for o in orders.values() if o.situation is OrderSituation.PENDING),
                key=lambda o: o.id,
            )
            busy = set(self._busy(uow, pending))
            pending = [o for o in pending if o.id not in busy]
            ensure([rules.NOTHING_SELECTED()] if not pending else [])
            file = create_file_in(
                uow,
                kind=FileKind.FIELD_VISIT,
                orders=pending,
                command_id=command_id,
                agent_id=agent_id,
                actor=actor,
                at=self._now(),
                limit=rules.VISIT_FILE_MAX,
            )
            uow.commit()
        return file

    def _busy(self, uow: UnitOfWork, orders: Sequence[ServiceOrder]) -> list[int]:
        """TXT-06's decision: the orders already in a file not finished (none
        when the profile keeps GSAN's behaviour)."""
        if not self.profile.field_work.one_open_file_per_order:
            return []
        items = uow.field_file_items.find_by(order_id=[o.id for o in orders])
        if not items:
            return []
        files = uow.field_files.get_many(sorted({i.file_id for i in items}))
        return sorted(
            {i.order_id for i in items if not files[i.file_id].situation.finished}
        )

    def _refuse_busy(self, uow: UnitOfWork, orders: Sequence[ServiceOrder]) -> None:
        busy = self._busy(uow, orders)
        ensure([IN_OPEN_FILE(order_ids=busy)] if busy else [])

    def visit_file_orders(self, *, file_id: int) -> Sequence[VisitFileOrder]:
        """INSP-10 (UC1228): the file's orders in file order, each pending or
        closed, when its return came and whether it was processed."""
        with self._read() as uow:
            file = uow.field_files.get(file_id)
        found: list[VisitFileOrder] = []
        for items in page_items(self._read, file):
            ids = [i.order_id for i in items]
            with self._read() as uow:
                orders = uow.service_orders.get_many(ids)
                lines = uow.return_lines.find_by(file_id=file_id, order_id=ids)
            by_order: dict[int, list[ReturnLine]] = {}
            for line in lines:
                by_order.setdefault(line.order_id, []).append(line)
            for item in items:
                order = orders[item.order_id]
                staged = by_order.get(item.order_id, [])
                found.append(
                    VisitFileOrder(
                        order_id=order.id,
                        property_id=order.property_id,
                        sequence=item.sequence,
                        pending=order.situation is not OrderSituation.CLOSED,
                        received_at=min((s.received_at for s in staged), default=None),
                        checked=bool(staged) and all(s.applied for s in staged),
                    )
                )
        return found

    def process_visit(
        self,
        *,
        file_id: int,
        order_id: int,
        actor: int,
        actions: Collection[int] = (),
    ) -> VisitProcessed:
        """INSP-08/INSP-09: process the staged return of one visit order, in
        one unit of work: each action in ``actions`` (service types, among
        those proposed in the field) becomes a new order for the property,
        referring to the visit order, in the user's unit; the visit order
        closes through the closing path with the profile's
        ``field_work.visit_closing_reason_id`` (GSAN: motive 2 on the
        not-executed path; here the reason's own kind decides); the return is
        marked processed (conferida). Nothing is written when a step fails."""
        with self._work(defer=True) as uow:
            # the order's roots locked and its rows read in two statements
            # (ADR 0006); the writes go out together at the commit
            uow.read_ahead("change_situation", order_id)
            file = uow.field_files.get(file_id)
            lines = uow.return_lines.find_by(
                file_id=file_id, order_id=order_id, applied=False
            )
            event = self._visit_in(
                uow, file, order_id, lines, actions=actions, actor=actor
            )
            uow.commit()
        return event

    def _visit_in(
        self,
        uow: UnitOfWork,
        file: FieldFile,
        order_id: int,
        lines: Sequence[ReturnLine],
        *,
        actions: Collection[int],
        actor: int,
    ) -> VisitProcessed:
        """INSP-08/INSP-09 for one order inside ``uow``, ``lines`` its staged,
        not yet applied return (their compare-and-set update refuses a line
        another run applied meanwhile; the closing, an order closed
        meanwhile)."""
        file_id = file.id
        if file.kind is not FileKind.FIELD_VISIT:
            ensure(
                [
                    rules.WRONG_KIND(
                        file_id=file_id,
                        kind="field visit",
                        kind_pt="visita de campo",
                    )
                ]
            )
        head = next((line for line in lines if line.record == 1), None)
        if head is None:
            ensure([rules.NOT_RETURNED(order_id=order_id, file_id=file_id)])
            raise AssertionError  # pragma: no cover - ensure raised
        proposed = [int(line.fields[1]) for line in lines if line.record == 3]
        ensure(rules.check_visit_actions(order_id, ticked=actions, proposed=proposed))
        order = uow.service_orders.get(order_id)
        at = self._now()
        close_in(
            uow,
            self._ctx,
            order_id=order_id,
            reason_id=self.profile.field_work.visit_closing_reason_id,
            closed_on=self._today(at),
            actor=actor,
            at=at,
            remark=head.fields[4] or None,
            authorise=True,
        )
        # the new orders after the close (nothing of the closing reads
        # them), so the closing's reads are the ones read ahead
        generated = self._generate_actions(uow, order, sorted(set(actions)), actor)
        # the lines last, as a file's returns do: an order processed
        # meanwhile is refused by its closing first (it is closed), on every
        # backend; their compare-and-set refuses a line applied meanwhile.
        # They wait with the closing's writes for the commit's one statement
        # (PostgreSQL; round 7: sent at once before the closing's)
        uow.return_lines.update_many(
            attrs.evolve(line, applied=True, version=line.version + 1) for line in lines
        )
        event = VisitProcessed(
            occurred_at=at,
            actor=actor,
            file_id=file_id,
            order_id=order_id,
            property_id=order.property_id,
            anomaly_id=_optional(head.fields[3]),
            anomaly_text=head.fields[4] or None,
            street_pavement_id=_optional(head.fields[1]),
            sidewalk_pavement_id=_optional(head.fields[2]),
            generated_order_ids=generated,
            declined_service_type_ids=sorted(set(proposed) - set(actions)),
        )
        uow.record(event)
        return event

    def process_visits(
        self, *, file_id: int, actor: int, keep_actions: bool = False
    ) -> returns.AppliedReturn:
        """INSP-08 for every order of the file with a return waiting, each in
        its own unit of work (``keep_actions``: every action proposed in the
        field becomes an order; else none); failures are reported and the
        others go on."""
        closed: list[int] = []
        failed: list[tuple[int, str, str]] = []
        # each order's unit of work checks the file's kind (a wrong one fails
        # each order, reported)
        pages = returns.staged_pages(self._read, file_id, None, check=_any_kind)
        for file, ids, by_order in pages:
            proposed: dict[int, list[int]] = {
                order_id: [
                    int(line.fields[1])
                    for line in lines
                    if line.record == 3 and keep_actions
                ]
                for order_id, lines in by_order.items()
            }
            for order_id in ids:
                if order_id not in proposed:
                    continue
                try:
                    # the file and the lines read once for the page; in the
                    # order's own unit of work, its lock, the rows closing
                    # reads, and its writes in one statement (PostgreSQL)
                    with self._work(defer=True) as uow:
                        uow.read_ahead("change_situation", order_id)
                        self._visit_in(
                            uow,
                            file,
                            order_id,
                            by_order[order_id],
                            actions=proposed[order_id],
                            actor=actor,
                        )
                        uow.commit()
                except GsanError as error:
                    failed.append(returns.failure(order_id, error))
                else:
                    closed.append(order_id)
        return returns.AppliedReturn(
            file_id=file_id, closed=tuple(closed), failed=tuple(failed)
        )

    def _generate_actions(
        self, uow: UnitOfWork, visit: ServiceOrder, type_ids: Sequence[int], actor: int
    ) -> list[int]:
        """INSP-08 (2): one new order per kept action (UC0430), already
        emitted, referring to the visit order, in the user's unit (the visit
        order's when the user has none)."""
        if not type_ids:
            return []
        kinds = [uow.service_types.get(type_id) for type_id in type_ids]
        user = uow.users.find(actor)
        unit_id = user.unit_id if user is not None else visit.current_unit_id
        at = self._now()
        ids = uow.next_ids("service_order", len(kinds))
        orders = [
            ServiceOrder(
                id=ident,
                service_type_id=kind.id,
                origin=OrderOrigin.SELECTIVE,
                property_id=visit.property_id,
                reference_order_id=visit.id,
                generated_at=at,
                emitted_at=at,
                original_value=kind.value,
                current_unit_id=unit_id,
                original_priority_id=kind.priority_id,
                current_priority_id=kind.priority_id,
            )
            for ident, kind in zip(ids, kinds, strict=True)
        ]
        uow.service_orders.add_many(orders)
        trail = uow.next_ids("order_unit", len(orders))
        uow.order_units.add_many(
            OrderUnitRecord(
                id=ident,
                order_id=order.id,
                unit_id=unit_id,
                user_id=actor,
                relation=OrderUnitRelation.OPENED,
                at=at,
            )
            for ident, order in zip(trail, orders, strict=True)
        )
        return [o.id for o in orders]


def _any_kind(file: FieldFile) -> None:
    """No check of the file up front (see ``process_visits``)."""
