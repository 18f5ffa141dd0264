"""Field work II: the text files for field devices and their returns (TXT, RET).

A :class:`FieldFile` (GSAN ``ArquivoTextoOSCobranca``) groups pending orders for
one agent's smartphone; its orders are :class:`FieldFileItem` rows in file
order. The device's return is parsed line by line and each good line is staged
as a :class:`ReturnLine` (GSAN's ``mobile.exe_os_*`` tables, RET-01); applying
the staged lines closes the orders through the library's closing path.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar

import attrs

from gsan_core.display import html_of, short_repr
from gsan_core.model.events import DomainEvent

__all__ = [
    "DEVICE_RETURNED",
    "FieldFile",
    "FieldFileFilter",
    "FieldFileGenerated",
    "FieldFileItem",
    "FieldFilesDeleted",
    "FileKind",
    "FileOrderDetail",
    "FileSituation",
    "LineError",
    "ReturnApplied",
    "ReturnLine",
    "ReturnReport",
]


def _aware(_: object, attribute: attrs.Attribute[Any], value: datetime | None) -> None:
    if value is not None and value.tzinfo is None:
        msg = f"{attribute.name} must be an aware datetime"
        raise ValueError(msg)


def _strings(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(value)


def _ids(value: tuple[int, ...] | list[int]) -> tuple[int, ...]:
    return tuple(value)


class FileKind(IntEnum):
    """``POSC_CDTIPOOS``: the orders a file carries."""

    COLLECTION = 1
    """OS de cobrança (types flagged ``svtp_icservicocobranca``)."""
    MICROMETERING = 2
    """OS de micromedição (types flagged ``svtp_icservicomicromedicao``, VIS-01)."""
    ANOMALY_INSPECTION = 3
    """prodiga's zipped anomaly-inspection file of a command (INSP-01..INSP-03)."""
    FIELD_VISIT = 4
    """caema's field-visit file (``arq_txt_visita_campo``, INSP-04..INSP-10)."""


class FileSituation(IntEnum):
    """``SituacaoTransmissaoLeitura``, shared with the reading files."""

    AVAILABLE = 1
    RELEASED = 2
    IN_FIELD = 3
    TRANSMITTED = 4
    FINISHED_NOT_TRANSMITTED = 5
    FINISHED_INCOMPLETE = 6
    FINISHED_BY_USER = 7
    FINISHED_BY_TYPING = 8
    ASK_FINISHING_REASON = 9

    @property
    def finished(self) -> bool:
        """The file left the field for good (TXT-07: nothing changes it any more)."""
        return self in _FINISHED


_FINISHED = frozenset(
    {
        FileSituation.TRANSMITTED,
        FileSituation.FINISHED_NOT_TRANSMITTED,
        FileSituation.FINISHED_INCOMPLETE,
        FileSituation.FINISHED_BY_USER,
        FileSituation.FINISHED_BY_TYPING,
    }
)


#: The situations a device's upload sets (RET-02): the device sent its work
#: back; its orders no longer change by hand (UPD-05).
DEVICE_RETURNED = frozenset(
    {FileSituation.TRANSMITTED, FileSituation.FINISHED_INCOMPLETE}
)


@attrs.frozen(kw_only=True)
class FieldFile:
    """One smartphone file (``arq_txt_os_cobranca``)."""

    id: int
    kind: FileKind
    #: The selective command whose orders it carries (SEL-05), if any.
    command_id: int | None = None
    #: The agent (``leit_id``) it is released to.
    agent_id: int | None = None
    situation: FileSituation = FileSituation.AVAILABLE
    order_count: int = 0
    created_at: datetime = attrs.field(validator=_aware)
    created_by: int
    released_at: datetime | None = attrs.field(default=None, validator=_aware)
    sent_at: datetime | None = attrs.field(default=None, validator=_aware)
    finished_at: datetime | None = attrs.field(default=None, validator=_aware)
    version: int = 1

    def __repr__(self) -> str:
        return short_repr(self, "kind", "situation", "order_count", "agent_id")


def _frozen_ids(
    value: frozenset[int] | set[int] | tuple[int, ...] | list[int],
) -> frozenset[int]:
    return frozenset(value)


def _bound(
    instance: object, attribute: attrs.Attribute[Any], value: int | None
) -> None:
    first = getattr(instance, attribute.name.replace("_last", "_first"))
    if value is not None and first is not None and value < first:
        msg = f"{attribute.name} ({value}) is before its first bound ({first})"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class FieldFileFilter:
    """TXT-01/TXT-02: the location filter a file is generated from
    (``par_arq_txt_os_cobranca``): a locality, a range of its commercial
    sectors by code (``POSC_CDSETORCOMERCIALINICIAL/FINAL``), a range of
    blocks by number (``POSC_NNQUADRAINICIAL/FINAL``) and the service types
    (``par_arq_txt_os_serv_tipo``; empty: any)."""

    locality_id: int | None = None
    sector_first: int | None = None
    sector_last: int | None = attrs.field(default=None, validator=_bound)
    block_first: int | None = None
    block_last: int | None = attrs.field(default=None, validator=_bound)
    service_type_ids: frozenset[int] = attrs.field(
        factory=frozenset, converter=_frozen_ids
    )

    @property
    def sectors(self) -> tuple[int, int] | None:
        """The sector codes taken in (a missing final bound is the initial)."""
        return _pair(self.sector_first, self.sector_last)

    @property
    def blocks(self) -> tuple[int, int] | None:
        """The block numbers taken in (a missing final bound is the initial)."""
        return _pair(self.block_first, self.block_last)


def _pair(first: int | None, last: int | None) -> tuple[int, int] | None:
    if first is None and last is None:
        return None
    low = first if first is not None else last
    high = last if last is not None else first
    return (low or 0), (high or 0)


@attrs.frozen(kw_only=True)
class FieldFileItem:
    """An order in a file (``arq_txt_os_cobranca_item``), in file order."""

    id: int
    file_id: int
    order_id: int
    #: Position in the file, 1..n (record 16's field 3).
    sequence: int
    version: int = 1


@attrs.frozen(kw_only=True)
class ReturnLine:
    """A staged line of a device's return (RET-01): the record type, the
    order it is about and its fields as sent."""

    id: int
    file_id: int
    order_id: int
    record: int
    line_number: int
    fields: tuple[str, ...] = attrs.field(converter=_strings)
    #: A digest of the record and its fields: the same line sent again is
    #: recognised (RET-01) whatever its line number.
    digest: str
    received_at: datetime = attrs.field(validator=_aware)
    #: Consolidated into the order (RET-07).
    applied: bool = False
    version: int = 1


@attrs.frozen(kw_only=True)
class FileOrderDetail:
    """What record ``16`` of the smartphone file (UC1484) carries of an
    order's property beyond its place: the user customer (the open
    ``USUARIO`` relation with the lowest id) and the meter of the water
    connection (its open installation). ``None`` where there is none."""

    order_id: int
    customer_name: str | None = None
    #: CPF (11 digits) or CNPJ (14 digits).
    document: str | None = None
    identity_card: str | None = None
    identity_issuer_id: int | None = None
    identity_state_id: int | None = None
    phone_area: str | None = None
    phone: str | None = None
    phone_extension: str | None = None
    meter_number: str | None = None
    meter_type_id: int | None = None
    meter_situation_id: int | None = None
    place_id: int | None = None
    protection_id: int | None = None
    stand: bool | None = None
    brand_id: int | None = None
    #: The order's collection document (record ``17`` lists its bills).
    collection_document_id: int | None = None


@attrs.frozen(kw_only=True)
class LineError:
    """A bad line of a return: its number (1-based), a stable code and why."""

    line: int
    code: str
    reason: str


def _errors(value: tuple[LineError, ...] | list[LineError]) -> tuple[LineError, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ReturnReport:
    """What processing one return did."""

    file_id: int
    lines: int
    staged: int
    #: Lines already staged by an earlier processing (RET-01), left as they were.
    discarded: int
    errors: tuple[LineError, ...] = attrs.field(factory=tuple, converter=_errors)
    #: Errors beyond the first ``errors`` kept (a huge bad file is not held).
    more_errors: int = 0

    @property
    def ok(self) -> bool:
        """Every line was good."""
        return not self.errors

    def __repr__(self) -> str:
        return short_repr(self, "file_id", "lines", "staged", "discarded", "ok")

    def _repr_html_(self) -> str:
        return html_of(self)


@attrs.frozen(kw_only=True)
class FieldFileGenerated(DomainEvent):
    """TXT-05: a file was generated with its orders."""

    tag: ClassVar[str] = "field_work.file_generated"
    file_id: int
    kind: int
    order_count: int


@attrs.frozen(kw_only=True)
class FieldFilesDeleted(DomainEvent):
    """TXT-10: available files were deleted; their orders stay pending."""

    tag: ClassVar[str] = "field_work.files_deleted"
    file_ids: tuple[int, ...] = attrs.field(converter=_ids)
    order_count: int


@attrs.frozen(kw_only=True)
class ReturnApplied(DomainEvent):
    """RET-03: staged returns of a file were consolidated into their orders."""

    tag: ClassVar[str] = "field_work.return_applied"
    file_id: int
    closed_order_ids: tuple[int, ...] = attrs.field(converter=_ids)
    failed_order_ids: tuple[int, ...] = attrs.field(converter=_ids)
