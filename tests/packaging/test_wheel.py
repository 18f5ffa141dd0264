"""The wheel and the sdist as a user gets them: built from this tree, the wheel
installed in clean virtualenvs with each extra, running the README's snippets
(and checking what they print), the command line and the pytest plugin.

The default run installs the ``sqlalchemy,cli,testing`` variant; the others
(no extra, ``postgres``) are marked ``slow``. pip's cache keeps reruns short.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNNER = Path(__file__).with_name("readme_snippets.py")
TIMEOUT = 600


def _run(*command: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in command],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel of this tree."""
    if shutil.which("git") is None:  # pragma: no cover - always there in CI
        pytest.skip("needs git")
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    return out


def _wheel(dist: Path) -> Path:
    (wheel,) = dist.glob("*.whl")
    return wheel


def _venv(where: Path, dist: Path, extras: str) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(where)
    python = where / "bin" / "python"
    spec = f"{_wheel(dist)}[{extras}]" if extras else str(_wheel(dist))
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", spec)
    return python


def _readme(python: Path, extras: str, cwd: Path) -> list[dict[str, object]]:
    results: list[dict[str, object]] = json.loads(
        _run(python, RUNNER, ROOT / "README.md", extras, cwd=cwd)
    )
    for result in results:
        if result["ran"] and result["expected"] is not None:
            assert result["printed"] == result["expected"]
    return results


def test_the_wheel_has_the_licence_metadata_and_plugin(dist: Path) -> None:
    with zipfile.ZipFile(_wheel(dist)) as wheel:
        names = wheel.namelist()
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = wheel.read(info).decode()
        entry_points = wheel.read(info.replace("METADATA", "entry_points.txt"))
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "License-Expression: GPL-2.0-or-later" in metadata
    assert "Version: " + _version() in metadata
    assert "Classifier: Programming Language :: Python :: 3.11" in metadata
    assert "3.12" not in metadata  # declared = tested
    assert "example.invalid" not in metadata
    assert b"gsan_core = gsan_core.testing.pytest_plugin" in entry_points
    assert b"gsan-core = gsan_core.cli:main" in entry_points


def _version() -> str:
    text = (ROOT / "src" / "gsan_core" / "__init__.py").read_text(encoding="utf-8")
    return text.split('__version__ = "', 1)[1].split('"', 1)[0]


def test_the_sdist_carries_what_its_tests_need(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in (
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
        "Makefile",
        "mkdocs.yml",
        "pyproject.toml",
        "tools/connection_tables.py",
        "tests/conftest.py",
        "tests/packaging/readme_snippets.py",
        "examples/test_writer.ipynb",
        "benchmarks/__init__.py",
        "docs/index.md",
    ):
        assert needed in names, needed
    # every file the tests open by path from the root is shipped
    for tool in (ROOT / "tools").glob("*.py"):
        assert f"tools/{tool.name}" in names


def test_the_wheel_with_sqlalchemy_cli_and_testing(dist: Path, tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv", dist, "sqlalchemy,cli,testing")
    results = _readme(python, "sqlalchemy,cli,testing", tmp_path)
    assert all(r["ran"] for r in results)
    assert sum(r["expected"] is not None for r in results) >= 3
    gsan_core = tmp_path / "venv" / "bin" / "gsan-core"
    assert _run(gsan_core, "--version").strip() == f"gsan-core {_version()}"
    done = subprocess.run(
        [gsan_core, "seed", "--url", "mysql://u:pw@h/d"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "pw" not in done.stderr
    # the pytest plugin, from a test file of a user's project
    test_file = tmp_path / "test_user.py"
    test_file.write_text(
        "def test_fixtures(gsan, gsan_sqlite, gsan_scenario):\n"
        "    assert gsan.catalog.get('water_status', 3).description == 'LIGADO'\n"
        "    assert gsan_sqlite.catalog.get('water_status', 5).description == 'CORTADO'\n"
        "    assert gsan_scenario.property(water='CORTADO').water_status_id == 5\n",
        encoding="utf-8",
    )
    output = _run(
        python, "-m", "pytest", "-q", "-p", "no:cacheprovider", test_file, cwd=tmp_path
    )
    assert "1 passed" in output


@pytest.mark.slow
def test_the_wheel_alone(dist: Path, tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv", dist, "")
    results = _readme(python, "", tmp_path)
    assert [r["ran"] for r in results][:2] == [True, True]
    assert not any(r["ran"] for r in results if r["needs"])
    # no extra: the command line names the one it needs
    done = subprocess.run(
        [tmp_path / "venv" / "bin" / "gsan-core", "profiles"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 2
    assert "pip install 'gsan-core[cli]'" in done.stderr


@pytest.mark.slow
def test_the_wheel_with_postgres(dist: Path, tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv", dist, "postgres")
    results = _readme(python, "postgres,sqlalchemy", tmp_path)
    assert all(r["ran"] for r in results if "testing" not in r["needs"])
    _run(python, "-c", "import psycopg, gsan_core.adapters.sqlalchemy")
