"""``gsan-core`` / ``python -m gsan_core``: demo, database migrations, seeding.

gsan-core demo [--database build/demo.sqlite]
gsan-core db upgrade URL [--schema S] [--prefix P]
gsan-core db current URL
gsan-core seed URL [--profile NAME_OR_PATH]
gsan-core generate --properties N --url URL
gsan-core cut-orders --url URL (--group G ... | --all-groups) [--routes-per-chunk K]
gsan-core bench [--quick] [--sizes N,...] [--backends sqlite,postgres]
gsan-core profiles
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from gsan_core import profiles
from gsan_core.errors import GsanError

__all__ = ["main"]


def _demo(args: argparse.Namespace) -> int:
    from gsan_core.demo import run  # noqa: PLC0415

    run(Path(args.database), properties=args.properties, out=print)
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from gsan_core.adapters.sqlalchemy import SqlBackend  # noqa: PLC0415

    backend = SqlBackend.open(args.url, schema=args.schema, prefix=args.prefix)
    try:
        backend.upgrade()
    finally:
        backend.dispose()
    print(f"upgraded {args.url} to the newest gsan_core revision")
    return 0


def _current(args: argparse.Namespace) -> int:
    from gsan_core.adapters.sqlalchemy import create_engine  # noqa: PLC0415
    from gsan_core.adapters.sqlalchemy.migrations import current, heads  # noqa: PLC0415

    engine = create_engine(args.url)
    try:
        revision = current(engine, schema=args.schema, prefix=args.prefix)
    finally:
        engine.dispose()
    print(f"database: {revision or '(none)'}; newest: {', '.join(heads())}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from gsan_core.system import connect  # noqa: PLC0415

    with connect(
        args.url, profile=args.profile, schema=args.schema, prefix=args.prefix
    ) as system:
        added = system.seed()
    print(f"seeded {added} reference rows from profile {args.profile}")
    return 0


class _Bar:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, label: str, width: int = 30) -> None:
        self.label = label
        self.width = width

    def __call__(self, done: int, total: int | None) -> None:
        if total:
            filled = int(self.width * done / total)
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"\r{self.label} [{bar}] {done}/{total}"
        else:
            text = f"\r{self.label} {done}"
        print(text, end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        print(file=sys.stderr)


def _generate(args: argparse.Namespace) -> int:
    from gsan_core.synthetic import generate  # noqa: PLC0415
    from gsan_core.system import connect  # noqa: PLC0415

    bar = _Bar("properties")
    with connect(
        args.url,
        profile=args.profile,
        schema=args.schema,
        prefix=args.prefix,
        migrate=True,
        seed=True,
    ) as system:
        summary = generate(
            system, properties=args.properties, seed=args.seed, progress=bar
        )
    bar.close()
    print(
        f"{summary.properties} properties, {summary.water_connections} water and "
        f"{summary.sewer_connections} sewer connections, {summary.hydrometers} "
        f"meters, {summary.debts} open bills, {summary.routes} routes, "
        f"{summary.blocks} blocks, {summary.localities} localities, "
        f"{summary.units} units"
    )
    return 0


def _cut_orders(args: argparse.Namespace) -> int:
    from gsan_core.system import connect  # noqa: PLC0415

    with connect(
        args.url, profile=args.profile, schema=args.schema, prefix=args.prefix
    ) as system:
        if args.all_groups:
            with system.uow_factory() as uow:
                groups = sorted({r.group_id for r in uow.routes.find_by()} - {None})
        else:
            groups = args.group
        generated = evaluated = 0
        skipped: dict[str, int] = {}
        for group in groups:
            bar = _Bar(f"group {group}")
            run = system.collection.generate_cut_orders(
                group_id=group,
                actor=args.actor,
                routes_per_chunk=args.routes_per_chunk,
                progress=lambda p, bar=bar: bar(p.units_done, p.units_total),  # type: ignore[misc]
            )
            bar.close()
            generated += run.generated
            evaluated += run.evaluated
            for reason, count in run.summary.skipped.items():
                skipped[reason] = skipped.get(reason, 0) + count
    print(f"{generated} cut orders generated, {evaluated} properties evaluated")
    for reason, count in sorted(skipped.items()):
        print(f"  skipped: {reason}: {count}")
    return 0


def _bench(rest: Sequence[str]) -> int:
    """The scale benchmark ships with the source tree, not with the wheel."""
    import importlib  # noqa: PLC0415

    sys.path.insert(0, str(Path.cwd()))
    try:
        scale = importlib.import_module("benchmarks.scale")
    except ImportError as error:
        print(
            "gsan-core bench: run it from a gsan_core source checkout with the "
            f"'bench' extra installed ({error})",
            file=sys.stderr,
        )
        return 2
    status: int = scale.main(list(rest))
    return status


def _profiles(_: argparse.Namespace) -> int:
    for name in profiles.available():
        loaded = profiles.load(name)
        print(f"{name:15} {loaded.profile.description}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gsan-core", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser(
        "demo", help="run the main job on an embedded SQLite file"
    )
    demo.add_argument("--database", default="build/demo.sqlite")
    demo.add_argument("--properties", type=int, default=350)
    demo.set_defaults(run=_demo)

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    for name, function, text in (
        ("upgrade", _upgrade, "upgrade to the newest revision"),
        ("current", _current, "show the current revision"),
    ):
        sub = db_commands.add_parser(name, help=text)
        sub.add_argument("url")
        sub.add_argument("--schema", default=None)
        sub.add_argument("--prefix", default="gsan_")
        sub.set_defaults(run=function)

    seed = commands.add_parser("seed", help="insert a profile's reference rows")
    seed.add_argument("url")
    seed.add_argument("--profile", default="gsan_default")
    seed.add_argument("--schema", default=None)
    seed.add_argument("--prefix", default="gsan_")
    seed.set_defaults(run=_seed)

    generate = commands.add_parser("generate", help="load a synthetic utility")
    generate.add_argument("--properties", type=int, required=True)
    generate.add_argument("--url", required=True)
    generate.add_argument("--seed", type=int, default=2007)
    generate.add_argument("--profile", default="gsan_default")
    generate.add_argument("--schema", default=None)
    generate.add_argument("--prefix", default="gsan_")
    generate.set_defaults(run=_generate)

    cut = commands.add_parser(
        "cut-orders", help="generate the cut orders of collection groups"
    )
    cut.add_argument("--url", required=True)
    which = cut.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", type=int, action="append")
    which.add_argument("--all-groups", action="store_true")
    cut.add_argument("--routes-per-chunk", type=int, default=8)
    cut.add_argument("--actor", type=int, default=1)
    cut.add_argument("--profile", default="gsan_default")
    cut.add_argument("--schema", default=None)
    cut.add_argument("--prefix", default="gsan_")
    cut.set_defaults(run=_cut_orders)

    bench = commands.add_parser(
        "bench",
        help="the scale benchmark (python -m benchmarks.scale; from a checkout)",
        add_help=False,
    )
    bench.set_defaults(run=lambda _: _bench([]))

    listing = commands.add_parser("profiles", help="list the bundled profiles")
    listing.set_defaults(run=_profiles)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["bench"]:  # its options belong to benchmarks.scale
        return _bench(given[1:])
    args = _parser().parse_args(given)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except GsanError as error:
        print(f"gsan-core: {error}", file=sys.stderr)
        return 1
