"""The field-work contract, run against memory, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gsan_core.testing.contracts_field_work import FieldWorkContract


class TestFieldWorkContract(FieldWorkContract):
    """Every backend of ``tests/conftest.py`` passes the contract."""

    @pytest.fixture
    def uow_factory(
        self, backend_uow_factory: Callable[[], object]
    ) -> Callable[[], object]:
        return backend_uow_factory
