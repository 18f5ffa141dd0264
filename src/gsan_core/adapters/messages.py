"""Message gateways that ship with the library: one that logs each message
(the default of a development system) and one that keeps them in memory (tests
and notebooks). A real SMS provider is the integrator's
:class:`~gsan_core.ports.messages.MessageGateway`."""

from __future__ import annotations

import logging

import attrs

from gsan_core.ports.messages import GatewayReply

__all__ = ["InMemoryGateway", "LoggingGateway", "SentText"]

_LOG = logging.getLogger("gsan_core.messages")


class LoggingGateway:
    """Logs each message (logger ``gsan_core.messages``, level INFO) and
    accepts it."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._logger = logger if logger is not None else _LOG

    def send(self, *, phone: str, text: str, message_id: int) -> GatewayReply:
        """Log the message and accept it."""
        self._logger.info("SMS %s to %s: %s", message_id, phone, text)
        return GatewayReply(accepted=True, detail="logged")


@attrs.frozen(kw_only=True)
class SentText:
    """A message an :class:`InMemoryGateway` accepted."""

    message_id: int
    phone: str
    text: str


class InMemoryGateway:
    """Keeps what it is given in :attr:`sent`; refuses the phones in
    ``refuse`` (as a provider answering an error) and raises for those in
    ``fail`` (as a provider that is down)."""

    def __init__(
        self,
        *,
        refuse: frozenset[str] = frozenset(),
        fail: frozenset[str] = frozenset(),
    ) -> None:
        self.sent: list[SentText] = []
        self.refuse = refuse
        self.fail = fail

    def send(self, *, phone: str, text: str, message_id: int) -> GatewayReply:
        """Record and accept the message, or refuse or raise as configured."""
        if phone in self.fail:
            msg = f"gateway unavailable for {phone}"
            raise ConnectionError(msg)
        if phone in self.refuse:
            return GatewayReply(accepted=False, detail="REFUSED")
        self.sent.append(SentText(message_id=message_id, phone=phone, text=text))
        return GatewayReply(accepted=True, detail="OK")
