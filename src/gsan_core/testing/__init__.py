"""Helpers shipped for tests, notebooks and integrators' own adapters.

This package needs no extra; :mod:`gsan_core.testing.contracts`,
:mod:`gsan_core.testing.strategies` and :mod:`gsan_core.testing.machines` need
``gsan_core[testing]`` (pytest and Hypothesis).
"""

from gsan_core.testing.clocks import DEFAULT_NOW, FixedClock, SteppingClock
from gsan_core.testing.ids import SequentialIds

__all__ = ["DEFAULT_NOW", "FixedClock", "SequentialIds", "SteppingClock"]
