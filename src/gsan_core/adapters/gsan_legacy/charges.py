"""The charges (débitos a cobrar) of a property on GSAN's tables.

``faturamento.debito_a_cobrar`` with the order and request each charge came
from; the installment value is the total over the installments (to the cent,
half up). The split by category (``debito_a_cobrar_categoria``) is outside the
DDL subset and reads as empty; a collection form the library does not know
(GSAN's other ``cbfm_id``) is left out; GSAN's charges without a user read
with :data:`~gsan_core.rules.units.SETUP_ACTOR`. Writing charges is phase 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from gsan_core.adapters.sqlalchemy.errors import translated
from gsan_core.model.billing import Charge, CollectionForm
from gsan_core.rules.units import SETUP_ACTOR

if TYPE_CHECKING:
    from gsan_core.adapters.gsan_legacy.uow import LegacyUnitOfWork

__all__ = ["read_charges"]

_CENT = Decimal("0.01")
_CHARGES = sa.text(
    "SELECT dbac_id, imov_id, dbtp_id, dbac_vldebito, dbac_nnprestacaodebito,"
    " dbac_nnprestacaocobradas, cbfm_id, dbac_pctaxajurosfinanciamento, orse_id,"
    " rgat_id, dbac_tmatudebito, dbac_amreferenciadebito, usur_id"
    " FROM faturamento.debito_a_cobrar WHERE imov_id = :p AND cbfm_id = ANY(:forms)"
    " ORDER BY dbac_id"
)


def read_charges(uow: LegacyUnitOfWork, property_id: int) -> Sequence[Charge]:
    """The charges (débitos a cobrar) of a property, oldest first."""
    zone = ZoneInfo(uow.profile.time_zone)
    params = {"p": property_id, "forms": [f.value for f in CollectionForm]}
    with translated("charge"):
        rows = uow.connection.execute(_CHARGES, params).all()
    return [
        Charge(
            id=ident,
            property_id=owner,
            debit_type_id=debit_type,
            total=Decimal(total),
            installments=count,
            installment_value=(Decimal(total) / count).quantize(_CENT, ROUND_HALF_UP),
            installments_billed=billed,
            collection_form=CollectionForm(form),
            interest_rate=Decimal(rate or 0),
            service_order_id=order,
            service_request_id=request,
            generated_at=stamp.replace(tzinfo=zone),
            reference=reference,
            actor=SETUP_ACTOR if user is None else user,
        )
        for (
            ident,
            owner,
            debit_type,
            total,
            count,
            billed,
            form,
            rate,
            order,
            request,
            stamp,
            reference,
            user,
        ) in rows
    ]
