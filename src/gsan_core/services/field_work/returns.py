"""Devices' returns (RET): parse and stage, then apply through the closing path.

Processing a return reads the stream once, a line at a time (never the whole
file, never a line longer than :data:`MAX_LINE`), in one unit of work: every
line is checked (its layout, then the orders a chunk of lines names, in one
read per chunk), every bad one reported with its number and reason, and the
good ones staged a chunk at a time. When a line is bad the unit of work is
rolled back, so a return that fails validation stages nothing, unless the
profile says lines apply one by one (``returns_line_by_line``): then the good
lines are committed. A line staged before is recognised by its digest and
discarded (RET-01), so the same return processed twice changes nothing the
second time.

Applying the staged lines (RET-03) closes each order in its own unit of work
through :func:`~gsan_core.services.service_orders.closing.close_in`, the same
path and rules as a close from the screen: the reason's ``executed`` flag
chooses executed or not (RET-04), the commercial operation runs from the
staged record that carries its input (RET-05: record 3 a cut, 4 a
suppression, 7 a meter replacement, 8 a meter relocation, 9 the protection
box's installation update), the inspection situations of record 6 (with the
delivered document of record 5) are informed first through the inspection
return (UC0488, FIS rules), the closing-date windows apply (RET-08), and the
lines are marked applied (RET-07) in the same unit of work. An order that
fails is reported and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import IO

import attrs

from gsan_core.errors import GsanError
from gsan_core.model.connections import CutInput, SuppressionInput
from gsan_core.model.field_files import (
    FieldFile,
    FileSituation,
    LineError,
    ReturnLine,
    ReturnReport,
)
from gsan_core.model.hydrometers import (
    MeasurementPoint,
    RelocateHydrometer,
    ReplaceHydrometer,
    UpdateInstallation,
)
from gsan_core.model.inspections import SituationFound
from gsan_core.model.service_orders import OrderSituation
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.field_files import ParsedLine, executed_at, parse_return_line
from gsan_core.services.field_work.files import PAGE

__all__ = [
    "MAX_ERRORS",
    "MAX_LINE",
    "AppliedReturn",
    "commercial_input",
    "process_lines",
    "read_lines",
]

#: The longest line a return may have (bytes).
MAX_LINE = 64 * 1024
#: The bad lines a report keeps (the others are counted).
MAX_ERRORS = 1_000
#: The most lines a return may carry per order of its file (records 1 to 9,
#: record 6 once per inspection situation found).
MAX_LINES_PER_ORDER = 30
#: Lines checked or staged per round trip.
CHUNK = 1_000
#: The file situations that accept a return (a transmitted one accepts it
#: again: everything is then discarded as already staged).
ACCEPTING = frozenset(
    {
        FileSituation.RELEASED,
        FileSituation.IN_FIELD,
        FileSituation.TRANSMITTED,
        FileSituation.FINISHED_INCOMPLETE,
    }
)

Work = Callable[[], AbstractContextManager[UnitOfWork]]


@attrs.frozen(kw_only=True)
class AppliedReturn:
    """What applying a file's staged returns did (RET-03's error report)."""

    file_id: int
    closed: tuple[int, ...]
    #: ``(order id, error code, message)`` of every order that failed.
    failed: tuple[tuple[int, str, str], ...]


def read_lines(
    stream: IO[bytes], encoding: str
) -> Iterator[tuple[int, str | None, LineError | None]]:
    """``(number, text, error)`` of every non-blank line: a line longer than
    :data:`MAX_LINE` or not in ``encoding`` is an error (its text ``None``)."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = stream.readline(MAX_LINE)
            yield number, None, _too_long(number)
            continue
        body = raw.rstrip(b"\r\n")
        if not body.strip():
            continue
        yield number, *_decoded(body, number, encoding)


def _too_long(number: int) -> LineError:
    return LineError(
        line=number,
        code="return.line_too_long",
        reason=f"the line is longer than {MAX_LINE} bytes",
    )


def _decoded(
    body: bytes, number: int, encoding: str
) -> tuple[str | None, LineError | None]:
    if encoding == "iso-8859-1" and not body.isascii():
        # ISO-8859-1 decodes any byte: a UTF-8 file would pass as mojibake
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return None, LineError(
                line=number,
                code="return.encoding",
                reason="the line is UTF-8 but the utility declares ISO-8859-1",
            )
    try:
        return body.decode(encoding), None
    except UnicodeDecodeError as error:
        return None, LineError(
            line=number,
            code="return.encoding",
            reason=f"the line is not {encoding} (byte {error.start + 1})",
        )


@attrs.define
class _Check:
    """The state of the first pass."""

    file: FieldFile
    errors: list[LineError] = attrs.field(factory=list)
    bad: set[int] = attrs.field(factory=set)
    more: int = 0
    seen: set[bytes] = attrs.field(factory=set)
    header: ParsedLine | None = None
    with_close: set[int] = attrs.field(factory=set)
    without_close: dict[int, int] = attrs.field(factory=dict)
    lines: int = 0
    headless: bool = False
    staged: int = 0
    discarded: int = 0

    def error(self, problem: LineError) -> None:
        self.bad.add(problem.line)
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(problem)
        else:
            self.more += 1


def process_lines(
    uow: UnitOfWork,
    file: FieldFile,
    stream: IO[bytes],
    *,
    encoding: str,
    at: datetime,
    parse: Callable[[str, int], ParsedLine | LineError] = parse_return_line,
) -> _Check:
    """One pass over the return in ``uow``: every line checked (the layout,
    then the orders of a chunk of lines in one read), every bad one reported,
    every good one not staged before staged (the caller commits, or rolls
    everything back when a line is bad and the profile wants all or nothing)."""
    state = _Check(file=file)
    chunk: list[ParsedLine] = []
    most = MAX_LINES_PER_ORDER * file.order_count + 1
    for number, text, problem in read_lines(stream, encoding):
        state.lines += 1
        if len(state.seen) >= most:
            # more good lines than the file's orders can have: a wrong or
            # runaway file; stop here (time and memory stay bounded)
            state.error(
                LineError(
                    line=number,
                    code="return.too_many_lines",
                    reason=f"more than {most} lines for the {file.order_count} "
                    "orders of the file: the rest is not read",
                )
            )
            break
        if problem is not None or text is None:
            state.error(problem or _too_long(number))
            continue
        parsed = parse(text, number)
        if isinstance(parsed, LineError):
            state.error(parsed)
            continue
        if not _layout_ok(state, parsed):
            continue
        if parsed.record != 0:
            chunk.append(parsed)
        if len(chunk) >= CHUNK:
            _flush(uow, state, chunk, at)
            chunk = []
    if chunk:
        _flush(uow, state, chunk, at)
    if state.header is None and not state.headless:
        state.error(
            LineError(
                line=1, code="return.header", reason="the header (record 0) is missing"
            )
        )
    for order_id, line in state.without_close.items():
        if order_id not in state.with_close:
            state.error(
                LineError(
                    line=line,
                    code="return.no_execution",
                    reason=f"order {order_id} has no record 1 (its execution)",
                )
            )
    return state


def _layout_ok(state: _Check, parsed: ParsedLine) -> bool:
    """The header first and once, for this file; no line twice."""
    key = bytes.fromhex(parsed.digest)[:16]
    if key in state.seen:
        state.error(
            LineError(
                line=parsed.line,
                code="return.duplicate_line",
                reason="the same line came before",
            )
        )
        return False
    state.seen.add(key)
    if parsed.record == 0:
        if state.header is not None or state.lines != 1:
            state.error(
                LineError(
                    line=parsed.line,
                    code="return.header",
                    reason="the header must be the first line, once",
                )
            )
            return False
        if int(parsed.fields[0]) != state.file.id:
            state.error(
                LineError(
                    line=parsed.line,
                    code="return.wrong_file",
                    reason=f"the return is of file {parsed.fields[0]}, not {state.file.id}",
                )
            )
            return False
        state.header = parsed
        return True
    if state.header is None and not state.headless:
        state.headless = True
        state.error(
            LineError(
                line=parsed.line,
                code="return.header",
                reason="the header (record 0) must be the first line",
            )
        )
    if parsed.record == 1:
        if parsed.order_id in state.with_close:
            state.error(
                LineError(
                    line=parsed.line,
                    code="return.duplicate_order",
                    reason=f"order {parsed.order_id} has a second record 1",
                )
            )
            return False
        state.with_close.add(parsed.order_id)
    else:
        state.without_close.setdefault(parsed.order_id, parsed.line)
    return True


def _flush(
    uow: UnitOfWork, state: _Check, chunk: Sequence[ParsedLine], at: datetime
) -> None:
    """A chunk of good-looking lines: their orders must be in this file and not
    closed (one read); the good lines not staged before are staged (one
    insert), the others counted as discarded."""
    ids = sorted({p.order_id for p in chunk})
    queries = uow.field_file_queries
    states = queries.order_states(state.file.id, ids)
    known = queries.staged_digests(state.file.id, [p.digest for p in chunk])
    closed = int(OrderSituation.CLOSED)
    fresh: list[ParsedLine] = []
    for parsed in chunk:
        situation = states.get(parsed.order_id)
        if situation is None:
            state.error(
                LineError(
                    line=parsed.line,
                    code="return.unknown_order",
                    reason=f"order {parsed.order_id} is not in file {state.file.id}",
                )
            )
        elif parsed.digest in known:
            state.discarded += 1
        elif situation == closed:
            state.error(
                LineError(
                    line=parsed.line,
                    code="return.order_closed",
                    reason=f"order {parsed.order_id} is already closed",
                )
            )
        else:
            fresh.append(parsed)
    if fresh:
        line_ids = uow.next_ids("field_return_line", len(fresh))
        uow.return_lines.add_many(
            ReturnLine(
                id=ident,
                file_id=state.file.id,
                order_id=p.order_id,
                record=p.record,
                line_number=p.line,
                fields=p.fields,
                digest=p.digest,
                received_at=at,
            )
            for ident, p in zip(line_ids, fresh, strict=True)
        )
        state.staged += len(fresh)


def report(state: _Check, *, kept: bool) -> ReturnReport:
    """The report of one processing (``kept``: its staged lines were committed)."""
    return ReturnReport(
        file_id=state.file.id,
        lines=state.lines,
        staged=state.staged if kept else 0,
        discarded=state.discarded if kept else 0,
        errors=tuple(sorted(state.errors, key=lambda e: e.line)),
        more_errors=state.more,
    )


#: Where a record 7 or 9 takes the current meter's place and protection from:
#: ``placement(point)`` is ``(place id, protection id)`` of the point's open
#: installation, ``None`` when it has no meter.
Placement = Callable[[MeasurementPoint], tuple[int, int] | None]


def commercial_input(
    lines: Sequence[ReturnLine],
    wanted: type | None,
    *,
    total: Callable[[int], bool],
    placement: Placement = lambda _: None,
) -> object | None:
    """RET-05: the input of the operation the order's type runs (``wanted``),
    from the staged record that carries it: record 3 a cut, record 4 a
    suppression, record 7 a meter replacement, record 8 a meter relocation
    (GSAN's "remoção" runs the relocation), record 9 an update of the meter's
    installation (the protection box: its place and protection).
    ``total(type id)``: whether a suppression type is total. ``None`` when no
    staged record carries that input: the close then refuses with the
    operation's "data required" error (COM-05)."""
    if wanted is None:
        return None
    found = _inputs(lines, total=total, placement=placement)
    return next((i for i in found if isinstance(i, wanted)), None)


def _opt(value: str) -> int | None:
    return int(value) if value else None


def _point(flag: str) -> MeasurementPoint:
    """Record 7's meter type: 1 the water connection, 2 the well."""
    return MeasurementPoint.WELL if flag == "2" else MeasurementPoint.WATER_CONNECTION


def _replacement(f: Sequence[str], placement: Placement) -> ReplaceHydrometer | None:
    """Record 7 (``ExecucaoOSSubstituicao``): the outgoing meter's reading,
    situation and stock location, the point, the incoming meter, the stand
    flag and the incoming meter's reading; the incoming meter keeps the
    current place and protection (the record has none). No removal reading:
    no input (the close refuses with "data required")."""
    if not f[1]:
        return None
    point = _point(f[4])
    place, protection = placement(point) or (0, 0)
    return ReplaceHydrometer(
        point=point,
        removal_reading=int(f[1]),
        outgoing_situation_id=int(f[2]),
        outgoing_location_id=int(f[3]),
        hydrometer_id=_opt(f[5]),
        stand=f[6] == "1",
        reading=_opt(f[7]) or 0,
        place_id=place,
        protection_id=protection,
    )


def _inputs(
    lines: Sequence[ReturnLine],
    *,
    total: Callable[[int], bool],
    placement: Placement,
) -> Iterator[object]:
    for line in lines:
        f = line.fields
        if line.record == 3:
            yield CutInput(
                cut_reason_id=int(f[1]),
                cut_type_id=int(f[2]),
                reading=_opt(f[3]),
                seal_number=_opt(f[4]),
            )
        elif line.record == 4:
            yield SuppressionInput(
                suppression_reason_id=int(f[1]),
                suppression_type_id=int(f[2]),
                total=total(int(f[2])),
                reading=_opt(f[3]),
                seal_number=_opt(f[4]),
            )
        elif line.record == 7:
            replacement = _replacement(f, placement)
            if replacement is not None:
                yield replacement
        elif line.record == 8:
            yield RelocateHydrometer(
                place_id=int(f[1]), protection_id=int(f[2]), stand=f[3] == "1"
            )
        elif line.record == 9:
            # GSAN runs the substitution for a protection box (QUIRK, RET-05):
            # here the box changes the current installation's place and
            # protection, the operation of the type decides what runs
            yield UpdateInstallation(place_id=int(f[1]), protection_id=int(f[2]))


def situations_found(lines: Sequence[ReturnLine], on: date) -> list[SituationFound]:
    """Record 6 (``ExecucaoOSSituacoesEncontradas``): the inspection
    situations found, one line each, found on the execution day (the same
    situation twice counts once)."""
    ids = sorted({int(line.fields[1]) for line in lines if line.record == 6})
    return [SituationFound(situation_id=i, found_on=on) for i in ids]


def delivered_document(lines: Sequence[ReturnLine]) -> int | None:
    """Record 5 (``ExecucaoOSFiscalizacao``): the "documento entregue" code
    (the ``06`` table) of the inspection, ``None`` when not returned."""
    return next((int(x.fields[1]) for x in lines if x.record == 5), None)


def execution_of(
    lines: Sequence[ReturnLine], zone: object
) -> tuple[ReturnLine, datetime]:
    """Record 1 of an order's staged lines and its execution instant."""
    first = next(line for line in lines if line.record == 1)
    return first, executed_at(first.fields, zone)  # type: ignore[arg-type]


def failure(order_id: int, error: GsanError) -> tuple[int, str, str]:
    """One line of RET-03's error report."""
    return order_id, error.code, str(error)


def staged_pages(
    read: Work,
    file_id: int,
    only: set[int] | None,
    *,
    check: Callable[[FieldFile], None],
) -> Iterator[tuple[FieldFile, list[int], dict[int, list[ReturnLine]]]]:
    """The file, its orders (or those of ``only``) a page at a time in file
    order, and their staged, not applied return lines: a page's items and
    lines read in one read-only unit of work, the first page's with the file
    itself (``check`` refuses a file of the wrong kind before anything else;
    issue 20, round 7: a read transaction each before), none held open while
    the caller applies the page's orders."""
    with read() as uow:
        file = uow.field_files.get(file_id)
        check(file)
        page = _staged_page(uow, file, 1, only)
    yield (file, *page)
    for first in range(1 + PAGE, file.order_count + 1, PAGE):
        with read() as uow:
            page = _staged_page(uow, file, first, only)
        yield (file, *page)


def _staged_page(
    uow: UnitOfWork, file: FieldFile, first: int, only: set[int] | None
) -> tuple[list[int], dict[int, list[ReturnLine]]]:
    """The orders of the file's page from sequence ``first`` (those of
    ``only``) in file order, and their staged, not applied return lines."""
    wanted = list(range(first, min(first + PAGE, file.order_count + 1)))
    items = uow.field_file_items.find_by(file_id=file.id, sequence=wanted)
    ids = [
        i.order_id
        for i in sorted(items, key=lambda item: item.sequence)
        if only is None or i.order_id in only
    ]
    by_order: dict[int, list[ReturnLine]] = {}
    if not ids:
        return ids, by_order
    for line in uow.return_lines.find_by(file_id=file.id, order_id=ids, applied=False):
        by_order.setdefault(line.order_id, []).append(line)
    return ids, by_order
