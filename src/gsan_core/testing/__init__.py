"""Helpers shipped for tests, notebooks and integrators' own adapters.

This package needs no extra; :mod:`gsan_core.testing.contracts`,
:mod:`gsan_core.testing.strategies` and :mod:`gsan_core.testing.machines` need
``gsan_core[testing]`` (pytest and Hypothesis). :class:`Scenario`
(:mod:`gsan_core.testing.scenarios`) builds a test's set-up in one call each;
the pytest plugin (:mod:`gsan_core.testing.pytest_plugin`) gives fixtures.
"""

from typing import TYPE_CHECKING, Any

from gsan_core.testing.clocks import DEFAULT_NOW, FixedClock, SteppingClock
from gsan_core.testing.ids import SequentialIds

if TYPE_CHECKING:
    from gsan_core.testing.scenarios import Place, Scenario

__all__ = [
    "DEFAULT_NOW",
    "FixedClock",
    "Place",
    "Scenario",
    "SequentialIds",
    "SteppingClock",
]


def __getattr__(name: str) -> Any:
    # The builders import the System, which imports this package's clocks.
    if name in ("Place", "Scenario"):
        from gsan_core.testing import scenarios  # noqa: PLC0415

        return getattr(scenarios, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
