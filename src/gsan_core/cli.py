"""``gsan-core`` / ``python -m gsan_core``: demo, database migrations, seeding.

gsan-core demo [--database build/demo.sqlite]
gsan-core db upgrade URL [--schema S] [--prefix P]
gsan-core db current URL
gsan-core seed URL [--profile NAME_OR_PATH]
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
        f"{summary.properties} properties, {summary.debts} open bills, "
        f"{summary.routes} routes, {summary.blocks} blocks, "
        f"{summary.localities} localities, {summary.units} units"
    )
    return 0


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

    listing = commands.add_parser("profiles", help="list the bundled profiles")
    listing.set_defaults(run=_profiles)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except GsanError as error:
        print(f"gsan-core: {error}", file=sys.stderr)
        return 1
