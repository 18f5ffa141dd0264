"""Benchmarks of gsan_core against hand-written SQLAlchemy Core baselines.

Each module of this package exposes ``run(quick: bool) -> list[dict]`` returning
figures ``{"area", "name", "backend", "size", "library_s", "baseline_s", "ratio",
"rate"}``; ``python -m benchmarks`` runs them all, ``python -m benchmarks.<module>``
one. ``ratio`` is library time / baseline time for the same work (lower is
better); ``rate`` is the library's rows (or operations) per second.
"""
