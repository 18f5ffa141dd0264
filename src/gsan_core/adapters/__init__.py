"""Adapters: the memory reference adapter and the SQLAlchemy adapter.

Only :mod:`gsan_core.system` and :mod:`gsan_core.testing` import this package.
"""
