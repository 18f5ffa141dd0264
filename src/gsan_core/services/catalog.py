"""Use cases of the reference tables: insert, maintain, deactivate, remove."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from gsan_core.errors import ConcurrencyConflict, Message, Violation
from gsan_core.model.catalog import (
    CatalogItem,
    CatalogItemAdded,
    CatalogItemChanged,
    CatalogItemRemoved,
    CatalogKind,
    Reference,
)
from gsan_core.ports.unit_of_work import UnitOfWork
from gsan_core.rules import catalog as rules
from gsan_core.rules.validation import ensure
from gsan_core.services.context import Service

__all__ = ["UNKNOWN_KIND", "CatalogService"]

UNKNOWN_KIND = Message(
    "catalog.unknown_kind",
    en="There is no reference table named {kind!r}.",
    pt="Não existe tabela de referência chamada {kind!r}.",
)

_UNSET: object = object()
#: The id a new row is checked with before the id port numbers it (no row has it).
_PROVISIONAL_ID = 2**62


def _new_id(uow: UnitOfWork, kind: str) -> int:
    """A new id of ``kind`` from the id port: ids a remove freed are not
    handed out again, and a sequence behind the rows added with explicit ids
    (seeds, loads) moves past the highest of them in one call."""
    name = f"catalog.{kind}"
    ident = uow.next_id(name)
    highest = max((row.id for row in uow.catalog.list(kind)), default=0)
    if ident <= highest:
        ident = uow.next_ids(name, highest - ident + 1)[-1]
    return ident


class CatalogService(Service):
    """``gsan.catalog``: every "Inserir X / Manter X" reference table."""

    # ------------------------------------------------------------------ reads
    def kinds(self) -> Sequence[CatalogKind]:
        """Every reference table the library knows, by name."""
        return [self._ctx.kinds[name] for name in sorted(self._ctx.kinds)]

    def kind(self, name: str) -> CatalogKind:
        """The description of one reference table."""
        kind = self._ctx.kinds.get(name)
        if kind is None:
            ensure([UNKNOWN_KIND(kind=name)])
            raise AssertionError  # pragma: no cover - ensure raised
        return kind

    def get(self, kind: str, id: int) -> CatalogItem:
        """One row; ``NotFound`` if absent."""
        self.kind(kind)
        with self._read() as uow:
            return uow.catalog.get(kind, id)

    def list(self, kind: str, *, active_only: bool = False) -> Sequence[CatalogItem]:
        """The rows of a reference table, by id."""
        self.kind(kind)
        with self._read() as uow:
            return uow.catalog.list(kind, active_only=active_only)

    # ------------------------------------------------------------------ checks
    def check(self, item: CatalogItem) -> tuple[Violation, ...]:
        """Every violation ``item`` would raise if added or stored (CAT-1..CAT-4)."""
        kind = self.kind(item.kind)
        with self._read() as uow:
            return self._check(uow, kind, item)

    def _check(
        self,
        uow: UnitOfWork,
        kind: CatalogKind,
        item: CatalogItem,
        siblings: Sequence[CatalogItem] | None = None,
    ) -> tuple[Violation, ...]:
        if siblings is None:
            siblings = uow.catalog.list(kind.name)
        return (
            *rules.check_item(
                item, kind=kind, siblings=siblings, lookup=uow.catalog.find
            ),
            *self._extra(item),
        )

    def _extra(self, item: CatalogItem) -> tuple[Violation, ...]:
        check = self._ctx.catalog_checks.get(item.kind)
        return () if check is None else tuple(check(item))

    def _typed(self, kind: CatalogKind, item: CatalogItem) -> CatalogItem:
        if not kind.attributes and not item.attributes:
            return item  # nothing to coerce (most reference tables)
        attributes, violations = rules.coerce_attributes(kind, item.attributes)
        ensure(violations)
        return attrs.evolve(item, attributes=attributes)

    # ------------------------------------------------------------------ writes
    def add(
        self,
        kind: str,
        *,
        description: str,
        actor: int,
        abbreviation: str | None = None,
        attributes: Mapping[str, object] | None = None,
        active: bool = True,
        id: int | None = None,
    ) -> CatalogItem:
        """Insert a row; unless given, its id comes from the id port (kind
        ``catalog.<kind>``: on a GSAN database, the table's own sequence), past
        the rows added with explicit ids (the profile's seeds).

        The kind is locked first (CAT-4 compares the row with its siblings),
        so two concurrent additions of a kind run one after the other."""
        spec = self.kind(kind)
        with self._work() as uow:
            uow.lock_key(f"catalog.{kind}")
            item = CatalogItem(
                kind=kind,
                # a refused row takes no id: checked first, numbered after
                id=id if id is not None else _PROVISIONAL_ID,
                description=description,
                abbreviation=abbreviation,
                active=active,
                attributes=dict(attributes or {}),  # type: ignore[arg-type]
            )
            ensure(self._check(uow, spec, item))
            item = self._typed(spec, item)
            if id is None:
                item = attrs.evolve(item, id=_new_id(uow, kind))
            uow.catalog.add(item)
            uow.record(
                CatalogItemAdded(
                    occurred_at=self._now(), actor=actor, kind=kind, item_id=item.id
                )
            )
            uow.commit()
        return item

    def update(
        self,
        kind: str,
        id: int,
        *,
        expected_version: int,
        actor: int,
        description: str | None = None,
        abbreviation: str | object | None = _UNSET,
        attributes: Mapping[str, object] | None = None,
        active: bool | None = None,
    ) -> CatalogItem:
        """Change a row the caller read at ``expected_version`` (optimistic lock).

        Only the given fields change; ``attributes`` are merged into the stored ones.
        The kind is locked first (CAT-4 against the siblings).
        """
        spec = self.kind(kind)
        with self._work() as uow:
            uow.lock_key(f"catalog.{kind}")
            # the kind's rows read once: the row and its siblings (issue 20)
            siblings = uow.catalog.list(kind)
            current = next((r for r in siblings if r.id == id), None)
            if current is None:
                current = uow.catalog.get(kind, id)  # NotFound
            if current.version != expected_version:
                raise ConcurrencyConflict(f"catalog.{kind}", id, expected_version)
            changed = attrs.evolve(
                current,
                description=current.description if description is None else description,
                abbreviation=(
                    current.abbreviation if abbreviation is _UNSET else abbreviation  # type: ignore[arg-type]
                ),
                attributes={**current.attributes, **(attributes or {})},  # type: ignore[dict-item]
                active=current.active if active is None else active,
                version=current.version + 1,
            )
            ensure(self._check(uow, spec, changed, siblings))
            changed = self._typed(spec, changed)
            uow.catalog.update(changed)
            uow.record(
                CatalogItemChanged(
                    occurred_at=self._now(),
                    actor=actor,
                    kind=kind,
                    item_id=id,
                    version=changed.version,
                    active=changed.active,
                )
            )
            uow.commit()
        return changed

    def deactivate(
        self,
        kind: str,
        id: int,
        *,
        expected_version: int,
        actor: int,
    ) -> CatalogItem:
        """Take a row out of use (``indicadorUso = 2``); it stays for history."""
        return self.update(
            kind, id, expected_version=expected_version, actor=actor, active=False
        )

    def activate(
        self,
        kind: str,
        id: int,
        *,
        expected_version: int,
        actor: int,
    ) -> CatalogItem:
        """Put a row back in use; uniqueness among active rows is checked again."""
        return self.update(
            kind, id, expected_version=expected_version, actor=actor, active=True
        )

    def remove(
        self,
        kind: str,
        id: int,
        *,
        expected_version: int,
        actor: int,
    ) -> None:
        """Delete a row nothing uses (CAT-5); otherwise deactivate it."""
        spec = self.kind(kind)
        with self._work() as uow:
            current = uow.catalog.get(kind, id)
            if current.version != expected_version:
                raise ConcurrencyConflict(f"catalog.{kind}", id, expected_version)
            usage = uow.catalog.usage_count(kind, id, spec.referenced_by)
            usage += self._catalog_usage(uow, kind, id)
            ensure(rules.check_removal(current, kind=spec, usage=usage))
            uow.catalog.remove(current)
            uow.record(
                CatalogItemRemoved(
                    occurred_at=self._now(), actor=actor, kind=kind, item_id=id
                )
            )
            uow.commit()

    def _catalog_usage(self, uow: UnitOfWork, kind: str, id: int) -> int:
        count = 0
        for other in self._ctx.kinds.values():
            for spec in other.attributes:
                if spec.type == "ref" and spec.ref == kind:
                    count += sum(
                        1
                        for row in uow.catalog.list(other.name)
                        if row.attributes.get(spec.name) == id
                    )
        return count

    def seed(self, items: Iterable[CatalogItem], *, actor: int) -> int:
        """Insert reference rows that are not there yet (idempotent); returns how many.

        Used to seed a new database from a profile; every row is checked.
        """
        with self._work() as uow:
            rows: dict[str, dict[int, CatalogItem]] = {}
            indexes: dict[str, rules.SiblingIndex] = {}

            def rows_of(kind: str) -> dict[int, CatalogItem]:
                if kind not in rows:
                    rows[kind] = {r.id: r for r in uow.catalog.list(kind)}
                return rows[kind]

            def index_of(spec: CatalogKind) -> rules.SiblingIndex:
                if spec.name not in indexes:
                    indexes[spec.name] = rules.SiblingIndex(
                        spec, rows_of(spec.name).values()
                    )
                return indexes[spec.name]

            def lookup(kind: str, ident: int) -> CatalogItem | None:
                return rows_of(kind).get(ident)

            added: list[CatalogItem] = []
            for item in items:
                spec = self.kind(item.kind)
                existing = rows_of(item.kind)
                if item.id in existing:
                    continue
                index = index_of(spec)
                ensure(
                    (
                        *rules.check_item(
                            item, kind=spec, siblings=index, lookup=lookup
                        ),
                        *self._extra(item),
                    )
                )
                typed = self._typed(spec, item)
                existing[typed.id] = typed
                index.add(typed)
                added.append(typed)
            uow.catalog.add_many(added)
            now = self._now()
            uow.record(
                *(
                    CatalogItemAdded(
                        occurred_at=now, actor=actor, kind=item.kind, item_id=item.id
                    )
                    for item in added
                )
            )
            uow.commit()
        return len(added)

    def references(self, kind: str) -> tuple[Reference, ...]:
        """The entity fields that use rows of ``kind``."""
        return self.kind(kind).referenced_by
