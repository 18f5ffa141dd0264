"""The command line and the demo (with its service-order chapter) on SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gsan_core import demo
from gsan_core.cli import main


def test_demo_runs_every_chapter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "demo.sqlite"
    assert main(["demo", "--database", str(database), "--properties", "60"]) == 0
    out = capsys.readouterr().out
    for number, (title, _) in enumerate(demo.CHAPTERS, start=1):
        assert f"== {number}. {title}" in out
    assert "Closing without activities is refused" in out
    assert "Charged R$ 80.00" in out
    assert "LIGADO (3)" in out
    assert "None" not in out
    assert "Request" not in out  # no raw event reprs
    assert "Completed-orders bulletin of today: 1 order(s)." in out


def test_database_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["db", "upgrade", "--url", url]) == 0
    assert main(["db", "current", "--url", url]) == 0
    assert main(["seed", "--url", url]) == 0
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    assert "created the gsan_core schema" in out
    assert "gsan_default" in out
    assert (
        main(["seed", "--url", url, "--profile", str(tmp_path / "missing.toml")]) == 2
    )
    assert "no profile named" in capsys.readouterr().err


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gsan_core", "profiles"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "gsan_default" in done.stdout
