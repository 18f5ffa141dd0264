"""Catalogue reads of a kind with attributes on a GSAN database against hand-written SQL.

A GSAN database (:func:`benchmarks.legacy.gsan_database`) gets ``size`` meter
capacities (``micromedicao.hidrometro_capacidade``: the kind whose letter and
reading digits the meter rules read, ``LegacyProfile.catalog_attributes``).
Each repeat lists them once through the legacy adapter
(``uow.catalog.list("hydrometer_capacity")``, items with their attributes) and
once with the one hand-written ``SELECT`` of the same columns, three times
each, alternated, the faster of each counting; the figure is the ratio
library / SQL per repeat (median and spread), in one run.

``python -m benchmarks.legacy_catalog [--size 20000] [--repeats 9] [--postgres-url URL]``
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

from benchmarks.legacy import arguments, gsan_database
from gsan_core.adapters.gsan_legacy import LegacyBackend

_SEED = sa.text(
    "INSERT INTO micromedicao.hidrometro_capacidade (hicp_id,"
    " hicp_dshidrometrocapacidade, hicp_dsabreviadahidrcapacidade, hicp_icuso,"
    " hicp_nndigitosleituraminimo, hicp_nndigitosleituramaximo,"
    " hicp_cdhidrometrocapacidade, hicp_nnordem)"
    " SELECT g, 'CAP ' || g, 'C' || (g % 1000), 1, 4, 6, chr(65 + g % 26), g"
    " FROM generate_series(100, 99 + :n) g"
)
#: The baseline: the same columns, one statement.
_BASELINE = sa.text(
    "SELECT hicp_id, hicp_dshidrometrocapacidade, hicp_dsabreviadahidrcapacidade,"
    " hicp_icuso, hicp_cdhidrometrocapacidade, hicp_nndigitosleituraminimo,"
    " hicp_nndigitosleituramaximo FROM micromedicao.hidrometro_capacidade"
    " ORDER BY hicp_id"
)


def _timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    rows = run()
    return time.perf_counter() - start, rows


def measure(size: int, repeats: int, url: str) -> dict[str, Any]:
    """Library and baseline seconds and their ratio per repeat."""
    with gsan_database(url) as engine:
        with engine.begin() as connection:
            connection.execute(_SEED, {"n": size})
        backend = LegacyBackend(engine)

        def library() -> int:
            with backend.uow_factory() as uow:
                return len(uow.catalog.list("hydrometer_capacity"))

        def baseline() -> int:
            with engine.connect() as connection:
                return len(connection.execute(_BASELINE).all())

        library(), baseline()  # warm the layout cache and the pool
        ratios: list[float] = []
        seconds: list[tuple[float, float]] = []
        for _ in range(repeats):
            # the faster of three alternated runs of each: the machine is shared
            runs = [(_timed(library), _timed(baseline)) for _ in range(3)]
            assert all(lib[1] == sql[1] for lib, sql in runs), runs
            lib = min(lib[0] for lib, _ in runs)
            sql = min(sql[0] for _, sql in runs)
            seconds.append((lib, sql))
            ratios.append(lib / sql)
    return {
        "rows": runs[0][0][1],
        "repeats": repeats,
        "library_ms_median": round(1000 * statistics.median(s[0] for s in seconds)),
        "sql_ms_median": round(1000 * statistics.median(s[1] for s in seconds)),
        "ratio_median": round(statistics.median(ratios), 2),
        "ratio_min": round(min(ratios), 2),
        "ratio_max": round(max(ratios), 2),
        "ratios": [round(r, 2) for r in ratios],
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv, __doc__ or "", 20_000, 9)
    print(json.dumps(measure(args.size, args.repeats, args.postgres_url), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
