"""The outbound-message port: the utility's SMS gateway.

GSAN hands its text messages to an external provider (``sms.properties``: an
API key, a URL and templates). The library composes and records the messages
and hands each one to a :class:`MessageGateway` the integrator plugs in; the
adapters ship a logging gateway and an in-memory one for tests and notebooks
(``gsan_core.adapters.messages``).
"""

from __future__ import annotations

from typing import Protocol

import attrs

__all__ = ["GatewayReply", "MessageGateway"]


@attrs.frozen(kw_only=True)
class GatewayReply:
    """What the gateway answered for one message."""

    accepted: bool
    #: The provider's code or error text (``returnCode``), kept in the history.
    detail: str | None = None


class MessageGateway(Protocol):
    """Sends one text message to one phone (digits, area code first).

    Raising counts as a refusal (the message is retried up to the profile's
    ``sms_max_attempts``); returning means the gateway answered."""

    def send(self, *, phone: str, text: str, message_id: int) -> GatewayReply:
        """Hand the message over; ``message_id`` lets a provider deduplicate."""
        ...
