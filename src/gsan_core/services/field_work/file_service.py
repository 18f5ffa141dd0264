"""The field-device files and returns of ``gsan.field_work`` (TXT, RET, R1536)."""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from datetime import date, datetime
from typing import IO, Literal

import attrs

from gsan_core.errors import GsanError, RuleViolation
from gsan_core.model.field_files import (
    FieldFile,
    FieldFileFilter,
    FieldFileGenerated,
    FieldFileItem,
    FileKind,
    FileSituation,
    LineError,
    ReturnApplied,
    ReturnLine,
    ReturnReport,
)
from gsan_core.model.hydrometers import MeasurementPoint
from gsan_core.model.service_orders import OrderSituation, ServiceOrder
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import field_files as rules
from gsan_core.rules.field_files import parse_return_line
from gsan_core.rules.field_visits import WRONG_KIND, parse_visit_line
from gsan_core.rules.field_work import consumption_since
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service
from gsan_core.services.field_work import returns
from gsan_core.services.field_work.clients import returned_client, write_client
from gsan_core.services.field_work.files import (
    AVERAGE_MONTHS,
    Reader,
    inspection_lines,
    page_items,
    smartphone_lines,
)
from gsan_core.services.field_work.maintenance import filtered_orders
from gsan_core.services.field_work.visit_layout import (
    micrometering_lines,
    visit_lines,
)
from gsan_core.services.field_work.visits import check_micrometering_download
from gsan_core.services.hydrometers import ConnectionMeters
from gsan_core.services.inspections.returns import inform_in
from gsan_core.services.service_orders.closing import close_in

__all__ = ["FieldFileRow", "FieldFilesService", "Layout"]

Layout = Literal["smartphone", "inspection", "visit"]
_LAYOUTS: dict[FileKind, Layout] = {
    FileKind.ANOMALY_INSPECTION: "inspection",
    FileKind.FIELD_VISIT: "visit",
}
_FILE_ERROR = "return.file"


@attrs.frozen(kw_only=True)
class FieldFileRow:
    """R1536 (Acompanhamento OS Cobrança Smartphone) as data: one file's
    orders counted by situation, with its agent and date."""

    file_id: int
    kind: FileKind
    agent_id: int | None
    on: date
    situation: FileSituation
    orders: int
    pending: int
    executed: int
    not_executed: int
    #: Orders whose return is staged and not applied yet.
    returned: int


class FieldFilesService(Service):
    """Files for field devices and their returns (``gsan.field_work``)."""

    # ------------------------------------------------------------ generation
    def generate_field_file(
        self,
        *,
        kind: FileKind,
        actor: int,
        order_ids: Sequence[int] | None = None,
        command_id: int | None = None,
        where: FieldFileFilter | None = None,
    ) -> FieldFile:
        """Generate a file (UC1497, TXT-02..TXT-06): the chosen pending
        orders, every pending order of the selective command (SEL-05), or
        every pending order ``where`` a location filter takes in (TXT-01: the
        filter is validated; the orders already in an open file are left out
        when the profile refuses them in two files), ordered by locality,
        sector, block and property (TXT-02). An order
        already in a file not finished is refused (TXT-06, unless the profile
        keeps GSAN's behaviour); more orders than the profile's cap is refused
        (TXT-04); nothing eligible is refused (TXT-03)."""
        params = self.profile.field_work
        with self._work() as uow:
            if where is not None:
                wanted = filtered_orders(uow, where, params)
            elif order_ids is None and command_id is not None:
                uow.selective_commands.get(command_id)
                wanted = [
                    link.order_id
                    for link in uow.selective_orders.find_by(command_id=command_id)
                ]
            else:
                wanted = list(order_ids or ())
            orders = uow.service_orders.get_many(wanted)
            eligible = [
                o for o in orders.values() if o.situation is OrderSituation.PENDING
            ]
            ensure([rules.NO_ORDERS()] if not eligible else [])
            limit = params.max_orders_per_file
            if limit is not None and len(eligible) > limit:
                ensure([rules.OVER_LIMIT(count=len(eligible), limit=limit)])
            if params.one_open_file_per_order:
                busy = _in_open_files(uow, [o.id for o in eligible])
                ensure([rules.IN_OPEN_FILE(order_ids=busy)] if busy else [])
            props = uow.properties.get_many(
                sorted({o.property_id for o in eligible if o.property_id})
            )

            def place(order_id: int) -> tuple[int, int, int, int]:
                prop = props.get(orders[order_id].property_id or 0)
                if prop is None:
                    return (0, 0, 0, order_id)
                return (prop.locality_id, prop.sector_id, prop.block_id, prop.id)

            ordered = sorted((o.id for o in eligible), key=lambda i: (place(i), i))
            at = self._now()
            file = FieldFile(
                id=uow.next_id("field_file"),
                kind=kind,
                command_id=command_id,
                order_count=len(ordered),
                created_at=at,
                created_by=actor,
            )
            uow.field_files.add(file)
            ids = uow.next_ids("field_file_item", len(ordered))
            uow.field_file_items.add_many(
                FieldFileItem(id=ident, file_id=file.id, order_id=order_id, sequence=n)
                for n, (ident, order_id) in enumerate(zip(ids, ordered, strict=True), 1)
            )
            uow.record(
                FieldFileGenerated(
                    occurred_at=at,
                    actor=actor,
                    file_id=file.id,
                    kind=int(kind),
                    order_count=len(ordered),
                )
            )
            uow.commit()
        return file

    # ------------------------------------------------------------ life cycle
    def field_file(self, *, file_id: int) -> FieldFile:
        """The file (``NotFound`` when there is none)."""
        with self._read() as uow:
            return uow.field_files.get(file_id)

    def field_files(
        self, *, situation: FileSituation | None = None
    ) -> Sequence[FieldFile]:
        """UC1499: the files, newest first, optionally of one situation."""
        with self._read() as uow:
            found = (
                uow.field_files.find_by(situation=situation)
                if situation is not None
                else uow.field_files.find_by()
            )
        return sorted(found, key=lambda f: (f.created_at, f.id), reverse=True)

    def release_field_file(
        self, *, file_id: int, agent_id: int, actor: int
    ) -> FieldFile:
        """TXT-07: release an available file to an agent who holds no other
        file not yet finished."""
        with self._work() as uow:
            uow.lock_key(f"field agent {agent_id}")  # one open file per agent
            file = uow.field_files.lock(file_id)
            other = next(
                (
                    f.id
                    for f in uow.field_files.find_by(agent_id=agent_id)
                    if f.id != file_id
                    and not f.situation.finished
                    and f.situation is not FileSituation.AVAILABLE
                ),
                None,
            )
            ensure(rules.check_release(file, agent_id=agent_id, other_open=other))
            done = attrs.evolve(
                file,
                agent_id=agent_id,
                situation=FileSituation.RELEASED,
                released_at=self._now(),
                version=file.version + 1,
            )
            uow.field_files.update(done)
            uow.commit()
        return done

    def download_field_file(
        self, *, file_id: int, out: IO[bytes], actor: int
    ) -> FieldFile:
        """TXT-08/TXT-09: write a released file to ``out`` (the device's or the
        offline download) and put it in the field; a second download is
        refused. Returns the file in its new situation."""
        with self._work() as uow:
            file = uow.field_files.lock(file_id)
            ensure(rules.check_download(file))
            ensure(check_micrometering_download(uow, file, self.profile))
            # the lines read in the lock's own transaction (issue 20, round
            # 7): no read transaction of their own (its BEGIN and ROLLBACK),
            # and the text is the snapshot the file is sent from
            self._write(file, out, None, reader=lambda: nullcontext(uow))
            done = attrs.evolve(
                file,
                situation=FileSituation.IN_FIELD,
                sent_at=self._now(),
                version=file.version + 1,
            )
            uow.field_files.update(done)
            uow.commit()
        return done

    def write_field_file(
        self, *, file_id: int, out: IO[bytes], layout: Layout | None = None
    ) -> int:
        """Write the file's text to ``out`` in a layout (``"smartphone"``:
        UC1484's records; ``"inspection"``: INSP-03's ``;`` lines) without
        changing its situation (UC1499's "consultar"); returns the lines
        written. Streamed: a page of orders at a time."""
        with self._read() as uow:
            file = uow.field_files.get(file_id)
        return self._write(file, out, layout)

    def field_file_lines(
        self, *, file_id: int, layout: Layout | None = None
    ) -> Iterator[str]:
        """The file's lines as text, lazily (see :meth:`write_field_file`);
        ``layout=None`` is the file's own: ``"visit"`` for a field-visit file
        (INSP-06), ``"inspection"`` for an anomaly-inspection one (INSP-03),
        ``"smartphone"`` otherwise (a micrometering file adds its meters,
        VIS-01)."""
        with self._read() as uow:
            file = uow.field_files.get(file_id)
        return self._lines(file, layout)

    def _lines(
        self, file: FieldFile, layout: Layout | None, reader: Reader | None = None
    ) -> Iterator[str]:
        """The file's lines, read through ``reader`` (default: read-only
        units of work of their own)."""
        read = reader or self._read
        chosen = layout or _LAYOUTS.get(file.kind, "smartphone")
        produced = self._today().strftime("%d/%m/%Y")
        if chosen == "inspection":
            return inspection_lines(read, file, produced_on=produced)
        if chosen == "visit":
            return visit_lines(read, file, programmed_on=produced)
        since = consumption_since(self._today(), AVERAGE_MONTHS)
        lines = smartphone_lines(read, file, consumption_since=since)
        if file.kind is FileKind.MICROMETERING:
            available = self.profile.ids("hydrometer_situation.available")
            return itertools.chain(
                lines, micrometering_lines(read, file, available_ids=available)
            )
        return lines

    def _write(
        self,
        file: FieldFile,
        out: IO[bytes],
        layout: Layout | None,
        *,
        reader: Reader | None = None,
    ) -> int:
        encoding = self.profile.field_work.file_encoding
        count = 0
        for line in self._lines(file, layout, reader):
            out.write(line.encode(encoding, errors="replace"))
            count += 1
        return count

    def finish_field_file(self, *, file_id: int, actor: int) -> FieldFile:
        """TXT-07: the user finishes a file that went to the field."""
        with self._work() as uow:
            file = uow.field_files.lock(file_id)
            ensure(rules.check_finish(file))
            done = attrs.evolve(
                file,
                situation=FileSituation.FINISHED_BY_USER,
                finished_at=self._now(),
                version=file.version + 1,
            )
            uow.field_files.update(done)
            uow.commit()
        return done

    # --------------------------------------------------------- device returns
    def process_field_return(
        self, *, file_id: int, source: bytes | str | IO[bytes], actor: int
    ) -> ReturnReport:
        """RET-01/RET-02 (UC1487): check every line of the device's return,
        report every bad one (number, code, reason), and stage the good ones
        (nothing when a line is bad, unless the profile applies lines one by
        one). Idempotent: lines staged before are discarded. The header's
        finalisation flag 4 or 6 moves the file to that situation."""
        params = self.profile.field_work
        with self._read() as uow:
            file = uow.field_files.get(file_id)
        if file.situation not in returns.ACCEPTING:
            problem = LineError(
                line=0,
                code=_FILE_ERROR,
                reason=f"file {file_id} is in situation {file.situation.name}: "
                "it takes no return",
            )
            return ReturnReport(
                file_id=file_id, lines=0, staged=0, discarded=0, errors=(problem,)
            )
        if isinstance(source, bytes):
            stream: IO[bytes] = io.BytesIO(source)
        elif isinstance(source, str):
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        else:
            stream = source
        try:
            with self._work() as uow:
                current = uow.field_files.lock(file_id)
                state = returns.process_lines(
                    uow,
                    current,
                    stream,
                    encoding=params.file_encoding,
                    at=self._now(),
                    parse=parse_visit_line
                    if current.kind is FileKind.FIELD_VISIT
                    else parse_return_line,
                )
                if state.errors and not params.returns_line_by_line:
                    return returns.report(state, kept=False)  # rolled back
                flag = int(state.header.fields[1]) if state.header is not None else 0
                if flag in (4, 6) and current.situation is not FileSituation(flag):
                    uow.field_files.update(
                        attrs.evolve(
                            current,
                            situation=FileSituation(flag),
                            finished_at=self._now(),
                            version=current.version + 1,
                        )
                    )
                uow.commit()
        finally:
            if isinstance(source, str):
                stream.close()
        return returns.report(state, kept=True)

    def apply_field_returns(
        self, *, file_id: int, actor: int, order_ids: Sequence[int] | None = None
    ) -> returns.AppliedReturn:
        """RET-03..RET-08 (UC1500 "encerrar"): close each order of the file
        with a staged, not yet applied return (or only ``order_ids``), each in
        its own unit of work through the closing path; failures are reported
        and the others go on."""
        only = set(order_ids) if order_ids is not None else None
        closed: list[int] = []
        failed: list[tuple[int, str, str]] = []
        pages = returns.staged_pages(self._read, file_id, only, check=_not_visits)
        for _, ids, by_order in pages:
            for order_id in ids:
                lines = sorted(by_order.get(order_id, ()), key=lambda x: x.line_number)
                if not any(line.record == 1 for line in lines):
                    continue
                try:
                    self._apply_one(order_id, lines, actor)
                except GsanError as error:
                    failed.append(returns.failure(order_id, error))
                else:
                    closed.append(order_id)
        with self._work() as uow:
            uow.record(
                ReturnApplied(
                    occurred_at=self._now(),
                    actor=actor,
                    file_id=file_id,
                    closed_order_ids=closed,
                    failed_order_ids=[f[0] for f in failed],
                )
            )
            uow.commit()
        return returns.AppliedReturn(
            file_id=file_id, closed=tuple(closed), failed=tuple(failed)
        )

    def _apply_one(
        self, order_id: int, lines: Sequence[ReturnLine], actor: int
    ) -> None:
        first, executed = returns.execution_of(lines, self._ctx.zone)
        fields = first.fields
        with self._work(defer=True) as uow:
            # the order (read twice: here for its type, then by the closing),
            # its request and property locked, the property's connections and
            # meter, in two statements (ADR 0006); the writes go out together
            # at the commit
            uow.read_ahead("change_situation", order_id)
            order = uow.service_orders.get(order_id)
            self._inspection(
                uow,
                order_id,
                lines,
                reason_id=int(fields[2]),
                executed=executed,
                actor=actor,
            )
            commercial = self._commercial(uow, order, lines)
            close_in(
                uow,
                self._ctx,
                order_id=order_id,
                reason_id=int(fields[2]),
                closed_on=executed.date(),
                closing_time=executed.time(),
                actor=actor,
                at=self._now(),
                remark=fields[4] or None,
                commercial=commercial,
                authorise=True,
            )
            client = returned_client(lines)
            if (
                client is not None
                and self.profile.field_work.returns_update_customers
                and order.property_id is not None
            ):
                write_client(
                    uow,
                    property_id=order.property_id,
                    client=client,
                    on=executed.date(),
                    at=self._now(),
                    actor=actor,
                )
            uow.return_lines.update_many(
                attrs.evolve(line, applied=True, version=line.version + 1)
                for line in lines
            )
            uow.commit()

    def _inspection(
        self,
        uow: UnitOfWork,
        order_id: int,
        lines: Sequence[ReturnLine],
        *,
        reason_id: int,
        executed: datetime,
        actor: int,
    ) -> None:
        """RET-05, records 5 and 6 (``informarRetornoFiscalizacaoOSCobrancaSmartphone``):
        an order closed with execution whose return found inspection
        situations has them informed first, in the same unit of work, through
        the inspection return (UC0488: every FIS rule and effect), with the
        delivered document of record 5; the close then finds the return it
        needs (ENC-04)."""
        found = returns.situations_found(lines, executed.date())
        if not found:
            return
        reason = uow.catalog.find("closing_reason", reason_id)
        if reason is None or not reason.flag("executed"):
            return  # GSAN informs the inspection only on an executed close
        at = self._now()
        inform_in(
            uow,
            self._ctx,
            order_id=order_id,
            found=found,
            actor=actor,
            at=at,
            today=self._local_date(at),
            connection_data=None,
            notice=None,
            meters=ConnectionMeters(),
            delivered_document=returns.delivered_document(lines),
        )

    def _commercial(
        self, uow: UnitOfWork, order: ServiceOrder, lines: Sequence[ReturnLine]
    ) -> object | None:
        """RET-05: the staged input of the operation the order's type runs."""
        key = uow.service_types.get(order.service_type_id).operation
        operation = self._ctx.operations.get(key or "")

        def total(type_id: int) -> bool:
            row = uow.catalog.find("suppression_type", type_id)
            return row is None or not row.flag("partial")

        def placement(point: MeasurementPoint) -> tuple[int, int] | None:
            if order.property_id is None:
                return None
            current = uow.hydrometer_installations.current(
                property_id=order.property_id, point=point
            )
            return (
                None if current is None else (current.place_id, current.protection_id)
            )

        return returns.commercial_input(
            lines,
            None if operation is None else operation.input_type,
            total=total,
            placement=placement,
        )

    # ----------------------------------------------------------------- R1536
    def field_file_report(
        self, *, first: date | None = None, last: date | None = None
    ) -> Sequence[FieldFileRow]:
        """R1536 as data: per file (of a creation period), its orders by
        situation and how many have a return waiting to be applied (a page of
        orders per read); ``attrs.asdict`` of each row feeds a data frame or a
        bar chart."""
        if first is not None and last is not None and last < first:
            raise RuleViolation([rules.BAD_PERIOD(first=first, last=last)])
        rows: list[FieldFileRow] = []
        for file in self.field_files():
            on = self._local_date(file.created_at)
            if (first and on < first) or (last and on > last):
                continue
            rows.append(self._row(file, on))
        return rows

    def _row(self, file: FieldFile, on: date) -> FieldFileRow:
        counts: Counter[str] = Counter()
        for items in page_items(self._read, file):
            ids = [i.order_id for i in items]
            with self._read() as uow:
                orders = uow.service_orders.get_many(ids)
                reasons = {
                    r.id: r.flag("executed") for r in uow.catalog.list("closing_reason")
                }
                waiting = {
                    line.order_id
                    for line in uow.return_lines.find_by(
                        file_id=file.id, order_id=ids, applied=False
                    )
                }
            counts["returned"] += len(waiting)
            for order in orders.values():
                if order.situation is not OrderSituation.CLOSED:
                    counts["pending"] += 1
                elif reasons.get(order.closing_reason_id or 0, False):
                    counts["executed"] += 1
                else:
                    counts["not_executed"] += 1
        return FieldFileRow(
            file_id=file.id,
            kind=file.kind,
            agent_id=file.agent_id,
            on=on,
            situation=file.situation,
            orders=file.order_count,
            pending=counts["pending"],
            executed=counts["executed"],
            not_executed=counts["not_executed"],
            returned=counts["returned"],
        )


def _in_open_files(uow: object, order_ids: Sequence[int]) -> list[int]:
    """TXT-06: the orders already in a file not yet finished."""
    items = uow.field_file_items.find_by(order_id=list(order_ids))  # type: ignore[attr-defined]
    if not items:
        return []
    files = uow.field_files.get_many(sorted({i.file_id for i in items}))  # type: ignore[attr-defined]
    return sorted(
        {i.order_id for i in items if not files[i.file_id].situation.finished}
    )


def _not_visits(file: FieldFile) -> None:
    """A visit file's returns are processed with ``process_visit(s)``."""
    if file.kind is FileKind.FIELD_VISIT:
        ensure(
            [
                WRONG_KIND(
                    file_id=file.id,
                    kind="smartphone (a visit is processed one by one)",
                    kind_pt="smartphone (visitas: processar uma a uma)",
                )
            ]
        )
