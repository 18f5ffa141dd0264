"""Reading open debts (UC0067) with their surcharges (UC0216) inside a unit of work.

These helpers are shared by the account use cases: they read what UC0067 needs
in a bounded number of statements (the relations of the properties, the
responsible customers, the index table, the properties' localities, the open
items in one round trip) whatever the number of items.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import date
from decimal import Decimal

from gsan_core.errors import RuleViolation
from gsan_core.model.accounts import (
    AccountDebts,
    CertificateHeader,
    Customer,
    CustomerProperty,
    RelationType,
    SurchargeMemo,
    ZeroReason,
)
from gsan_core.model.billing import DebtKind, OpenDebt
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Locality, Property
from gsan_core.ports.calendar import BusinessCalendar
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules.accounts import messages as m
from gsan_core.rules.accounts.customers import current_customer
from gsan_core.rules.accounts.debts import DebtQuery, select_debts
from gsan_core.rules.accounts.documents import certificate_header
from gsan_core.rules.accounts.surcharges import IndexTable, assess
from gsan_core.rules.accounts.tariffs import tariff_update

#: A property's share of pricing its items: its business-day test, whether its
#: locality has a municipality (ACR-02), its exemption (ODB-08).
_PropertyPricing = tuple[Callable[[date], bool], bool, ZeroReason | None]

__all__ = ["DebtReader"]


class DebtReader:
    """UC0067 over one unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        *,
        profile: UtilityProfile,
        calendar: BusinessCalendar,
        today: date,
        business_days: dict[tuple[date, int | None], bool] | None = None,
    ) -> None:
        self._uow = uow
        self._profile = profile
        self._calendar = calendar
        self._today = today
        self._indices: IndexTable | None = None
        #: What :meth:`preload` read: properties, relations, open items.
        self._preloaded: (
            tuple[
                Mapping[int, Property],
                Sequence[CustomerProperty],
                Mapping[int, Sequence[OpenDebt]],
            ]
            | None
        ) = None
        #: Business days already asked (shared by the readers of one service).
        self._business = business_days if business_days is not None else {}
        #: Localities and customers already read (the pricer's reads, reused
        #: by the certificate's header, CND-09).
        self._localities: dict[int, Locality] = {}
        self._customers: dict[int, Customer] = {}
        #: Read the properties' users with their responsible customers (the
        #: certificate's header, CND-09, asks; the statement does not).
        self.with_users = False

    # ------------------------------------------------------------ reads
    def properties(self, property_ids: Collection[int]) -> Mapping[int, Property]:
        """The properties, or a violation naming the first missing one."""
        if len(property_ids) == 1:
            (only,) = property_ids
            single = self._uow.properties.find(only)
            found = {} if single is None else {only: single}
        else:
            found = dict(self._uow.properties.get_many(property_ids))
        missing = sorted(set(property_ids) - set(found))
        if missing:
            raise RuleViolation([m.PROPERTY_NOT_FOUND(property_id=i) for i in missing])
        return found

    def relations(self, property_ids: Collection[int]) -> Sequence[CustomerProperty]:
        if not property_ids:
            return []
        return self._uow.customer_properties.find_by(property_id=list(property_ids))

    def localities(self, ids: Collection[int]) -> Mapping[int, Locality]:
        """The localities, read once per reader (only those not read yet)."""
        missing = set(ids) - set(self._localities)
        if len(missing) == 1:
            (only,) = missing
            single = self._uow.localities.find(only)
            if single is not None:
                self._localities[only] = single
        elif missing:
            self._localities |= dict(self._uow.localities.get_many(missing))
        return {i: self._localities[i] for i in ids if i in self._localities}

    def customers(self, ids: Collection[int]) -> Mapping[int, Customer]:
        """The customers, read once per reader (only those not read yet)."""
        missing = set(ids) - set(self._customers)
        if missing:
            self._customers |= dict(self._uow.customers.get_many(missing))
        return {i: self._customers[i] for i in ids if i in self._customers}

    def indices(self) -> IndexTable:
        if self._indices is None:
            self._indices = IndexTable(self._uow.surcharge_indices.find_by())
        return self._indices

    def preload(self, property_ids: Collection[int]) -> None:
        """Read the properties, their relations and their open items once, for
        the UC0067 calls that follow over subsets of them (the by-customer
        certificate asks once per customer of the hierarchy)."""
        ids = sorted(set(property_ids))
        props = self.properties(ids) if ids else {}
        rels = self.relations(ids)
        items = self._uow.billing.open_debts_of(ids) if ids else {}
        self._preloaded = (props, rels, items)

    def _open_items(
        self, scope: Collection[int]
    ) -> tuple[
        Mapping[int, Property] | None,
        Sequence[CustomerProperty] | None,
        Mapping[int, Sequence[OpenDebt]] | None,
    ]:
        """What :meth:`preload` read about ``scope``, when it covers it."""
        if self._preloaded is None:
            return None, None, None
        props, rels, items = self._preloaded
        if not set(scope) <= set(props):
            return None, None, None
        return (
            {pid: props[pid] for pid in scope},
            [r for r in rels if r.property_id in scope],
            {pid: items[pid] for pid in scope if pid in items},
        )

    def headers(
        self,
        props: Mapping[int, Property],
        relations: Sequence[CustomerProperty],
    ) -> list[CertificateHeader]:
        """CND-09 / CNC-07: the certificate header of each property, from what
        was read (the users and localities not read yet in one read each)."""
        by_property: dict[int, list[CustomerProperty]] = {}
        for rel in relations:
            by_property.setdefault(rel.property_id, []).append(rel)
        users = {
            pid: current_customer(by_property.get(pid, ()), RelationType.USER)
            for pid in props
        }
        customers = self.customers({u for u in users.values() if u is not None})
        localities = self.localities({p.locality_id for p in props.values()})
        return [
            certificate_header(
                prop,
                locality=localities.get(prop.locality_id),
                user=customers.get(users[pid] or 0),
            )
            for pid, prop in sorted(props.items())
        ]

    def preloaded(self) -> tuple[Mapping[int, Property], Sequence[CustomerProperty]]:
        """The properties and relations :meth:`preload` read."""
        if self._preloaded is None:
            return {}, []
        props, rels, _ = self._preloaded
        return props, rels

    # ------------------------------------------------------------ UC0067
    def debts(
        self,
        property_ids: Sequence[int],
        *,
        query: DebtQuery,
        charge_property_ids: Sequence[int] | None = None,
        properties: Mapping[int, Property] | None = None,
        relations: Sequence[CustomerProperty] | None = None,
    ) -> AccountDebts:
        """UC0067 for ``property_ids`` (every id must exist)."""
        scope = set(property_ids) | set(charge_property_ids or ())
        known_props, known_rels, known_items = self._open_items(scope)
        props = properties if properties is not None else known_props
        if props is None:
            props = self.properties(scope)
        rels = relations if relations is not None else known_rels
        if rels is None:
            rels = self.relations(list(scope))
        by_property: dict[int, list[CustomerProperty]] = {}
        for rel in rels:
            by_property.setdefault(rel.property_id, []).append(rel)
        current_user = {
            pid: current_customer(by_property.get(pid, ()), RelationType.USER)
            for pid in scope
        }
        found = known_items
        if found is None:
            found = self._uow.billing.open_debts_of(scope) if scope else {}
        items = [debt for debts in found.values() for debt in debts]
        price = self._pricer(props, by_property, items) if query.surcharges else None
        return select_debts(
            items,
            property_ids=property_ids,
            query=query,
            current_user=current_user,
            split_previous_occupants=self._profile.surcharge.split_previous_occupants,
            price=price,
            charge_property_ids=charge_property_ids,
            contract_blocked=self._profile.surcharge.contract_blocked,
        )

    def debts_by_property(
        self,
        props: Mapping[int, Property],
        *,
        query: DebtQuery,
    ) -> dict[int, AccountDebts]:
        """UC0067 for many properties at once (batches): one read of each
        table for the whole set, then the rule per property."""
        scope = list(props)
        rels = self.relations(scope)
        by_property: dict[int, list[CustomerProperty]] = {}
        for rel in rels:
            by_property.setdefault(rel.property_id, []).append(rel)
        items = self._uow.billing.open_debts_of(scope)
        price = (
            self._pricer(props, by_property, [d for v in items.values() for d in v])
            if query.surcharges
            else None
        )
        split = self._profile.surcharge.split_previous_occupants
        return {
            pid: select_debts(
                items.get(pid, ()),
                property_ids=[pid],
                query=query,
                current_user={
                    pid: current_customer(by_property.get(pid, ()), RelationType.USER)
                },
                split_previous_occupants=split,
                price=price,
                contract_blocked=self._profile.surcharge.contract_blocked,
            )
            for pid in scope
        }

    def _pricer(
        self,
        props: Mapping[int, Property],
        by_property: Mapping[int, Sequence[CustomerProperty]],
        items: Sequence[OpenDebt] = (),
    ) -> Callable[[OpenDebt], SurchargeMemo]:
        params = self._profile.surcharge
        updates = self._tariff_updates(items) if params.tariff_update else {}
        localities = self.localities({p.locality_id for p in props.values()})
        responsible_ids = {
            pid: current_customer(rels, RelationType.RESPONSIBLE)
            for pid, rels in by_property.items()
        }
        wanted = {c for c in responsible_ids.values() if c is not None}
        if self.with_users:
            # the certificate's header names the users (CND-09): one read of
            # both costs what one read of the responsible customers did
            users = (
                current_customer(r, RelationType.USER) for r in by_property.values()
            )
            wanted |= {u for u in users if u is not None}
        customers = self.customers(wanted)
        indices = self.indices()
        overdue_days = self._profile.collection.overdue_after_days

        def exemption(prop: Property) -> ZeroReason | None:
            main = prop.main_category
            if main is not None and main.category_id in params.exempt_category_ids:
                return ZeroReason.EXEMPT_CATEGORY
            responsible = customers.get(responsible_ids.get(prop.id) or 0)
            if responsible is not None and not responsible.charges_surcharges:
                return ZeroReason.EXEMPT_CUSTOMER
            return None

        # What a property contributes to every one of its items' pricing,
        # worked out once per property (a statement prices ~120 items of one).
        per_property: dict[int, _PropertyPricing] = {}

        def of_property(pid: int) -> _PropertyPricing:
            prop = props[pid]
            locality = localities.get(prop.locality_id)
            municipality = None if locality is None else locality.municipality_id
            found = per_property[pid] = (
                lambda day: self._is_business_day(day, municipality),
                municipality is not None,
                exemption(prop),
            )
            return found

        def price(debt: OpenDebt) -> SurchargeMemo:
            known = per_property.get(debt.property_id)
            if known is None:
                known = of_property(debt.property_id)
            business_day, has_municipality, exempt = known
            return assess(
                debt,
                today=self._today,
                indices=indices,
                params=params,
                is_business_day=business_day,
                has_municipality=has_municipality,
                exempt=exempt,
                overdue_after_days=overdue_days,
                tariff_difference=updates.get(debt.id),
            )

        return price

    def _tariff_updates(self, items: Sequence[OpenDebt]) -> dict[int, Decimal]:
        """ACR-12: each bill's re-priced difference, from what it billed and
        the tariff in force today (two reads, whatever the number of bills;
        none when no bill is old enough)."""
        before = self._profile.surcharge.tariff_update_before
        bill_ids = [
            d.id
            for d in items
            if d.kind is DebtKind.BILL
            and (before is None or (d.reference or 0) < before)
        ]
        if not bill_ids:
            return {}
        billed = self._uow.billing.billed_consumption(bill_ids)
        tariff_ids = {b.tariff_id for b in billed.values()}
        tariffs = (
            self._uow.billing.tariffs_in_force(tariff_ids, on=self._today)
            if tariff_ids
            else {}
        )
        return {
            bill_id: tariff_update(row, tariffs[row.tariff_id])
            for bill_id, row in billed.items()
            if row.tariff_id in tariffs
        }

    def _is_business_day(self, day: date, municipality_id: int | None) -> bool:
        key = (day, municipality_id)
        known = self._business.get(key)
        if known is None:
            known = self._calendar.is_business_day(
                day,
                scope=self._profile.surcharge.holiday_scope,
                municipality_id=municipality_id,
            )
            self._business[key] = known
        return known
