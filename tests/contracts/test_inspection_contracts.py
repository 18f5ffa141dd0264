"""The inspection and repaving repositories' contract, on memory, SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from gsan_core.testing.contracts_inspections import InspectionRepositoriesContract


class TestInspectionRepositories(InspectionRepositoriesContract):
    """Every backend of ``tests/conftest.py`` passes the contract."""

    @pytest.fixture
    def uow_factory(
        self, backend_uow_factory: Callable[[], object]
    ) -> Callable[[], object]:
        return backend_uow_factory
