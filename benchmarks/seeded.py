"""A seeded synthetic utility on PostgreSQL, generated once and cloned per pass.

Seeding a synthetic utility through the library takes minutes at 1 million
properties (~15-25 min on the project's 2 cores), far longer than the figures
measured on it. :func:`seeded` keeps the seeded schema as a PostgreSQL
*template database* named after what decides its content (the size, the seed,
and a digest of the generator's and the schema's source), and gives every pass
its own copy (``CREATE DATABASE ... TEMPLATE``, a file copy: about a minute at
1 million properties), dropped at the end. A second run of the same size
reuses the template; a change to the generator or the schema names a new one.
``--fresh-seed`` (``GSAN_CORE_BENCH_FRESH_SEED=1``) drops and re-seeds it.

The template is named only once complete (it is seeded as ``..._building`` and
renamed), so an interrupted seeding is started again, never reused.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlalchemy as sa

import gsan_core
from benchmarks.orders import Scratch, postgres_url
from gsan_core.adapters.sqlalchemy import SqlBackend, create_engine
from gsan_core.adapters.sqlalchemy.schema import build_tables
from gsan_core.synthetic import generate

SCHEMA = "gsan_bench"
#: What decides the seeded rows: the generator, its test-data helpers, the
#: schema and the profiles (reference rows); the library's services do not
#: (a change to a batch must not force a 20-minute re-seeding).
_SOURCES = ("synthetic.py", "adapters/sqlalchemy/schema", "testing", "profiles")


def _digest() -> str:
    """What decides a seeded utility's content besides its size and seed."""
    root = Path(gsan_core.__file__).parent
    text = hashlib.sha256(gsan_core.__version__.encode())
    for name in _SOURCES:
        path = root / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix != ".pyc":
                text.update(file.read_bytes())
    text.update(Path(__file__).with_name("orders.py").read_bytes())
    return text.hexdigest()[:10]


def _admin(url: sa.URL) -> sa.Engine:
    return create_engine(
        url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT"
    )


def _exists(admin: sa.Engine, name: str) -> bool:
    with admin.connect() as connection:
        return bool(
            connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).scalar()
        )


def _drop(admin: sa.Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


#: Builds the seeded system over a scratch (its profile and clock).
SystemFactory = Callable[[Scratch], "gsan_core.System"]


def _default_system(db: Scratch) -> gsan_core.System:
    return db.system(keep_events=False)


def _seed(
    url: sa.URL,
    admin: sa.Engine,
    name: str,
    *,
    properties: int,
    seed: int,
    system: SystemFactory,
    today: date | None,
) -> None:
    building = f"{name}_building"
    _drop(admin, building)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{building}"')
    engine = create_engine(
        url.set(database=building).render_as_string(hide_password=False)
    )
    try:
        with engine.begin() as connection:
            connection.execute(sa.schema.CreateSchema(SCHEMA))
        backend = SqlBackend(engine, tables=build_tables(schema=SCHEMA))
        backend.create_all()
        db = Scratch(backend, "postgresql")
        generate(system(db), properties=properties, seed=seed, today=today)
        db.vacuum()
    finally:
        engine.dispose()
    with admin.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{building}" RENAME TO "{name}"')


def template_name(
    properties: int, *, seed: int, tag: str = "", url: str | None = None
) -> str:
    """The name of the template database :func:`seeded` copies."""
    base = sa.make_url(url or postgres_url()).database or "postgres"
    label = f"_{tag}" if tag else ""
    return f"{base}_tpl_{properties}_{seed}{label}_{_digest()}"


def drop_template(
    properties: int, *, seed: int, tag: str = "", url: str | None = None
) -> None:
    """Drop the template of ``properties`` (``seed``, ``tag``), if any."""
    admin = _admin(sa.make_url(url or postgres_url()))
    try:
        _drop(admin, template_name(properties, seed=seed, tag=tag, url=url))
    finally:
        admin.dispose()


@contextmanager
def seeded(
    properties: int,
    *,
    seed: int,
    system: SystemFactory = _default_system,
    today: date | None = None,
    tag: str = "",
    url: str | None = None,
) -> Iterator[Scratch]:
    """A private copy of the synthetic utility of ``properties`` properties
    (``seed``), from its template database (seeded first if missing).

    ``system`` builds the system the generator loads through (its profile
    decides the reference rows; default: :meth:`Scratch.system`) and ``today``
    the generator's date; a caller passing either names its templates apart
    with ``tag`` (part of the database name). ``url`` is the server (default:
    :func:`benchmarks.orders.postgres_url`)."""
    server = sa.make_url(url or postgres_url())
    base = server.database or "postgres"
    admin = _admin(server)
    name = template_name(properties, seed=seed, tag=tag, url=url)
    try:
        if os.environ.get("GSAN_CORE_BENCH_FRESH_SEED") == "1":
            _drop(admin, name)
        if not _exists(admin, name):
            _seed(
                server,
                admin,
                name,
                properties=properties,
                seed=seed,
                system=system,
                today=today,
            )
        copy = f"{base}_pass_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'CREATE DATABASE "{copy}" TEMPLATE "{name}" STRATEGY FILE_COPY'
            )
        engine = create_engine(
            server.set(database=copy).render_as_string(hide_password=False),
            pool_size=2,
        )
        try:
            yield Scratch(
                SqlBackend(engine, tables=build_tables(schema=SCHEMA)), "postgresql"
            )
        finally:
            engine.dispose()
            _drop(admin, copy)
    finally:
        admin.dispose()
