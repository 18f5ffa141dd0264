"""The ports ring: ``typing.Protocol`` only.

Repositories and the unit of work, the clock, ids, the business calendar, the event
sink, and the ports to modules outside this library (billing, permissions, the
property "in field" lock). Adapters implement them structurally: no base class to
inherit.
"""
