"""Benchmarks of gsan_core against hand-written SQLAlchemy Core baselines.

``python -m benchmarks`` (``make bench``) runs every registered benchmark on
memory, SQLite and PostgreSQL and writes one JSON file per area to
``benchmarks/results/<area>.json``; ``--quick`` runs a smaller, faster version.

Each area registers its benchmark functions with :func:`benchmarks.harness.benchmark`
in its own module (``benchmarks/foundation.py``) and lists it in
:data:`benchmarks.harness.AREAS`. A benchmark function receives a
:class:`~benchmarks.harness.Run` (the backend, the sizes, the timing helpers)
and returns :class:`~benchmarks.harness.Figure` objects: the library's figure,
the baseline's figure doing the same database work, and the target ratio.
"""
