"""The ``gsan-core`` command line, with its output captured."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import gsan_core
from gsan_core import profiles
from gsan_core.adapters.sqlalchemy.migrations import heads
from gsan_core.cli import main
from gsan_core.services.collection import PROPERTIES_PER_CHUNK
from gsan_core.synthetic import generate
from tests.conftest import POSTGRES_URL
from tests.integration.conftest import Database

SECRET = "s3cr3t-pw"


def one_error_line(
    capsys: pytest.CaptureFixture[str],
    *,
    starts: str = "gsan-core",
    after_progress: bool = False,
) -> str:
    """The single line a failed command printed on stderr (nothing on stdout);
    ``after_progress``: the last line, after the progress bars."""
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 or (after_progress and len(lines) > 1), captured.err
    lines = lines[-1:]
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert SECRET not in captured.err
    assert lines[0].startswith(starts), lines[0]
    assert ": error: " in lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def utility_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small utility generated once per module (a SQLite file)."""
    path = tmp_path_factory.mktemp("utility") / "utility.db"
    with gsan_core.connect(f"sqlite:///{path}", migrate=True, seed=True) as system:
        generate(system, properties=400)
        with system.backend.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def utility(utility_file: Path, tmp_path: Path) -> str:
    """A copy of the small generated utility (its URL)."""
    path = tmp_path / "utility.db"
    shutil.copyfile(utility_file, path)
    return f"sqlite:///{path}"


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"gsan-core {gsan_core.__version__}\n"
    assert main(["--help"]) == 0
    text = capsys.readouterr().out
    for command in ("db", "seed", "generate", "cut-orders", "close-overdue", "demo"):
        assert command in text
    assert main(["cut-orders", "--help"]) == 0
    text = capsys.readouterr().out
    assert "GSAN_CORE_URL" in text
    assert f"[default: {PROPERTIES_PER_CHUNK}" in text  # --properties-per-chunk


def test_demo_builds_and_narrates_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "sub" / "demo.sqlite"
    assert main(["demo", "--database", str(database), "--properties", "60"]) == 0
    out = capsys.readouterr().out
    assert "== 1. A synthetic town" in out
    assert "Profile: gsan_default" in out
    assert (
        "Loaded 2 localities, 2 sectors, 8 blocks, 1 routes, 60 properties, 7 units"
        in out
    )
    assert "Properties by water situation:" in out
    assert "LIGADO (3)" in out
    assert "GERENCIA REGIONAL" in out
    assert f"Demo database: {database}" in out
    assert database.is_file()
    # a second run starts from scratch
    assert main(["demo", "--database", str(database), "--properties", "10"]) == 0
    assert "10 properties" in capsys.readouterr().out


def test_db_upgrade_current_and_seed(
    empty_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    url = empty_database.url
    where = ["--url", url, "--prefix", "cli_"]
    if empty_database.schema is not None:
        where += ["--schema", empty_database.schema]
    newest = heads()[0]
    if url.startswith("sqlite"):
        assert main(["db", "current", *where]) == 2  # never created silently
        assert "no SQLite database" in one_error_line(capsys)
    else:
        assert main(["db", "current", *where]) == 0
        assert capsys.readouterr().out == f"database: (none); newest: {newest}\n"
    assert main(["seed", *where]) == 2
    assert "gsan-core db upgrade" in one_error_line(capsys)
    assert main(["db", "upgrade", *where]) == 0
    assert capsys.readouterr().out.startswith("created the gsan_core schema in ")
    assert main(["db", "upgrade", *where]) == 0
    assert "already at the newest revision" in capsys.readouterr().out
    assert main(["db", "current", *where]) == 0
    assert capsys.readouterr().out == f"database: {newest}; newest: {newest}\n"
    assert main(["seed", *where, "--profile", "cagepa"]) == 0
    first = capsys.readouterr().out
    assert first.startswith("seeded ")
    assert first.endswith(" reference rows from profile cagepa\n")
    assert int(first.split()[1]) > 80
    assert main(["seed", *where]) == 0
    assert (
        capsys.readouterr().out == "seeded 0 reference rows from profile gsan_default\n"
    )


@pytest.mark.postgres
def test_upgrade_never_prints_the_password(
    postgres: object, capsys: pytest.CaptureFixture[str]
) -> None:
    assert POSTGRES_URL is not None
    empty_database = Database(POSTGRES_URL, f"gsan_pw_{uuid.uuid4().hex[:10]}")
    try:
        _never_the_password(empty_database, capsys)
    finally:
        empty_database.dispose()


def _never_the_password(
    empty_database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert empty_database.schema is not None
    user, _, rest = empty_database.url.partition("@")
    url = f"{user}:{SECRET}@{rest}"  # trust auth: any password is accepted
    where = ["--url", url, "--schema", empty_database.schema]
    assert main(["db", "upgrade", *where]) == 0
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert ":***@" in captured.out
    assert main(["cut-orders", *where, "--group", "77"]) == 2
    assert "unknown collection group 77" in one_error_line(capsys)
    unreachable = url.replace(rest.split("/")[0], "127.0.0.1:1")
    assert main(["db", "current", "--url", unreachable]) == 2
    assert "database error" in one_error_line(capsys)


def test_the_url_comes_from_the_environment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GSAN_CORE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["db", "upgrade"]) == 0
    assert "created the gsan_core schema" in capsys.readouterr().out
    assert main(["seed"]) == 0
    assert capsys.readouterr().out.startswith("seeded ")
    monkeypatch.delenv("GSAN_CORE_URL")
    assert main(["seed"]) == 2
    assert "pass --url or set GSAN_CORE_URL" in one_error_line(capsys)


def _without(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, *args: object) -> object:
        return None if name == module else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


BAD_ARGUMENTS = {
    "malformed url": (["seed", "--url", "sqlite:/x::y@@"], "malformed database URL"),
    "not a url": (["db", "current", "--url", "gsan.db"], "malformed database URL"),
    "unknown dialect": (
        ["seed", "--url", f"mysql://root:{SECRET}@localhost/gsan"],
        "unknown database dialect 'mysql'",
    ),
    "other postgres driver": (
        ["seed", "--url", f"postgresql+psycopg2://u:{SECRET}@h/d"],
        "use a postgresql+psycopg:// URL",
    ),
    "missing sqlite file": (
        ["cut-orders", "--url", "sqlite:///{tmp}/nothing.db", "--all-groups"],
        "no SQLite database at",
    ),
    "missing folder": (
        ["db", "upgrade", "--url", "sqlite:///{tmp}/no/such/dir.db"],
        "does not exist",
    ),
    "zero properties": (
        ["generate", "--properties", "0", "--url", "sqlite:///{tmp}/g.db"],
        "Invalid value for '--properties'",
    ),
    "negative properties": (
        ["generate", "--properties", "-5", "--url", "sqlite:///{tmp}/g.db"],
        "Invalid value for '--properties'",
    ),
    "zero chunk": (
        ["cut-orders", "--url", "{utility}", "--all-groups", "--routes-per-chunk", "0"],
        "Invalid value for '--routes-per-chunk'",
    ),
    "negative chunk": (
        [
            *("close-overdue", "--url", "{utility}", "--service-type", "304"),
            "--days",
            "3",
            "--chunk-size",
            "-1",
        ],
        "Invalid value for '--chunk-size'",
    ),
    "not a number": (
        ["generate", "--properties", "many", "--url", "sqlite:///{tmp}/g.db"],
        "'many' is not a valid integer",
    ),
    "unknown group": (
        ["cut-orders", "--url", "{utility}", "--group", "99"],
        "unknown collection group 99 (groups of the database: 1)",
    ),
    "no group": (["cut-orders", "--url", "{utility}"], "give --group ID"),
    "both group options": (
        ["cut-orders", "--url", "{utility}", "--group", "1", "--all-groups"],
        "give --group ID",
    ),
    "month 13": (
        ["reconnect-by-consumption", "--url", "{utility}", "--reference", "202513"],
        "is not a month",
    ),
    "no database schema": (
        [
            *("close-overdue", "--url", "sqlite:///{tmp}/bare.db", "--service-type"),
            "304",
            "--days",
            "3",
        ],
        "has no gsan_core schema: run `gsan-core db upgrade` first",
    ),
    "unknown profile": (
        ["seed", "--url", "{utility}", "--profile", "nowhere"],
        "no profile named 'nowhere'",
    ),
    "unknown command": (["frobnicate"], "No such command 'frobnicate'"),
    "unknown option": (["profiles", "--colour"], "No such option '--colour'"),
    "missing option": (["generate", "--url", "sqlite://"], "Missing option"),
    "no command": ([], "a command is required"),
    "refused by a rule": (
        [
            *("close-overdue", "--url", "{utility}", "--service-type", "304"),
            "--days",
            "3",
        ],
        "[VEN-03] service_order.overdue.nothing_to_close",
    ),
}


@pytest.mark.parametrize("case", BAD_ARGUMENTS, ids=str)
def test_a_bad_argument_is_one_line_and_exit_2(
    case: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    arguments, expected = BAD_ARGUMENTS[case]
    (tmp_path / "bare.db").touch()
    needs = any("{utility}" in a for a in arguments)
    utility = request.getfixturevalue("utility") if needs else ""
    given = [a.format(tmp=tmp_path, utility=utility) for a in arguments]
    assert main(given) == 2
    line = one_error_line(capsys)
    assert expected in line
    assert "SELECT" not in line
    assert "resumes" not in line  # nothing started


def test_a_missing_driver_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without("psycopg", monkeypatch)
    url = f"postgresql+psycopg://app:{SECRET}@db.example/gsan"
    assert main(["seed", "--url", url]) == 2
    assert one_error_line(capsys).endswith(
        "the postgresql driver psycopg is not installed: "
        "pip install 'gsan-core[postgres]'"
    )
    _without("sqlalchemy", monkeypatch)
    assert main(["seed", "--url", "sqlite:///x.db"]) == 2
    assert "pip install 'gsan-core[sqlalchemy]'" in one_error_line(capsys)


def test_without_the_cli_extra_one_line_names_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without("click", monkeypatch)
    assert main(["profiles"]) == 2
    assert "pip install 'gsan-core[cli]'" in one_error_line(capsys)


def test_an_unexpected_error_is_one_line_without_sql(
    utility: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sqlalchemy.exc  # noqa: PLC0415

    from gsan_core.services.collection import CollectionService  # noqa: PLC0415

    def broken(*_: object, **__: object) -> None:
        raise sqlalchemy.exc.OperationalError(
            f"SELECT * FROM gsan_route WHERE password = '{SECRET}'",
            {"password": SECRET},
            RuntimeError("disk I/O error"),
        )

    monkeypatch.setattr(CollectionService, "generate_cut_orders_of_groups", broken)
    assert main(["cut-orders", "--url", utility, "--all-groups"]) == 1
    assert one_error_line(capsys).endswith("error: database error: disk I/O error")

    def bug(*_: object, **__: object) -> None:
        raise KeyError("x")

    monkeypatch.setattr(CollectionService, "generate_cut_orders_of_groups", bug)
    assert main(["cut-orders", "--url", utility, "--all-groups"]) == 1
    assert "unexpected KeyError; set GSAN_CORE_DEBUG=1" in one_error_line(capsys)
    monkeypatch.setenv("GSAN_CORE_DEBUG", "1")
    with pytest.raises(KeyError):
        main(["cut-orders", "--url", utility, "--all-groups"])


def test_a_failed_run_says_that_running_again_resumes(
    utility: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from gsan_core.services import batches  # noqa: PLC0415

    real = batches.run_batch

    def failing_after_one_unit(**options: object) -> object:
        chunk = options["chunk"]
        seen: list[object] = []

        def once(uow: object, unit: object) -> object:
            if seen:
                raise gsan_core.PersistenceError("the database went away")
            seen.append(unit)
            return chunk(uow, unit)  # type: ignore[operator]

        return real(**{**options, "chunk": once})  # type: ignore[arg-type]

    monkeypatch.setattr(
        "gsan_core.services.collection.run_batch", failing_after_one_unit
    )
    assert (
        main(
            ["cut-orders", "--url", utility, "--all-groups", "--routes-per-chunk", "1"]
        )
        == 2
    )
    line = one_error_line(capsys, after_progress=True)
    assert "the database went away" in line
    assert line.endswith("running the same command again resumes")
    monkeypatch.undo()
    assert main(["cut-orders", "--url", utility, "--all-groups"]) == 0
    assert "skipped: open cut order" in capsys.readouterr().out


def test_profiles_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(profiles.available())
    assert lines[0].startswith("gsan_default")
    assert any("stricter cut" in line for line in lines)


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gsan_core", "profiles"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "gsan_default" in done.stdout


def test_generate_then_cut_orders_with_progress_and_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'utility.db'}"
    assert main(["generate", "--properties", "2400", "--url", url]) == 0
    made = capsys.readouterr()
    assert row(made.out, "properties") == "2,400"
    assert row(made.out, "meters") != "0"
    for phase in ("properties", "connections and meters", "open bills"):
        assert f"{phase} " in made.err
    assert "2400/2400" in made.err
    assert main(["cut-orders", "--url", url, "--all-groups"]) == 0
    first = capsys.readouterr()
    generated = row(first.out, "cut orders generated")
    assert generated != "0"
    assert row(first.out, "properties evaluated") == "2,400"
    assert row(first.out, "skipped: water situation does not allow a cut") != "0"
    assert "route chunks" in first.err  # the progress bar
    assert main(["cut-orders", "--url", url, "--group", "1", "--group", "2"]) == 0
    again = capsys.readouterr().out
    assert row(again, "cut orders generated") == "0"
    assert row(again, "skipped: open cut order") == generated


def row(table: str, label: str) -> str:
    """The value of the row ``label`` of a printed summary table."""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) == 4 and cells[1] == label:
            return cells[2]
    raise AssertionError((label, table))


def test_the_batch_closers_end_with_a_summary(
    utility: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["promote-analysis", "--url", utility]) == 0
    assert "properties promoted" in capsys.readouterr().out
    assert (
        main(["reconnect-by-consumption", "--url", utility, "--reference", "202412"])
        == 0
    )
    assert "properties reconnected" in capsys.readouterr().out


def test_verbose_shows_the_library_log(
    utility: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging  # noqa: PLC0415

    logger = logging.getLogger("gsan_core")
    try:
        assert main(["-v", "promote-analysis", "--url", utility]) == 0
        assert "batch water.promote_analysis" in capsys.readouterr().err
    finally:
        for handler in list(logger.handlers):
            logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)


def test_bench_needs_a_source_checkout(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    root = Path(__file__).resolve().parents[2]  # where benchmarks/ lives
    outside = [p for p in sys.path if p not in ("", ".") and Path(p).resolve() != root]
    monkeypatch.setattr(sys, "path", outside)
    monkeypatch.delitem(sys.modules, "benchmarks", raising=False)
    monkeypatch.delitem(sys.modules, "benchmarks.scale", raising=False)
    assert main(["bench", "--sizes", "10"]) == 2
    assert "source checkout" in one_error_line(capsys)
