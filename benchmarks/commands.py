"""Single commands beside their lean hand-written SQL (issue 20), alone.

``python -m benchmarks.commands [--size 100000] [--repeats 3] [--commands 200]
[--only cut-closing,opening,meter-insert,meter-update,connect-water]``

One synthetic utility of ``--size`` properties on PostgreSQL (the scale
report's), its cut orders generated once; then, ``--repeats`` times, each
command and its lean version (:mod:`benchmarks.limits`, :mod:`benchmarks.lean_meters`: one joined read, one
write statement) run in alternating rounds of ten calls on different rows
(:func:`benchmarks.scale._interleaved`). Printed per command: the median over
the repeats of the mean milliseconds per call, the spread (lowest and highest
repeat) and the ratio of the medians (target <= 2). The scale report measures
the same commands once per size, beside the batches; this is the quick way to
follow the commands alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks import lean_meters, scale


def _repeat(step: Callable[[int], dict[str, Any]], repeats: int) -> dict[str, Any]:
    """The figure of ``step`` (given the repeat's number) over ``repeats``."""
    runs = []
    base = scale.BASELINE_IDS
    try:
        for r in range(repeats):
            # the lean versions take ids from a fixed start: one range a repeat
            scale.BASELINE_IDS = base + r * 100_000
            runs.append(step(r))
    finally:
        scale.BASELINE_IDS = base
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
    return figure


Step = Callable[..., dict[str, Any]]


def _steps() -> dict[str, Step]:
    """The commands measured, by the name ``--only`` takes."""
    steps: dict[str, Step] = {"cut-closing": _cut_closing, "opening": _opening}
    # the meters and connections (issue 20, fifth round)
    steps |= {
        "meter-insert": lean_meters.measure_insert,
        "meter-update": lean_meters.measure_update,
        "connect-water": lean_meters.measure_connect,
    }
    return steps


def measure(
    size: int,
    repeats: int,
    commands: int,
    url: str,
    only: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The figures of the commands (``only`` those named) on a fresh utility
    of ``size`` properties."""
    steps = _steps()
    chosen = list(steps) if only is None else [n for n in steps if n in only]
    with scale.utility("postgres", size, url) as (gsan, sql, _seconds):
        if "cut-closing" in chosen:
            scale.library_cut_orders(gsan, scale.groups(sql))
            scale.analyze(sql)
        # each repeat works on rows of its own
        per = commands * 2
        return [
            _repeat(
                lambda r, step=steps[name]: step(  # type: ignore[misc]
                    gsan, sql, size, commands, skip=r * per
                ),
                repeats,
            )
            for name in chosen
        ]


def _cut_closing(
    gsan: Any, sql: Any, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    # closed orders leave the pending ones: every repeat takes the next ones
    del skip
    return scale.measure_cut_closing(gsan, sql, size, count)


def _opening(
    gsan: Any, sql: Any, size: int, count: int, *, skip: int
) -> dict[str, Any]:
    # a property keeps its pending request (INS-09): every repeat opens on
    # properties no earlier one used
    del skip
    original = scale._connected

    def fresh(sql: Any, *, metered: bool, limit: int) -> list[int]:
        found = original(sql, metered=metered, limit=limit + len(_USED))
        chosen = [i for i in found if i not in _USED][:limit]
        _USED.update(chosen)
        return chosen

    scale._connected = fresh  # type: ignore[assignment]
    try:
        return scale.measure_opening(gsan, sql, size, count)
    finally:
        scale._connected = original  # type: ignore[assignment]


_USED: set[int] = set()


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
        type=lambda text: [n.strip() for n in text.split(",") if n.strip()],
        default=None,
        help=f"comma-separated commands among {', '.join(_steps())}",
    )
    args = parser.parse_args(argv)
    if not args.postgres_url:
        print("no --postgres-url", file=sys.stderr)
        return 2
    unknown = sorted(set(args.only or ()) - set(_steps()))
    if unknown:
        print(f"unknown commands: {', '.join(unknown)}", file=sys.stderr)
        return 2
    figures = measure(
        args.size, args.repeats, args.commands, args.postgres_url, only=args.only
    )
    print(render(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
