"""The commands of ``gsan-core`` (click), and the one place errors are printed."""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import attrs
import click

import gsan_core
from gsan_core import profiles
from gsan_core.cli.database import BadArgument, Database
from gsan_core.cli.output import err, out, phases, summary_table
from gsan_core.errors import GsanError
from gsan_core.services.collection import PROPERTIES_PER_CHUNK

__all__ = ["cli", "run"]

F = TypeVar("F", bound=Callable[..., Any])

#: Exit status of a bad argument or a refused command.
USAGE = 2
#: Environment variable naming the database of every command.
URL_VARIABLE = "GSAN_CORE_URL"
#: Environment variable that lets an unexpected error show its traceback.
DEBUG_VARIABLE = "GSAN_CORE_DEBUG"


@attrs.define
class State:
    """What the error handler needs to know about the running command."""

    #: ``gsan-core`` and the command running (what an error line starts with).
    command: str = "gsan-core"

    #: Said after an error of a long job that started writing: whether
    #: running it again resumes.
    resume: str | None = None
    started: bool = False

    def start(self) -> None:
        """The job started writing (an error now says whether re-running resumes)."""
        self.started = True


# ---------------------------------------------------------------- shared options
def database_options(*, create: bool = False) -> Callable[[F], F]:
    """``--url`` (``GSAN_CORE_URL``), ``--schema`` and ``--prefix``, checked
    into a :class:`Database` passed as ``database``."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(
            *args: Any, url: str | None, schema: str | None, prefix: str, **kw: Any
        ) -> Any:
            database = Database.parse(url, schema=schema, prefix=prefix, create=create)
            return function(*args, database=database, **kw)

        options = [
            click.option(
                "--url",
                envvar=URL_VARIABLE,
                metavar="URL",
                help=(
                    "The database: sqlite:///PATH or postgresql+psycopg://USER@HOST/DB "
                    f"[env var: {URL_VARIABLE}]"
                ),
            ),
            click.option(
                "--schema",
                default=None,
                metavar="NAME",
                help="PostgreSQL schema of the library's tables [default: the search path]",
            ),
            click.option(
                "--prefix",
                default="gsan_",
                show_default=True,
                help="Prefix of the library's table names.",
            ),
        ]
        decorated: Any = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


PROFILE = click.option(
    "--profile",
    default="gsan_default",
    show_default=True,
    help="Utility profile: a bundled name (gsan-core profiles) or a TOML/JSON path.",
)
ACTOR = click.option(
    "--actor",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="The user id recorded as having run the job.",
)
POSITIVE = click.IntRange(min=1)


def _named(ctx: click.Context) -> None:
    """Record the command about to run (a group's callback)."""
    if isinstance(ctx.obj, State) and ctx.invoked_subcommand is not None:
        ctx.obj.command = f"{ctx.command_path} {ctx.invoked_subcommand}"


# ---------------------------------------------------------------- the group
@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(
    gsan_core.__version__, "--version", message="gsan-core %(version)s"
)
@click.option(
    "-v",
    "--verbose",
    count=True,
    help="Show the library's log on stderr (-v: info, -vv: debug).",
)
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """The rules of GSAN's public service module: database, demo and batch jobs."""
    _named(ctx)
    if verbose:
        from rich.logging import RichHandler  # noqa: PLC0415

        logger = logging.getLogger("gsan_core")
        logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
        logger.addHandler(RichHandler(console=err(), show_path=False))


@cli.command()
@click.option(
    "--database",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("build/demo.sqlite"),
    show_default=True,
    help="The SQLite file the demo builds from scratch (it never reads --url).",
)
@click.option(
    "--properties",
    type=POSITIVE,
    default=350,
    show_default=True,
    help="Properties of the synthetic town.",
)
def demo(database: Path, properties: int) -> None:
    """Run the main job on an embedded SQLite file and narrate it."""
    from gsan_core.demo import run as run_demo  # noqa: PLC0415

    if database.exists() and not database.is_file():
        msg = f"{database} is not a file"
        raise BadArgument(msg)
    run_demo(database, properties=properties, out=click.echo)


@cli.group()
@click.pass_context
def db(ctx: click.Context) -> None:
    """Database migrations (Alembic, shipped with the library)."""
    _named(ctx)


@db.command()
@database_options(create=True)
def upgrade(database: Database) -> None:
    """Create or upgrade the library's tables to the newest revision."""
    from gsan_core.adapters.sqlalchemy.migrations import heads  # noqa: PLC0415

    before = database.revision()
    with database.connect(profile="gsan_default", migrate=True):
        pass
    newest = ", ".join(heads())
    if before is None:
        click.echo(f"created the gsan_core schema in {database.shown} ({newest})")
    elif before in heads():
        click.echo(f"{database.shown} is already at the newest revision ({newest})")
    else:
        click.echo(f"upgraded {database.shown} from {before} to {newest}")


@db.command()
@database_options()
def current(database: Database) -> None:
    """Show the revision the database is at and the newest one."""
    from gsan_core.adapters.sqlalchemy.migrations import heads  # noqa: PLC0415

    revision = database.revision()
    click.echo(f"database: {revision or '(none)'}; newest: {', '.join(heads())}")


@cli.command()
@database_options()
@PROFILE
def seed(database: Database, profile: str) -> None:
    """Insert the profile's reference rows that are missing."""
    database.require_schema()
    with database.connect(profile=profile) as system:
        added = system.seed()
    click.echo(f"seeded {added} reference rows from profile {profile}")


@cli.command()
@click.option(
    "--properties",
    type=POSITIVE,
    required=True,
    help="How many properties the synthetic utility has.",
)
@click.option(
    "--seed",
    "random_seed",
    type=int,
    default=2007,
    show_default=True,
    help="Seed of the random choices (same seed, same utility).",
)
@click.option(
    "--chunk-size",
    type=POSITIVE,
    default=20_000,
    show_default=True,
    help="Rows written per transaction.",
)
@database_options(create=True)
@PROFILE
@click.pass_obj
def generate(
    state: State,
    *,
    database: Database,
    profile: str,
    properties: int,
    random_seed: int,
    chunk_size: int,
) -> None:
    """Load a synthetic utility (migrates and seeds the database first)."""
    from gsan_core.synthetic import generate as load  # noqa: PLC0415

    state.resume = (
        "each chunk was committed: running the same command again resumes "
        "where it stopped"
    )
    with (
        database.connect(profile=profile, migrate=True, seed=True) as system,
        phases(state.start) as bars,
    ):
        summary = load(
            system,
            properties=properties,
            seed=random_seed,
            chunk_size=chunk_size,
            phases=bars.update,
        )
    out().print(
        summary_table(
            f"Synthetic utility in {database.shown}",
            [
                ("localities", summary.localities),
                ("sectors", summary.sectors),
                ("routes", summary.routes),
                ("blocks", summary.blocks),
                ("properties", summary.properties),
                ("water connections", summary.water_connections),
                ("sewer connections", summary.sewer_connections),
                ("meters", summary.hydrometers),
                ("open bills", summary.debts),
                ("organisational units", summary.units),
            ],
        )
    )


def _groups(system: gsan_core.System) -> list[int]:
    with system.uow_factory() as uow:
        return sorted({r.group_id for r in uow.routes.find_by()})


@cli.command("cut-orders")
@click.option(
    "--group",
    "group_ids",
    type=int,
    multiple=True,
    metavar="ID",
    help="A collection group (repeat for several).",
)
@click.option(
    "--all-groups", is_flag=True, help="Every collection group of the database."
)
@click.option(
    "--properties-per-chunk",
    type=POSITIVE,
    default=PROPERTIES_PER_CHUNK,
    show_default=True,
    help="Whole routes packed per transaction up to this many properties.",
)
@click.option(
    "--routes-per-chunk",
    type=POSITIVE,
    default=None,
    help="Whole routes per transaction instead (1 is GSAN's split).",
)
@ACTOR
@database_options()
@PROFILE
@click.pass_obj
def cut_orders(
    state: State,
    *,
    database: Database,
    profile: str,
    group_ids: tuple[int, ...],
    all_groups: bool,
    properties_per_chunk: int,
    routes_per_chunk: int | None,
    actor: int,
) -> None:
    """Generate the cut orders of collection groups (CUT-1..CUT-4)."""
    if bool(group_ids) == all_groups:
        msg = "give --group ID (one or more) or --all-groups"
        raise click.UsageError(msg)
    database.require_schema()
    with database.connect(profile=profile) as system:
        known = _groups(system)
        unknown = sorted(set(group_ids) - set(known))
        if unknown:
            listed = ", ".join(str(g) for g in known) or "none"
            msg = f"unknown collection group {unknown[0]} (groups of the database: {listed})"
            raise BadArgument(msg)
        groups = known if all_groups else sorted(set(group_ids))
        state.resume = (
            "the chunks before the error were committed and a property with an "
            "open cut order is skipped: running the same command again resumes"
        )
        runs: list[Any]
        with phases(state.start) as bars:
            if routes_per_chunk is None:
                # issue 20: one run, its chunks packed across the groups
                runs = [
                    system.collection.generate_cut_orders_of_groups(
                        group_ids=groups,
                        actor=actor,
                        properties_per_chunk=properties_per_chunk,
                        progress=bars.of("route chunks", "chunks"),
                    )
                ]
            else:
                runs = [
                    system.collection.generate_cut_orders(
                        group_id=group,
                        actor=actor,
                        routes_per_chunk=routes_per_chunk,
                        progress=bars.of(f"group {group}: route chunks", "chunks"),
                    )
                    for group in groups
                ]
    table = summary_table(
        "Cut orders",
        [
            ("groups", len(groups)),
            ("properties evaluated", sum(r.evaluated for r in runs)),
            ("cut orders generated", sum(r.generated for r in runs)),
            ("seconds", sum(r.summary.elapsed_seconds for r in runs)),
        ],
        extra=_skipped(r.summary.skipped for r in runs),
    )
    out().print(table)


def _skipped(summaries: Iterator[Any] | Sequence[Any]) -> dict[str, int]:
    total: dict[str, int] = {}
    for skipped in summaries:
        for reason, count in skipped.items():
            key = f"skipped: {reason}"
            total[key] = total.get(key, 0) + count
    return dict(sorted(total.items()))


def _batch_table(title: str, summary: Any, changed: str) -> None:
    out().print(
        summary_table(
            title,
            [
                ("processing units", summary.units),
                ("candidates", summary.processed),
                (changed, summary.changed),
                ("seconds", summary.elapsed_seconds),
            ],
            extra=_skipped(iter([summary.skipped])),
        )
    )


BATCH_RESUMES = (
    "each processing unit commits on its own and the selection skips what is "
    "done: running the same command again resumes"
)


@cli.command("close-overdue")
@click.option(
    "--service-type",
    "service_type_id",
    type=POSITIVE,
    required=True,
    help="Service type of the orders (role service_type.overdue_closable).",
)
@click.option(
    "--days",
    type=click.IntRange(min=0),
    required=True,
    help="Close the pending orders generated more than this many days ago.",
)
@click.option(
    "--chunk-size",
    type=POSITIVE,
    default=1_000,
    show_default=True,
    help="Orders closed per transaction.",
)
@ACTOR
@database_options()
@PROFILE
@click.pass_obj
def close_overdue(
    state: State,
    *,
    database: Database,
    profile: str,
    service_type_id: int,
    days: int,
    chunk_size: int,
    actor: int,
) -> None:
    """Close the overdue orders of a service type (UC0734, VEN-01..VEN-03)."""
    database.require_schema()
    state.resume = BATCH_RESUMES
    with database.connect(profile=profile) as system, phases(state.start) as bars:
        summary = system.service_orders.close_overdue(
            service_type_id=service_type_id,
            days=days,
            actor=actor,
            chunk_size=chunk_size,
            progress=bars.of("closing overdue orders", "chunks"),
        )
    _batch_table("Overdue orders", summary, "orders closed")


@cli.command("reconnect-by-consumption")
@click.option(
    "--reference",
    type=click.IntRange(min=190001, max=999912),
    required=True,
    metavar="YYYYMM",
    help="The billing month whose real consumption is read.",
)
@ACTOR
@database_options()
@PROFILE
@click.pass_obj
def reconnect_by_consumption(
    state: State, *, database: Database, profile: str, reference: int, actor: int
) -> None:
    """Reconnect cut properties with real consumption (UC1073), per locality."""
    if not 1 <= reference % 100 <= 12:
        msg = f"--reference {reference} is not a month (YYYYMM)"
        raise BadArgument(msg)
    database.require_schema()
    state.resume = BATCH_RESUMES
    with database.connect(profile=profile) as system, phases(state.start) as bars:
        summary = system.connections.reconnect_cut_with_real_consumption(
            reference=reference,
            actor=actor,
            progress=bars.of("localities", "localities"),
        )
    _batch_table("Reconnection by consumption", summary, "properties reconnected")


@cli.command("promote-analysis")
@ACTOR
@database_options()
@PROFILE
@click.pass_obj
def promote_analysis(
    state: State, *, database: Database, profile: str, actor: int
) -> None:
    """Promote "ligado em análise" to LIGADO (UC0823), per locality."""
    database.require_schema()
    state.resume = BATCH_RESUMES
    with database.connect(profile=profile) as system, phases(state.start) as bars:
        summary = system.connections.promote_connected_under_analysis(
            actor=actor,
            progress=bars.of("localities", "localities"),
        )
    _batch_table("Connected under analysis", summary, "properties promoted")


@cli.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def bench(arguments: tuple[str, ...]) -> int:
    """The scale benchmark (from a source checkout; its own --help)."""
    import importlib  # noqa: PLC0415

    sys.path.insert(0, str(Path.cwd()))
    try:
        scale = importlib.import_module("benchmarks.scale")
    except ImportError:
        msg = (
            "the benchmark ships with the source, not the wheel: run it from a "
            "gsan_core source checkout with the 'bench' extra installed"
        )
        raise BadArgument(msg) from None
    status: int = scale.main(list(arguments))
    return status


@cli.command("profiles")
def list_profiles() -> None:
    """List the bundled utility profiles."""
    for name in profiles.available():
        loaded = profiles.load(name)
        click.echo(f"{name:15} {loaded.profile.description}")


# ---------------------------------------------------------------- running
_PASSWORD = re.compile(r"://[^/@:\s]*:([^@\s]+)@")


def _secrets(argv: Sequence[str]) -> list[str]:
    """The passwords of the URLs given (to scrub from anything printed)."""
    texts = [*argv, os.environ.get(URL_VARIABLE, "")]
    return [m.group(1) for text in texts for m in _PASSWORD.finditer(text)]


def _one_line(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else text


@contextmanager
def _reported(argv: Sequence[str], state: State) -> Iterator[list[int]]:
    status = [0]
    secrets = _secrets(argv)

    def fail(message: str, code: int = USAGE) -> None:
        text = _one_line(message, secrets)
        if state.resume and state.started:
            text = f"{text.rstrip('.')}; {state.resume}"
        err().print(f"{state.command}: error: {text}", markup=False)
        status[0] = code

    try:
        yield status
    except click.UsageError as error:
        if error.ctx is not None:
            state.command = error.ctx.command_path
        fail(error.format_message())
    except click.ClickException as error:
        fail(error.format_message())
    except (BadArgument, GsanError) as error:
        fail(str(error))
    except click.Abort:
        fail("interrupted", 130)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE) == "1":
            raise
        fail(_unexpected(error), 1)


def _unexpected(error: Exception) -> str:
    """An error the library did not translate, without SQL or parameters."""
    original = getattr(error, "orig", None)
    if original is not None:  # a DBAPI error wrapped by SQLAlchemy
        first = str(original).strip().splitlines()
        return f"database error: {first[0] if first else type(original).__name__}"
    return (
        f"unexpected {type(error).__name__}; set {DEBUG_VARIABLE}=1 to see the "
        "traceback"
    )


def run(argv: list[str]) -> int:
    """Run ``cli`` on ``argv``; every error becomes one line on stderr."""
    state = State()
    if not argv:
        err().print(
            "gsan-core: error: a command is required (gsan-core --help lists them)"
        )
        return USAGE
    with _reported(argv, state) as status:
        result = cli.main(
            args=argv, prog_name="gsan-core", standalone_mode=False, obj=state
        )
        status[0] = result if isinstance(result, int) else 0
    return status[0]
