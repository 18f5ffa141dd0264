"""``gsan.field_work``: selective commands (SEL) and their emission."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from gsan_core.model.catalog import CatalogItem
from gsan_core.model.field_work import (
    CommandSituation,
    SelectiveCommand,
    SelectiveCommandClosed,
    SelectiveCriteria,
    SelectiveWanted,
)
from gsan_core.model.service_orders import OrderSituation
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import field_work as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.batches import ChunkOutcome, Progress
from gsan_core.services.field_work.file_service import FieldFilesService
from gsan_core.services.field_work.inspections import FieldVisitsService
from gsan_core.services.field_work.maintenance import FieldFileMaintenance
from gsan_core.services.field_work.selective import (
    WRITTEN,
    EmissionPlan,
    SelectiveRun,
    close_pending_chunk,
)
from gsan_core.services.field_work.sewer import SewerCommands
from gsan_core.services.field_work.visits import MeasurementVisitsService

__all__ = ["CommandProgress", "FieldWorkService"]


@attrs.frozen(kw_only=True)
class CommandProgress:
    """SEL-04: where a command's orders are (the consult screen's counts)."""

    command: SelectiveCommand
    pending: int
    in_execution: int
    closed: int

    @property
    def generated(self) -> int:
        """Orders the command emitted."""
        return self.command.emitted


class FieldWorkService(
    FieldVisitsService,
    MeasurementVisitsService,
    FieldFilesService,
    FieldFileMaintenance,
    SewerCommands,
):
    """``gsan.field_work``: selective commands and their emission, the files
    for field devices and their returns."""

    def create_selective_command(
        self,
        *,
        description: str,
        service_type_id: int,
        criteria: SelectiveCriteria,
        actor: int,
        max_orders: int | None = None,
        to_text_file: bool = False,
    ) -> SelectiveCommand:
        """Record a selective command ("Emitir Ordens Seletivas", UC0711): its
        criteria, the service type of its orders and its cap. Nothing is
        emitted yet (:meth:`emit_selective_orders`)."""
        if max_orders is not None and max_orders < 1:
            ensure([rules.BAD_CAP(max_orders=max_orders)])
        with self._work() as uow:
            service_type = uow.service_types.get(service_type_id)
            ensure(
                rules.check_new_command(
                    description=description,
                    service_type=service_type,
                    criteria=criteria,
                )
            )
            command = SelectiveCommand(
                id=uow.next_id("selective_command"),
                description=description.strip(),
                service_type_id=service_type_id,
                criteria=criteria,
                max_orders=max_orders,
                created_at=self._now(),
                created_by=actor,
                to_text_file=to_text_file,
            )
            uow.selective_commands.add(command)
            uow.commit()
        return command

    def selective_command(self, *, command_id: int) -> SelectiveCommand:
        """The command (``NotFound`` when there is none)."""
        with self._read() as uow:
            return uow.selective_commands.get(command_id)

    def selective_commands(
        self, *, situation: CommandSituation | None = None
    ) -> Sequence[SelectiveCommand]:
        """SEL-04: the commands, newest first, optionally of one situation."""
        with self._read() as uow:
            found = (
                uow.selective_commands.find_by(situation=situation)
                if situation is not None
                else uow.selective_commands.find_by()
            )
        return sorted(found, key=lambda c: (c.created_at, c.id), reverse=True)

    def command_progress(self, *, command_id: int) -> CommandProgress:
        """SEL-04: the command with its orders counted by situation."""
        with self._read() as uow:
            command = uow.selective_commands.get(command_id)
            links = uow.selective_orders.find_by(command_id=command_id)
            counts = dict.fromkeys(OrderSituation, 0)
            ids = [link.order_id for link in links]
            for order in uow.service_orders.get_many(ids).values():
                counts[order.situation] += 1
        return CommandProgress(
            command=command,
            pending=counts[OrderSituation.PENDING],
            in_execution=counts[OrderSituation.IN_EXECUTION]
            + counts[OrderSituation.AWAITING_RELEASE],
            closed=counts[OrderSituation.CLOSED],
        )

    def emit_selective_orders(
        self,
        *,
        command_id: int,
        actor: int,
        progress: Progress | None = None,
        chunk_size: int = 2_000,
    ) -> SelectiveRun:
        """Emit the command's orders (SEL-01, GEN-11): one per property that
        matches, up to the command's cap; returns what was generated and what
        was skipped, by reason.

        Chunked (``chunk_size`` properties per unit of work), set-based (one
        statement decides a chunk), resumable and idempotent: running it again
        emits only what an interrupted run did not.
        """
        with self._exclusive("selective emission", f"command {command_id}") as frame:
            at = self._now()
            with frame.read() as uow:
                command = uow.selective_commands.get(command_id)
                service_type = uow.service_types.get(command.service_type_id)
            ensure(rules.check_emit_command(command))
            blocking = self.profile.ids("service_type.selective_blocking")
            plan = EmissionPlan(
                command_id=command_id,
                actor=actor,
                at=at,
                service_type=service_type,
                wanted=SelectiveWanted(
                    command_id=command_id,
                    criteria=command.criteria,
                    blocking_type_ids=(blocking or rules.GEN11_TYPE_IDS)
                    | {service_type.id},
                    open_since=at - timedelta(days=rules.GEN11_DAYS),
                    consumption_since=rules.consumption_since(
                        self._today(at),
                        command.criteria.consumption_months,
                    ),
                ),
            )
            with frame.read() as uow:
                bounds = uow.selective.chunk_bounds(command.criteria, chunk_size)
            summary = frame.run(
                job=f"selective emission of command {command_id}",
                units=bounds,
                chunk=plan.chunk,
                progress=progress,
            )
            self._refresh_statistics(dict.fromkeys(WRITTEN, summary.changed))
        return SelectiveRun(
            command_id=command_id,
            service_type_id=service_type.id,
            summary=summary,
        )

    def close_selective_command(
        self,
        *,
        command_id: int,
        reason_id: int,
        actor: int,
        progress: Progress | None = None,
        chunk_size: int = 1_000,
    ) -> SelectiveCommand:
        """SEL-02/SEL-03: close every still-pending order of the command
        without execution with ``reason_id`` (pages of ``chunk_size``, each
        its own unit of work: a re-run closes the rest), then close the
        command. Orders in execution or awaiting release stay as they are."""
        at = self._now()
        with self._exclusive("selective closing", f"command {command_id}") as frame:
            # the command, the reason and the user in one read, in the
            # holding transaction on PostgreSQL (the batch frame); the pages
            # follow the command's own count of emitted orders (round 8: no
            # count of its orders, a statement), the last page closing
            # whatever is still pending past it
            with frame.read() as uow:
                command = uow.selective_commands.get(command_id)
                reason = uow.catalog.find("closing_reason", reason_id)
                user = uow.users.find(actor)
                reader = uow
            ensure(
                rules.check_close_command(command, reason=reason, reason_id=reason_id)
            )
            unit_id = None if user is None else user.unit_id
            pages = max(1, -(-command.emitted // chunk_size))
            last = [0]
            closed: list[int] = []
            done: list[SelectiveCommand] = []

            def chunk(uow: UnitOfWork, page: int) -> ChunkOutcome:
                ids = _close_page(
                    uow,
                    last=last,
                    until_short=page == pages - 1,
                    limit=chunk_size,
                    command_id=command_id,
                    reason_id=reason_id,
                    at=at,
                    actor=actor,
                    unit_id=unit_id,
                )
                closed.extend(ids)
                if page == pages - 1:
                    # the command closed with the last page (round 8: a unit
                    # of work of its own after it)
                    # in the transaction that read the command (the batch
                    # frame on PostgreSQL) the command as read, closed by a
                    # compare-and-set update: no second lock (round 9)
                    done.append(
                        _close_command(
                            uow,
                            command_id,
                            read=command if uow is reader else None,
                            reason=reason,
                            reason_id=reason_id,
                            closed=closed,
                            at=at,
                            actor=actor,
                        )
                    )
                uow.commit()
                return ChunkOutcome(processed=len(ids), changed=len(ids))

            # each page's writes a statement a table: sent together at the
            # commit (defer_writes) they took two fewer round trips but were
            # slower, their one statement built anew on every page (issue 20,
            # round 8, docs/scale.md)
            frame.run(
                job=f"closing of selective command {command_id}",
                units=list(range(pages)),
                chunk=chunk,
                progress=progress,
            )
        return done[0]


def _close_page(
    uow: UnitOfWork,
    *,
    last: list[int],
    until_short: bool,
    limit: int,
    command_id: int,
    reason_id: int,
    at: datetime,
    actor: int,
    unit_id: int | None,
) -> list[int]:
    """SEL-02: a page of the command's pending orders after the order
    ``last[0]`` closed (``last[0]`` moved to the page's last order); the
    last page (``until_short``) goes on until a page comes back short, so a
    command whose emitted count falls short still has every order closed."""
    ids: list[int] = []
    while True:
        found = close_pending_chunk(
            uow,
            command_id=command_id,
            after_order_id=last[0],
            limit=limit,
            reason_id=reason_id,
            at=at,
            actor=actor,
            unit_id=unit_id,
        )
        if found:
            last[0] = found[-1]
            ids.extend(found)
        if not until_short or len(found) < limit:
            return ids


def _close_command(
    uow: UnitOfWork,
    command_id: int,
    *,
    read: SelectiveCommand | None,
    reason: CatalogItem | None,
    reason_id: int,
    closed: Sequence[int],
    at: datetime,
    actor: int,
) -> SelectiveCommand:
    """SEL-02's end: the command, locked and checked again (SEL-03), closed,
    with the ids of every order its run closed. ``read``: the command as
    this transaction read and checked it at the run's start: not locked
    again, its update's compare-and-set on the version refuses a change made
    since (``ConcurrencyConflict``; issue 20, ninth round)."""
    if read is None:
        current = uow.selective_commands.lock(command_id)
        ensure(rules.check_close_command(current, reason=reason, reason_id=reason_id))
    else:
        current = read
    done = attrs.evolve(
        current,
        situation=CommandSituation.CLOSED,
        closed_at=at,
        closed_by=actor,
        version=current.version + 1,
    )
    uow.selective_commands.update(done)
    uow.record(
        SelectiveCommandClosed(
            occurred_at=at,
            actor=actor,
            command_id=command_id,
            reason_id=reason_id,
            closed_order_ids=list(closed),
        )
    )
    return done
