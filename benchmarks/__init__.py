"""Benchmarks of gsan_core beside hand-written SQLAlchemy Core baselines.

Each module of this package that defines ``run(quick: bool) -> list[dict]`` is a
benchmark area; ``python -m benchmarks [--quick]`` runs them all and prints each
figure beside its baseline, as a ratio (library time / baseline time).
"""
