"""Benchmarks of gsan_core against hand-written SQLAlchemy Core baselines.

Each module exposes ``run(quick: bool) -> list[dict]``; ``python -m benchmarks``
runs them all (``make bench``), ``python -m benchmarks.<module>`` one of them.
"""
