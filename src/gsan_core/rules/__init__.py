"""The rules ring: pure functions.

Rules never read a clock or a database: the service passes ``at=`` and everything
else explicitly. Each operation has a ``check_*`` form returning every violation
(GSAN's "validate for display" step) and an apply form that raises
:class:`~gsan_core.errors.RuleViolation` carrying them.
"""
