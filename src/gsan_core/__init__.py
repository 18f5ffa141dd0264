"""gsan_core: the rules of GSAN's public service module as a typed Python library.

    >>> import gsan_core
    >>> gsan = gsan_core.in_memory()          # seeded with the default profile
    >>> gsan.catalog.get("water_status", 3).description
    'LIGADO'

``gsan_core.connect("sqlite:///gsan.db", migrate=True, seed=True)`` gives the same
system over SQLite or PostgreSQL.
"""

from gsan_core.errors import (
    BatchAlreadyRunning,
    ConcurrencyConflict,
    ConfigurationError,
    DuplicateEntity,
    GsanError,
    NotFound,
    PersistenceError,
    RuleViolation,
    Violation,
)
from gsan_core.system import SETUP_ACTOR, System, connect, in_memory

__version__ = "0.1.0.dev0"

__all__ = [
    "SETUP_ACTOR",
    "BatchAlreadyRunning",
    "ConcurrencyConflict",
    "ConfigurationError",
    "DuplicateEntity",
    "GsanError",
    "NotFound",
    "PersistenceError",
    "RuleViolation",
    "System",
    "Violation",
    "__version__",
    "connect",
    "in_memory",
]
