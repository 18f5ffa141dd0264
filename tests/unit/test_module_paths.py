"""The service-request flows moved into the package
:mod:`gsan_core.services.service_requests`; their old module paths stay
importable and name the same objects."""

from __future__ import annotations

import importlib

import pytest

PACKAGE = "gsan_core.services.service_requests"
MOVED = {
    "gsan_core.services.request_batches": f"{PACKAGE}.batches",
    "gsan_core.services.request_configuration": f"{PACKAGE}.configuration",
    "gsan_core.services.request_hooks": f"{PACKAGE}.hooks",
    "gsan_core.services.request_registry": f"{PACKAGE}.registry",
}


@pytest.mark.parametrize(("old", "new"), MOVED.items())
def test_a_moved_module_keeps_its_path(old: str, new: str) -> None:
    before, after = importlib.import_module(old), importlib.import_module(new)
    assert before.__all__ == after.__all__
    for name in before.__all__:
        assert getattr(before, name) is getattr(after, name)


def test_the_flows_keep_their_path() -> None:
    """Every flow still imports from the old path; the unit helpers (AUTH-01's
    ``may_maintain``, ``load_units``) live in ``services.units``, which the
    service orders share (ENC-01)."""
    flows = importlib.import_module("gsan_core.services.request_flows")
    for name in flows.__all__:
        value = getattr(flows, name)
        if callable(value):
            assert value.__module__.startswith(
                (f"{PACKAGE}.", "gsan_core.services.units")
            ), name
