"""Single commands beside their lean hand-written SQL (issue 20), alone.

``python -m benchmarks.commands [--size 100000] [--repeats 3] [--commands 200]
[--only NAME,...]``

One synthetic utility of ``--size`` properties on PostgreSQL (the scale
report's), its cut orders generated once; then, ``--repeats`` times, each
command and its lean version (:mod:`benchmarks.limits` and the
``benchmarks.lean_*`` modules: one joined read, one write statement) run in
alternating rounds of ten calls on different rows
(:func:`benchmarks.scale_commands.interleaved`). Printed per command: the median over
the repeats of the mean milliseconds per call, the spread (lowest and highest
repeat) and the ratio of the medians (target <= 2). The scale report measures
the same commands once per size, beside the batches; this is the quick way to
follow the commands alone. ``--only`` takes a comma-separated list of the
command names below (``COMMANDS``); any of them run together, every figure
and repeat writing ids of its own (:mod:`benchmarks.id_ranges`). Each
figure is printed to stderr as it ends.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Protocol

import gsan_core
from benchmarks import (
    id_ranges,
    lean_accounts,
    lean_bulletins,
    lean_connections,
    lean_desk,
    lean_desk2,
    lean_documents,
    lean_download,
    lean_field,
    lean_field_batches,
    lean_forwarding,
    lean_inform,
    lean_inform_notice,
    lean_meters,
    lean_meters2,
    lean_more,
    lean_notices,
    lean_orders,
    lean_orders2,
    lean_refunds,
    lean_repaving,
    lean_requests,
    lean_requests2,
    lean_scheduling,
    lean_sewer,
    lean_stock,
    lean_upkeep,
    scale,
    scale_commands,
)
from gsan_core.adapters.sqlalchemy import SqlBackend


def _repeat(step: Callable[[int], dict[str, Any]], repeats: int) -> dict[str, Any]:
    """The figure of ``step`` (given the repeat's number) over ``repeats``."""
    # each repeat's lean version and set-up take ids of their own: every
    # figure takes fresh ranges of benchmarks.id_ranges
    runs = [step(r) for r in range(repeats)]
    library = [float(f["library"]) for f in runs]
    baseline = [float(f["baseline"]) for f in runs]
    figure = dict(runs[0])
    figure |= {
        "library": statistics.median(library),
        "baseline": statistics.median(baseline),
        "library_spread": (min(library), max(library)),
        "baseline_spread": (min(baseline), max(baseline)),
        "repeats": repeats,
    }
    figure["ratio"] = figure["library"] / figure["baseline"]
    # a long run shows each figure as it ends (and keeps those done if a
    # later one fails)
    print(render([figure]).splitlines()[-1], file=sys.stderr, flush=True)
    return figure


class _MeterStep(Protocol):
    """A command measured by :mod:`benchmarks.lean_meters`, ``lean_stock`` or
    ``lean_connections``."""

    def __call__(
        self,
        gsan: gsan_core.System,
        sql: SqlBackend,
        size: int,
        count: int,
        *,
        skip: int,
    ) -> dict[str, Any]: ...


#: The meter, connection and request commands (:mod:`benchmarks.lean_meters`,
#: :mod:`benchmarks.lean_stock`, :mod:`benchmarks.lean_connections`,
#: :mod:`benchmarks.lean_requests`), each measured on rows of its own repeat
#: (changing a situation last: it leaves properties unconnected).
METER_STEPS: dict[str, _MeterStep] = {
    "check_open": lean_requests.measure_check_open,
    "relay_outbox": lean_requests.measure_relay,
    "cut_order": lean_requests.measure_cut_order,
    "reactivate": lean_requests.measure_reactivate,
    "forward_requests": lean_forwarding.measure_forward_many,
    "insert_meter": lean_meters.measure_insert,
    "update_meter": lean_meters.measure_update,
    "connect_water": lean_meters.measure_connect,
    "insert_range": lean_stock.measure_insert_range,
    "update_range": lean_stock.measure_update_range,
    "move_meters": lean_stock.measure_move,
    "delete_meter": lean_stock.measure_delete,
    "change_situation": lean_connections.measure_change_situation,
    "add_window": lean_desk.measure_add_window,
    "dispatch_messages": lean_desk.measure_dispatch,
    "compose_messages": lean_desk.measure_compose,
    # the other desk commands of the counter (benchmarks.lean_desk2)
    "send_message": lean_desk2.measure_send_message,
    "update_window": lean_desk2.measure_update_window,
    "remove_window": lean_desk2.measure_remove_window,
    # the scheduling commands (benchmarks.lean_scheduling), on teams and
    # orders of their own repeat
    "program_orders": lean_scheduling.measure_program,
    "move_order": lean_scheduling.measure_move,
    "schedule_auto": lean_scheduling.measure_automatic,
    # more commands of the list without a lean version (benchmarks.lean_more)
    "connect_sewer": lean_more.measure_connect_sewer,
    "update_property": lean_more.measure_update_property,
    "relate": lean_more.measure_relate,
    "end_relation": lean_more.measure_end_relation,
    # lean6: the maintenance commands of benchmarks.lean_upkeep
    "update_customer": lean_upkeep.measure_update_customer,
    "update_catalog": lean_upkeep.measure_update_catalog,
    "update_unit": lean_upkeep.measure_update_unit,
    "inform_repaving_return": lean_upkeep.measure_inform_repaving_return,
    "register_customer": lean_upkeep.measure_register_customer,
    "grant": lean_upkeep.measure_grant,
    # lean5: more order, outbox, request and meter commands, of the modules
    # benchmarks.lean_orders2, benchmarks.lean_requests2 and benchmarks.lean_meters2
    **lean_orders2.STEPS,
    **lean_requests2.STEPS,
    **lean_meters2.STEPS,
    # lean7: a repaving service's change (benchmarks.lean_repaving)
    "update_repaving_service": lean_repaving.measure_update_repaving_service,
    # lean7: a place's month of supply windows at once (benchmarks.lean_inform)
    "inform": lean_inform.measure_inform,
}
#: The account commands (:mod:`benchmarks.lean_accounts`), each measured on
#: properties with open debts of its own repeat.
ACCOUNT_STEPS: dict[str, _MeterStep] = {
    "debt_statement": lean_accounts.measure_statement,
    "customer_statement": lean_accounts.measure_customer_statement,
    "customer_certificate": lean_accounts.measure_customer_certificate,
    # a property's counter documents (benchmarks.lean_documents)
    "bill_copy": lean_documents.measure_bill_copy,
    "property_certificate": lean_documents.measure_certificate,
    # the refund of duplicated payments (benchmarks.lean_refunds), on refund
    # RAs opened for each repeat on properties of its own
    "refund": lean_refunds.measure,
}
#: The commands measured before any other: checking an RA's opening writes
#: nothing and needs properties without a pending RA of its specification
#: (INS-09), which the openings of the other figures would leave.
FIRST = ("check_open",)
#: The names ``--only`` selects from.
COMMANDS = (
    "close_cut",
    "open_request",
    *lean_orders.COMMANDS,
    *METER_STEPS,
    *ACCOUNT_STEPS,
    *lean_field.COMMANDS,
    *lean_field_batches.COMMANDS,
    *lean_sewer.COMMANDS,
    *lean_download.COMMANDS,
    *lean_notices.COMMANDS,
    *lean_inform_notice.COMMANDS,
    *lean_bulletins.COMMANDS,
)


def measure(
    size: int,
    repeats: int,
    commands: int,
    url: str,
    only: Sequence[str] = COMMANDS,
) -> list[dict[str, Any]]:
    """The commands' figures on a fresh utility of ``size`` properties."""
    with scale.utility("postgres", size, url) as (gsan, sql, _seconds):
        # the library's ids stay below the benchmarks' explicit ones
        id_ranges.check_below(sql)
        figures = _measure(gsan, sql, size, repeats, commands, only)
        id_ranges.check_below(sql)
        return figures


def _measure(
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    repeats: int,
    commands: int,
    only: Sequence[str],
) -> list[dict[str, Any]]:
    """The figures of :func:`measure` on its utility."""
    figures = []
    if "close_cut" in only:
        scale.library_cut_orders(gsan, scale.groups(sql))
        scale.analyze(sql)
    # each repeat closes and opens on rows of its own
    per = commands * 2
    first = [METER_STEPS[name] for name in FIRST if name in only]
    figures += [
        _repeat(partial(_meter_step, step, gsan, sql, size, commands, per), repeats)
        for step in first
    ]
    if "close_cut" in only:
        figures.append(
            _repeat(
                lambda r: _cut_closing(gsan, sql, size, commands, skip=r * per),
                repeats,
            )
        )
    if "open_request" in only:
        figures.append(
            _repeat(
                lambda r: _opening(gsan, sql, size, commands, skip=r * per),
                repeats,
            )
        )
    # the order and request commands (benchmarks.lean_orders), on RAs
    # opened for each repeat on properties no earlier one used
    chosen = [n for n in lean_orders.COMMANDS if n in only]
    if chosen:
        figures += _repeat_many(
            lambda _r: lean_orders.measure(
                gsan, sql, size, commands, chosen, homes=scale_commands.fresh
            ),
            repeats,
        )
    for name, step in {**METER_STEPS, **ACCOUNT_STEPS}.items():
        if name in only and name not in FIRST:
            figures.append(
                _repeat(
                    partial(_meter_step, step, gsan, sql, size, commands, per),
                    repeats,
                )
            )
    # applying field returns (benchmarks.lean_field), on files of orders
    # emitted for each repeat on a locality no earlier one used
    chosen = [n for n in lean_field.COMMANDS if n in only]
    if chosen:
        figures += _repeat_many(
            lambda _r: lean_field.measure(gsan, sql, size, commands, chosen),
            repeats,
        )
    # the heaviest field batches (benchmarks.lean_field_batches): selective
    # commands emitted for each repeat on localities no earlier one used,
    # repaving works made before each call
    chosen = [n for n in lean_field_batches.COMMANDS if n in only]
    if chosen:
        figures += _repeat_many(
            lambda _r: lean_field_batches.measure(gsan, sql, size, commands, chosen),
            repeats,
        )
    # a sewer command's orders (benchmarks.lean_sewer): commands of one
    # block of localities no earlier repeat used
    if "sewer_orders" in only:
        figures += _repeat_many(
            lambda _r: lean_sewer.measure(gsan, sql, size, commands), repeats
        )
    # downloading a field file (benchmarks.lean_download): released files of
    # orders emitted for each repeat on localities no earlier one used
    if "download_file" in only:
        figures += _repeat_many(
            lambda _r: lean_download.measure(gsan, sql, size, commands), repeats
        )
    # expiring notices (benchmarks.lean_notices): due notices made before
    # each call, untimed, on properties no earlier repeat used
    if "expire_notices" in only:
        figures += _repeat_many(
            lambda _r: lean_notices.measure(gsan, sql, size, commands), repeats
        )
    # notices2: a return issuing an infraction notice and a notice's change
    # (benchmarks.lean_inform_notice), on pending inspection orders made
    # before each round, untimed, and on notices added before the timing,
    # on properties no earlier repeat used
    if "inform_return_notice" in only:
        figures += _repeat_many(
            lambda _r: lean_inform_notice.measure(gsan, sql, size, commands),
            repeats,
        )
    if "update_notice" in only:
        figures += _repeat_many(
            lambda _r: lean_inform_notice.measure_update_notice(
                gsan, sql, size, commands
            ),
            repeats,
        )
    # lean8: the inspections' bulletin commands (benchmarks.lean_bulletins),
    # on concluded orders, their records and bulletins made before each
    # round, untimed
    for name, bulletin_step in lean_bulletins.STEPS.items():
        if name in only:
            figures += _repeat_many(
                partial(_no_repeat, bulletin_step, gsan, sql, size, commands),
                repeats,
            )
    return figures


def _no_repeat(
    step: Callable[[gsan_core.System, SqlBackend, int, int], list[dict[str, Any]]],
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    commands: int,
    _repeat: int,
) -> list[dict[str, Any]]:
    """``step``'s figures, whatever the repeat (each run takes ids and rows
    of its own)."""
    return step(gsan, sql, size, commands)


def _meter_step(
    step: _MeterStep,
    gsan: gsan_core.System,
    sql: SqlBackend,
    size: int,
    count: int,
    per: int,
    repeat: int,
) -> dict[str, Any]:
    """``step``'s figure for the ``repeat``-th repeat (``per`` commands a repeat
    before it)."""
    return step(gsan, sql, size, count, skip=repeat * per)


def _cut_closing(
    gsan: Any, sql: Any, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    # closed orders leave the pending ones: every repeat takes the next ones
    del skip
    return scale_commands.measure_cut_closing(gsan, sql, size, count)


def _opening(
    gsan: Any, sql: Any, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    # a property keeps its pending request (INS-09): every repeat opens on
    # properties no earlier one used
    del skip
    original = scale_commands.connected
    scale_commands.connected = scale_commands.fresh
    try:
        return scale_commands.measure_opening(gsan, sql, size, count)
    finally:
        scale_commands.connected = original


def _repeat_many(
    step: Callable[[int], list[dict[str, Any]]], repeats: int
) -> list[dict[str, Any]]:
    """:func:`_repeat` for a step that measures several commands at once."""
    runs = [step(r) for r in range(repeats)]
    return [_repeat(partial(_figure_of, runs, i), repeats) for i in range(len(runs[0]))]


def _figure_of(
    runs: Sequence[Sequence[dict[str, Any]]], index: int, repeat: int
) -> dict[str, Any]:
    """The ``index``-th figure of the ``repeat``-th run."""
    return runs[repeat][index]


def render(figures: Sequence[dict[str, Any]]) -> str:
    lines = [
        f"{'command':42} {'size':>8} {'library ms':>22} {'lean ms':>22} {'ratio':>6}"
    ]
    for f in figures:
        lo, hi = f["library_spread"]
        blo, bhi = f["baseline_spread"]
        lines.append(
            f"{f['name']:42} {f['size']:>8,} "
            f"{f['library']:>7.2f} ({lo:.2f}-{hi:.2f}) "
            f"{f['baseline']:>7.2f} ({blo:.2f}-{bhi:.2f}) {f['ratio']:>6.2f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.commands", description=__doc__
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--commands", type=int, default=200)
    parser.add_argument(
        "--postgres-url", default=os.environ.get("GSAN_CORE_TEST_POSTGRES_URL")
    )
    parser.add_argument(
        "--only",
        default=",".join(COMMANDS),
        help=f"comma-separated commands among {', '.join(COMMANDS)}",
    )
    args = parser.parse_args(argv)
    if not args.postgres_url:
        print("no --postgres-url", file=sys.stderr)
        return 2
    only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(only) - set(COMMANDS))
    if unknown:
        print(f"unknown commands: {', '.join(unknown)}", file=sys.stderr)
        return 2
    figures = measure(
        args.size, args.repeats, args.commands, args.postgres_url, only=only
    )
    print(render(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
