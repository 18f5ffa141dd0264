"""Every public method of every service has a statement budget or is a query.

Issue 20: "a test counts the statements of each public command and holds a
budget per command". Each ``test_statement_budgets*.py`` module names the
public methods it measures (``COMMANDS``: ``service.method`` to its budget)
and the methods of its services that only read (``QUERIES``); the methods of
a service's public sub-services (an attribute whose type is a service's, such
as ``service_requests.configuration``) are named ``service.attribute.method``.
A new public method fails here until it is one or the other.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import gsan_core

HERE = Path(__file__).parent


def _budget_modules() -> Iterator[ModuleType]:
    """The modules that hold a ``COMMANDS`` table (one that imports another's
    tables is left out)."""
    seen: set[int] = set()
    for path in sorted(HERE.glob("test_statement_budgets*.py")):
        module = importlib.import_module(f"tests.integration.{path.stem}")
        table = getattr(module, "COMMANDS", None)
        if table is not None and id(table) not in seen:
            seen.add(id(table))
            yield module


def _is_service(value: object) -> bool:
    return type(value).__module__.startswith("gsan_core.services")


def _methods(name: str, service: object) -> set[str]:
    """``name.method`` for every public method of ``service``."""
    return {
        f"{name}.{method}"
        for method, _ in inspect.getmembers(type(service), inspect.isfunction)
        if not method.startswith("_")
    }


def _public_methods() -> set[str]:
    """``service.method`` for every public method of the system's services,
    and ``service.attribute.method`` for those of their public sub-services
    (``service_requests.configuration``, ``connections.meters``)."""
    system = gsan_core.in_memory()
    found: set[str] = set()
    for attribute, service in vars(system).items():
        if attribute.startswith("_") or not _is_service(service):
            continue
        found |= _methods(attribute, service)
        for name, part in vars(service).items():
            if not name.startswith("_") and _is_service(part):
                found |= _methods(f"{attribute}.{name}", part)
    return found


def test_every_public_method_is_a_budgeted_command_or_a_query() -> None:
    commands: dict[str, str] = {}
    queries: set[str] = set()
    for module in _budget_modules():
        assert not set(module.COMMANDS) & set(commands), module.__name__
        commands.update(module.COMMANDS)
        queries |= module.QUERIES
        assert set(module.COMMANDS.values()) <= set(module.BUDGETS), module.__name__
    public = _public_methods()
    assert not set(commands) & queries, "both a command and a query"
    assert public - set(commands) - queries == set(), "no budget and not a query"
    assert (set(commands) | queries) - public == set(), "not a public method"


def test_the_public_sub_services_are_reached() -> None:
    public = _public_methods()
    assert {
        "service_requests.configuration.add_specification",
        "service_requests.configuration.specifications",
        "connections.meters.plan_cut",
    } <= public
    # a private attribute or a plain value is not a sub-service
    assert not [name for name in public if "._" in name]
