"""The notebook under examples/ runs top to bottom (nbclient, a python3 kernel)
and is kept without outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))


def test_there_is_a_notebook() -> None:
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], cell.source
            assert cell.execution_count is None, cell.source
    assert "widgets" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {}}
    )
    client.execute()  # a cell that raises fails the test, unless tagged so
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "LIGADO (3)" in html  # names next to ids
    (error,) = [o for o in outputs if o.output_type == "error"]
    assert error.ename == "RuleViolation"
    # the violations instead of a traceback, in the profile's language
    assert error.traceback[0] == "RuleViolation: 1 violation(s)"
    assert "[V-CO7]" in error.traceback[1]
    assert "está inválida" in error.traceback[2]
    assert len(error.traceback) == 3
