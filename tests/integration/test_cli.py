"""The ``gsan-core`` command line, with its output captured."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest

from gsan_core import profiles
from gsan_core.adapters.sqlalchemy.migrations import heads
from gsan_core.cli import main
from tests.integration.conftest import Database


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
    assert "LIGADO" in out
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
    where = ["--prefix", "cli_"]
    if empty_database.schema is not None:
        where += ["--schema", empty_database.schema]
    assert main(["db", "current", url, *where]) == 0
    newest = heads()[0]
    assert capsys.readouterr().out == f"database: (none); newest: {newest}\n"
    assert main(["db", "upgrade", url, *where]) == 0
    assert (
        capsys.readouterr().out == f"upgraded {url} to the newest gsan_core revision\n"
    )
    assert main(["db", "current", url, *where]) == 0
    assert capsys.readouterr().out == f"database: {newest}; newest: {newest}\n"
    assert main(["seed", url, "--profile", "cagepa", *where]) == 0
    first = capsys.readouterr().out
    assert first.startswith("seeded ")
    assert first.endswith(" reference rows from profile cagepa\n")
    assert int(first.split()[1]) > 80
    assert main(["seed", url, *where]) == 0
    assert (
        capsys.readouterr().out == "seeded 0 reference rows from profile gsan_default\n"
    )


def test_errors_go_to_stderr_with_status_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'never-migrated.db'}"
    assert main(["seed", url]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("gsan-core: database error on catalog.")
    assert main(["seed", url, "--profile", "nowhere"]) == 1
    assert "no profile named 'nowhere'" in capsys.readouterr().err


def test_profiles_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(profiles.available())
    assert lines[0].startswith("gsan_default")
    assert any("stricter cut" in line for line in lines)


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 2
    assert "required" in capsys.readouterr().err


def test_python_dash_m(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["gsan_core", "profiles"])
    with pytest.raises(SystemExit) as caught:
        runpy.run_module("gsan_core", run_name="__main__")
    assert caught.value.code == 0
    assert "gsan_default" in capsys.readouterr().out


def test_generate_then_cut_orders_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'utility.db'}"
    assert main(["generate", "--properties", "2400", "--url", url]) == 0
    made = capsys.readouterr()
    assert made.out.startswith("2400 properties, ")
    assert " meters, " in made.out
    assert main(["cut-orders", "--url", url, "--all-groups"]) == 0
    first = capsys.readouterr()
    generated = int(first.out.split()[0])
    assert generated > 0
    assert "2400 properties evaluated" in first.out
    assert "skipped: water situation does not allow a cut" in first.out
    assert "group 1 [" in first.err  # the progress bar
    assert main(["cut-orders", "--url", url, "--group", "1", "--group", "2"]) == 0
    again = capsys.readouterr().out
    assert again.startswith("0 cut orders generated, 2400 properties evaluated")
    assert f"skipped: open cut order: {generated}" in again


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
    assert "source checkout" in capsys.readouterr().err
