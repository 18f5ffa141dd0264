"""The README, every docs page and every example run as written."""

from __future__ import annotations

import re
import runpy
import sys
from pathlib import Path

import pytest

from tests.packaging.readme_snippets import run as run_readme

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_page_code_blocks_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for number, block in enumerate(FENCE.findall(page.read_text(encoding="utf-8"))):
        code = compile(block, f"{page.name}[block {number}]", "exec")
        exec(code, namespace)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(example)])
    runpy.run_path(str(example), run_name="__main__")


def test_readme_opens_with_the_setup_commands_and_pip_install() -> None:
    head = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:8])
    assert "make demo" in head
    assert "make test" in head
    assert "pip install gsan-core" in head
    assert 'pip install "gsan-core[sqlalchemy,cli]"' in head


def test_readme_snippets_print_what_it_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    results = run_readme(ROOT / "README.md", {"sqlalchemy", "cli", "testing"})
    checked = [r for r in results if r["expected"] is not None]
    assert len(checked) >= 3
    for result in checked:
        assert result["printed"] == result["expected"]
