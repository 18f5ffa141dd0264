"""The sewer-connection command of ``gsan.field_work`` (caema, ESG-01..ESG-03).

ESG-01 generates the command's orders as a chunked, resumable, idempotent
batch over the selective emission's set-based read (one statement decides a
chunk of properties: ``SelectiveQueries.select_selective``): an open order of
the command's type on the property, or an order the command generated
already, skips it. The orders are created already emitted, without RA and
without collection document, tied to the command by a
:class:`~gsan_core.model.sewer_commands.SewerCommandOrder`.

ESG-02/ESG-03 close automatically, each order in its own unit of work, the
notified orders old enough of the commands that close automatically: the
property's sewer connection becomes "factível faturável" with the command's
technical data (the connection operation ``sewer.feasible_billable.inform``,
through the order's closing when its type runs it, else right before it) and
the order closes executed, through the library's closing path. A failure is
reported and the others go on; a command without open orders left is
finished.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import attrs

from gsan_core.errors import GsanError
from gsan_core.model.connections import SewerConnectionInput
from gsan_core.model.field_work import SelectiveCriteria, SelectiveWanted
from gsan_core.model.service_orders import (
    OrderOrigin,
    OrderSituation,
    OrderUnitRecord,
    OrderUnitRelation,
    ServiceOrder,
    ServiceType,
)
from gsan_core.model.sewer_commands import (
    SewerCommand,
    SewerCommandOrder,
    SewerOrdersClosed,
    SewerOrdersGenerated,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import sewer_commands as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import BatchSummary, ChunkOutcome, Progress
from gsan_core.services.context import Service
from gsan_core.services.operations import OperationCall
from gsan_core.services.service_orders.closing import close_in

__all__ = ["SewerClosing", "SewerCommands"]

#: GEN-11's window made unbounded: any open order of the type blocks.
_ANY_AGE = timedelta(days=365 * 100)


@attrs.frozen(kw_only=True)
class SewerClosing:
    """What one automatic-close run did (ESG-02/ESG-03)."""

    closed: tuple[int, ...]
    #: ``(order id, error code, message)`` of every order that failed.
    failed: tuple[tuple[int, str, str], ...]
    finished_command_ids: tuple[int, ...]


class SewerCommands(Service):
    """Sewer-connection commands (``gsan.field_work``)."""

    def create_sewer_command(
        self,
        *,
        description: str,
        service_type_id: int,
        criteria: SelectiveCriteria,
        connection: SewerConnectionInput,
        actor: int,
        automatic_close: bool = False,
        closing_remark: str | None = None,
    ) -> SewerCommand:
        """Record a sewer-connection command ("Gerar Ordem de Serviço Conexão
        de Esgoto"): the properties it selects, the type of its orders, the
        technical data of the connections and whether it closes them
        automatically. Nothing is generated yet (:meth:`generate_sewer_orders`)."""
        with self._work() as uow:
            service_type = uow.service_types.get(service_type_id)
            ensure(
                rules.check_sewer_command(
                    description=description,
                    service_type=service_type,
                    criteria=criteria,
                )
            )
            command = SewerCommand(
                id=uow.next_id("sewer_command"),
                description=description.strip(),
                service_type_id=service_type_id,
                criteria=criteria,
                connection=connection,
                automatic_close=automatic_close,
                closing_remark=closing_remark,
                created_at=self._now(),
                created_by=actor,
            )
            uow.sewer_commands.add(command)
            uow.commit()
        return command

    def sewer_command(self, *, command_id: int) -> SewerCommand:
        """The command (``NotFound`` when there is none)."""
        with self._read() as uow:
            return uow.sewer_commands.get(command_id)

    def generate_sewer_orders(
        self,
        *,
        command_id: int,
        actor: int,
        progress: Progress | None = None,
        chunk_size: int = 2_000,
    ) -> BatchSummary:
        """ESG-01: one order per selected property (see the module
        docstring); the command gets its realisation time. Returns the
        batch's summary (``changed``: orders generated; ``skipped`` by reason)."""
        with self._exclusive("sewer orders", f"command {command_id}") as frame:
            at = self._now()
            with frame.read() as uow:
                command = uow.sewer_commands.get(command_id)
                service_type = uow.service_types.get(command.service_type_id)
                bounds = uow.selective.chunk_bounds(command.criteria, chunk_size)
            wanted = SelectiveWanted(
                command_id=-command_id,  # no selective command has it
                criteria=command.criteria,
                blocking_type_ids={service_type.id},
                open_since=at - _ANY_AGE,
                consumption_since=0,
            )

            def chunk(uow: UnitOfWork, span: tuple[int, int]) -> ChunkOutcome:
                # the orders, their trail and links, the command's update and
                # the outbox row: one statement at the commit (PostgreSQL)
                uow.defer_writes()
                current = uow.sewer_commands.lock(command_id)
                selection = uow.selective.select_selective(span[0], span[1], wanted)
                ids = [f.property_id for f in selection.chosen]
                done = (
                    {
                        link.property_id
                        for link in uow.sewer_command_orders.find_by(
                            command_id=command_id, property_id=ids
                        )
                    }
                    if ids
                    else set()
                )
                chosen = [f for f in selection.chosen if f.property_id not in done]
                skipped = dict(selection.skipped)
                if done:
                    skipped["already generated by this command"] = len(done)
                _write(uow, current, service_type, chosen, at=at, actor=actor)
                uow.commit()
                return ChunkOutcome(
                    processed=selection.processed,
                    changed=len(chosen),
                    skipped=skipped,
                )

            return frame.run(
                job=f"sewer orders of command {command_id}",
                units=bounds,
                chunk=chunk,
                progress=progress,
            )

    def notify_sewer_connection(self, *, order_id: int, actor: int) -> None:
        """ESG-02's condition: the field team registered the connection
        notice of the order (GSAN: its photo of type "notificação de conexão
        de esgoto")."""
        with self._work() as uow:
            links = uow.sewer_command_orders.find_by(order_id=order_id)
            if not links:
                uow.service_orders.get(order_id)  # NotFound for an unknown order
                ensure([rules.NOT_SEWER_ORDER(order_id=order_id)])
            link = links[0]
            if link.notified_at is None:
                uow.sewer_command_orders.update(
                    attrs.evolve(
                        link, notified_at=self._now(), version=link.version + 1
                    )
                )
            uow.commit()

    def close_sewer_orders(self, *, actor: int) -> SewerClosing:
        """ESG-02/ESG-03: the automatic close (see the module docstring)."""
        at = self._now()
        params = self.profile.field_work
        with self._read() as uow:
            commands = [
                c
                for c in uow.sewer_commands.find_by(automatic_close=True)
                if c.executed_at is not None and c.finished_at is None
            ]
            # the first command's orders in the same read transaction (issue
            # 20, round 7: one of their own before)
            first = _orders_of(uow, commands[0].id) if commands else None
        closed: list[int] = []
        failed: list[tuple[int, str, str]] = []
        finished: list[int] = []
        for command in commands:
            if first is not None:
                (links, orders), first = first, None
            else:
                with self._read() as uow:
                    links, orders = _orders_of(uow, command.id)
            due = [
                k.order_id
                for k in links
                if rules.due_for_close(
                    command,
                    k,
                    orders[k.order_id],
                    at=at,
                    after_days=params.sewer_close_after_days,
                )
            ]
            mine: list[int] = []
            bad: list[int] = []
            for order_id in due:
                try:
                    self._close_one(command, order_id, at=at, actor=actor)
                except GsanError as error:
                    failed.append((order_id, error.code, str(error)))
                    bad.append(order_id)
                else:
                    mine.append(order_id)
            closed.extend(mine)
            if self._finish_if_done(command.id, mine, bad, at=at, actor=actor):
                finished.append(command.id)
        return SewerClosing(
            closed=tuple(closed),
            failed=tuple(failed),
            finished_command_ids=tuple(finished),
        )

    def _close_one(
        self, command: SewerCommand, order_id: int, *, at: datetime, actor: int
    ) -> None:
        """ESG-03 for one order, in one unit of work."""
        today = self._today(at)
        data = attrs.evolve(command.connection, connected_on=today)
        with self._work(defer=True) as uow:
            # the order (read twice: here for its type, then by the closing),
            # its request and property locked, the property's connections,
            # block and meter, in two statements (ADR 0006); the writes go
            # out together at the commit
            uow.read_ahead("change_situation", order_id)
            order = uow.service_orders.get(order_id)
            service_type = uow.service_types.get(order.service_type_id)
            through_closing = service_type.updates_commercial and (
                service_type.operation == rules.FEASIBLE_BILLABLE
            )
            if not through_closing:
                self._ctx.operations[rules.FEASIBLE_BILLABLE].run(
                    OperationCall(
                        uow=uow,
                        profile=self.profile,
                        calendar=self._ctx.calendar,
                        at=at,
                        today=today,
                        actor=actor,
                        order=order,
                        service_type=service_type,
                        property_id=order.property_id or 0,
                        via_closing=True,
                        effective_on=today,
                        data=data,
                    )
                )
            close_in(
                uow,
                self._ctx,
                order_id=order_id,
                reason_id=self.profile.field_work.sewer_close_reason_id,
                closed_on=today,
                actor=actor,
                at=at,
                remark=command.closing_remark,
                commercial=data if through_closing else None,
            )
            uow.commit()

    def _finish_if_done(
        self,
        command_id: int,
        closed: Sequence[int],
        failed: Sequence[int],
        *,
        at: datetime,
        actor: int,
    ) -> bool:
        """The command is finished when none of its orders is open any more
        (its update and the event's outbox row in the commit's statement)."""
        with self._work(defer=True) as uow:
            command = uow.sewer_commands.lock(command_id)
            links = uow.sewer_command_orders.find_by(command_id=command_id)
            orders = uow.service_orders.get_many([k.order_id for k in links])
            still_open = any(
                o.situation is not OrderSituation.CLOSED for o in orders.values()
            )
            if not still_open:
                uow.sewer_commands.update(
                    attrs.evolve(command, finished_at=at, version=command.version + 1)
                )
            if closed or failed:
                uow.record(
                    SewerOrdersClosed(
                        occurred_at=at,
                        actor=actor,
                        command_id=command_id,
                        closed_order_ids=list(closed),
                        failed_order_ids=list(failed),
                    )
                )
            uow.commit()
        return not still_open


def _orders_of(
    uow: UnitOfWork, command_id: int
) -> tuple[Sequence[SewerCommandOrder], Mapping[int, ServiceOrder]]:
    """The command's order links and their orders."""
    links = uow.sewer_command_orders.find_by(command_id=command_id)
    return links, uow.service_orders.get_many([k.order_id for k in links])


def _write(
    uow: UnitOfWork,
    command: SewerCommand,
    kind: ServiceType,
    chosen: Sequence[object],
    *,
    at: datetime,
    actor: int,
) -> None:
    """ESG-01 for one chunk: the orders (emitted, no RA, no document), their
    unit trail, their links to the command, the command's count and time."""
    facts = list(chosen)
    order_ids = uow.next_ids("service_order", len(facts))
    orders = [
        ServiceOrder(
            id=order_id,
            service_type_id=kind.id,
            origin=OrderOrigin.SELECTIVE,
            property_id=fact.property_id,  # type: ignore[attr-defined]
            generated_at=at,
            emitted_at=at,
            original_value=kind.value,
            current_unit_id=fact.unit_id,  # type: ignore[attr-defined]
            original_priority_id=kind.priority_id,
            current_priority_id=kind.priority_id,
        )
        for order_id, fact in zip(order_ids, facts, strict=True)
    ]
    if orders:
        uow.service_orders.add_many(orders)
        trail_ids = uow.next_ids("order_unit", len(orders))
        uow.order_units.add_many(
            OrderUnitRecord(
                id=trail_id,
                order_id=order.id,
                unit_id=order.current_unit_id,
                user_id=actor,
                relation=OrderUnitRelation.OPENED,
                at=at,
            )
            for trail_id, order in zip(trail_ids, orders, strict=True)
        )
        link_ids = uow.next_ids("sewer_command_order", len(orders))
        uow.sewer_command_orders.add_many(
            SewerCommandOrder(
                id=link_id,
                command_id=command.id,
                order_id=order.id,
                property_id=order.property_id or 0,
            )
            for link_id, order in zip(link_ids, orders, strict=True)
        )
        uow.record(
            SewerOrdersGenerated(
                occurred_at=at,
                actor=actor,
                command_id=command.id,
                order_ids=[o.id for o in orders],
            )
        )
    uow.sewer_commands.update(
        attrs.evolve(
            command,
            generated=command.generated + len(orders),
            executed_at=at,
            version=command.version + 1,
        )
    )
