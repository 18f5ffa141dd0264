"""The operations run by a service order on the installation history (§3):
installation, replacement, removal, relocation and the installation update
(UC0368)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import attrs

from gsan_core.errors import Violation
from gsan_core.model.catalog import CatalogItem
from gsan_core.model.hydrometers import (
    Hydrometer,
    HydrometerInstallation,
    MeasurementPoint,
)
from gsan_core.model.profile import UtilityProfile
from gsan_core.model.properties import Property
from gsan_core.rules.hydrometers.checks import (
    _place,
    _point_params,
    _protection,
    _seals,
    check_reading,
)
from gsan_core.rules.hydrometers.messages import (
    CUT_READING_REQUIRED,
    INSTALLED_IN_FUTURE,
    LOCATION_INCOMPATIBLE,
    LOCATION_REQUIRED,
    LOCATION_UNKNOWN,
    METER_NOT_AVAILABLE,
    METER_REQUIRED,
    METER_UNKNOWN,
    NEW_METER_UNKNOWN,
    NO_METER_AT_POINT,
    NO_METER_TO_RELOCATE,
    NO_METER_TO_REPLACE,
    NO_METER_TO_UPDATE,
    NOT_REMOVED,
    OUTGOING_TARGET_INSTALLED,
    PERIOD_OVERLAP,
    POINT_HAS_METER,
    REMOVAL_DATE_INVALID,
    SITUATION_UNKNOWN,
    TARGET_INSTALLED,
    UPDATE_WINDOW_PASSED,
    WATER_SITUATION_WITHOUT_METER,
    _with_rule,
)
from gsan_core.rules.hydrometers.situations import (
    MeterEvent,
    situation_after,
    situation_role,
)
from gsan_core.rules.validation import REQUIRED


# ================================================================ installation
@attrs.frozen(kw_only=True)
class IncomingMeter:
    """What the rules need to know of the meter to install."""

    #: The id or number the caller gave (for the message); ``None``: none given.
    given: int | str | None
    #: Both an id and a number were given.
    ambiguous: bool = False
    meter: Hydrometer | None
    situation: CatalogItem | None = None
    #: The meter's end of its last installation anywhere (periods never overlap).
    last_removal: date | None = None


@attrs.frozen(kw_only=True)
class NewInstallation:
    """The inputs of a new installation record."""

    installed_on: date
    reading: object
    place: CatalogItem | None
    place_id: object
    protection: CatalogItem | None
    protection_id: object
    seal: object = None
    tamper_seal: object = None


_INSTALL_RULES = {
    "unknown": "I-10",
    "location": "I-11",
    "available": "I-12",
    "inputs": "I-13",
}
_REPLACE_RULES = {
    "unknown": "S-9",
    "location": "S-10",
    "available": "S-11",
    "inputs": "S-12",
}


def check_new_installation(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    current: HydrometerInstallation | None,
    incoming: IncomingMeter,
    locality_location_id: int | None,
    new: NewInstallation,
    today: date,
    point_last_removal: date | None,
    replacing: bool = False,
) -> list[Violation]:
    """I-9..I-15 (``replacing``: S-9..S-12 for the incoming meter).

    I-9: no meter open at the point (a replacement closes it first); I-10: the
    meter exists; I-11: its stock location matches the locality's, when both are
    set; I-12: it is available; I-13: place, protection, a reading >= 0 that fits
    the meter's digits, seal lengths; I-14: the date is not after today; I-15: the
    date is not before the end of the point's or the meter's last installation.
    """
    rules = _REPLACE_RULES if replacing else _INSTALL_RULES
    found: list[Violation] = []
    if not replacing and current is not None:
        key = (
            "atencao.hidrometro_instalado_ligacao_agua"
            if point is MeasurementPoint.WATER_CONNECTION
            else "atencao.hidrometro_instalado_poco"
        )
        rule = "I-9" if point is MeasurementPoint.WATER_CONNECTION else "I-9'"
        found.append(
            _with_rule(POINT_HAS_METER, rule, key)(
                property_id=prop.id,
                hydrometer_id=current.hydrometer_id,
                **_point_params(point),
            )
        )
    meter = incoming.meter
    found += _incoming_meter(
        profile,
        incoming,
        prop=prop,
        locality_location_id=locality_location_id,
        rules=rules,
        replacing=replacing,
    )
    found += _place(new.place, new.place_id, rules["inputs"])
    found += _protection(new.protection, new.protection_id, rules["inputs"])
    found += check_reading(
        new.reading,
        field="Installation reading",
        campo="Leitura de Instalação",
        digits=None if meter is None else meter.reading_digits,
        rule=rules["inputs"],
        required=True,
    )
    found += _seals(new.seal, new.tamper_seal, rules["inputs"])
    found += _installation_date(new.installed_on, today, point_last_removal, incoming)
    return found


def _incoming_meter(
    profile: UtilityProfile,
    incoming: IncomingMeter,
    *,
    prop: Property,
    locality_location_id: int | None,
    rules: Mapping[str, str],
    replacing: bool,
) -> list[Violation]:
    """I-10..I-12 (S-9..S-11): the meter is given and exists, its stock
    location matches the locality's when both are set, it is available."""
    found: list[Violation] = []
    meter = incoming.meter
    unknown = NEW_METER_UNKNOWN if replacing else METER_UNKNOWN
    if incoming.given is None or incoming.ambiguous:
        found.append(_with_rule(METER_REQUIRED, rules["unknown"])())
    elif meter is None:
        found.append(unknown(meter=incoming.given))
    if meter is not None:
        if (
            locality_location_id is not None
            and meter.location_id is not None
            and meter.location_id != locality_location_id
        ):
            found.append(
                _with_rule(LOCATION_INCOMPATIBLE, rules["location"])(
                    number=meter.number,
                    meter_location=meter.location_id,
                    property_id=prop.id,
                    locality_location=locality_location_id,
                )
            )
        event = MeterEvent.REPLACE_INCOMING if replacing else MeterEvent.INSTALL
        if situation_after(profile, meter.situation_id, event) is None:
            name = (
                incoming.situation.description
                if incoming.situation
                else meter.situation_id
            )
            found.append(
                _with_rule(METER_NOT_AVAILABLE, rules["available"])(
                    number=meter.number, situation=name
                )
            )
    return found


def _installation_date(
    installed_on: date,
    today: date,
    point_last_removal: date | None,
    incoming: IncomingMeter,
) -> list[Violation]:
    """I-14: not after today; I-15: not before the end of the point's or the
    meter's last installation."""
    found: list[Violation] = []
    if installed_on > today:
        found.append(INSTALLED_IN_FUTURE(installed_on=installed_on, today=today))
    for whose, cujo, ended in (
        ("point's", "do ponto", point_last_removal),
        ("meter's", "do hidrômetro", incoming.last_removal),
    ):
        if ended is not None and installed_on < ended:
            found.append(
                PERIOD_OVERLAP(
                    installed_on=installed_on,
                    whose=whose,
                    cujo=cujo,
                    removed_on=ended,
                )
            )
    return found


# ================================================================ removal
@attrs.frozen(kw_only=True)
class Removal:
    """The inputs of closing the current installation (removal, replacement)."""

    removed_on: date
    reading: object
    situation_id: object
    situation: CatalogItem | None
    location_id: object
    location: CatalogItem | None


_REMOVAL_RULES = {
    "none": "R-7",
    "situation": "R-8",
    "location": "R-9",
    "reading": "R-10",
    "date": "R-11",
}
_OUTGOING_RULES = {
    "none": "S-7",
    "situation": "S-8",
    "location": "S-12",
    "reading": "S-12",
    "date": "S-13",
}


def check_removal(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    current: HydrometerInstallation | None,
    meter: Hydrometer | None,
    removal: Removal,
    today: date,
    replacing: bool = False,
) -> list[Violation]:
    """R-7..R-11 (``replacing``: S-7, S-8, S-12, S-13 for the outgoing meter).

    R-7: a meter is installed at the point; R-8: the situation the meter takes
    exists and is not INSTALADO (GSAN checks it only on replacement, S-8, whose
    code and words a replacement's refusal carries); R-9: the
    stock location exists when given, and the meter ends with one unless the
    situation is a lost/stolen one; R-10: the reading is optional on removal,
    required on replacement, a whole number >= 0 within the meter's digits; R-11:
    the date is from the installation date to today.
    """
    rules = _OUTGOING_RULES if replacing else _REMOVAL_RULES
    if current is None:
        if replacing:
            key = (
                "atencao.imovel_ligacao_agua_sem_hidrometro"
                if point is MeasurementPoint.WATER_CONNECTION
                else "atencao.imovel_poco_sem_hidrometro"
            )
            message = _with_rule(NO_METER_TO_REPLACE, rules["none"], key)
        else:
            message = NO_METER_AT_POINT
        return [message(property_id=prop.id, **_point_params(point))]
    situation = removal.situation
    found = _outgoing_situation(profile, removal, rules, replacing=replacing)
    lost = situation is not None and situation.flag("lost")
    if removal.location_id is not None and (
        removal.location is None or not removal.location.active
    ):
        found.append(
            _with_rule(LOCATION_UNKNOWN, rules["location"])(
                location_id=removal.location_id
            )
        )
    elif (
        not lost
        and removal.location_id is None
        and (meter is None or meter.location_id is None)
    ):
        found.append(_with_rule(LOCATION_REQUIRED, rules["location"])())
    found += check_reading(
        removal.reading,
        field="Removal reading",
        campo="Leitura de Retirada",
        digits=None if meter is None else meter.reading_digits,
        rule=rules["reading"],
        required=replacing,
    )
    if not current.installed_on <= removal.removed_on <= today:
        found.append(
            _with_rule(REMOVAL_DATE_INVALID, rules["date"])(
                removed_on=removal.removed_on,
                installed_on=current.installed_on,
                today=today,
            )
        )
    return found


def _outgoing_situation(
    profile: UtilityProfile,
    removal: Removal,
    rules: Mapping[str, str],
    *,
    replacing: bool,
) -> list[Violation]:
    """R-8 (S-8): the situation the meter takes is given, exists, is active
    and is not INSTALADO."""
    found: list[Violation] = []
    situation = removal.situation
    if removal.situation_id is None:
        found.append(
            _with_rule(REQUIRED, rules["situation"])(
                field="Hydrometer situation", campo="Situação do Hidrômetro"
            )
        )
    elif situation is None or not situation.active:
        found.append(
            _with_rule(SITUATION_UNKNOWN, rules["situation"])(
                situation_id=removal.situation_id
            )
        )
    elif situation_role(profile, situation.id) == "installed":
        refusal = OUTGOING_TARGET_INSTALLED if replacing else TARGET_INSTALLED
        found.append(refusal(situation=situation.description))
    return found


def removal_outcome(
    meter: Hydrometer, *, situation: CatalogItem, location_id: int | None
) -> tuple[int, int | None]:
    """The situation and stock location of a meter leaving a point: the chosen
    situation; no location when it is lost/stolen, else the chosen one or, when
    none is given, the one it had."""
    if situation.flag("lost"):
        return situation.id, None
    return situation.id, location_id if location_id is not None else meter.location_id


# ================================================================ relocation
def check_relocation(
    *,
    point: MeasurementPoint,
    prop: Property,
    current: HydrometerInstallation | None,
    place: CatalogItem | None,
    place_id: object,
    protection: CatalogItem | None,
    protection_id: object,
    stand: object,
) -> list[Violation]:
    """M-8: a meter is installed at the point; M-9: place, protection and stand."""
    found: list[Violation] = []
    if current is None:
        key = (
            "atencao.imovel_ligacao_agua_sem_hidrometro"
            if point is MeasurementPoint.WATER_CONNECTION
            else "atencao.imovel_poco_sem_hidrometro"
        )
        found.append(
            attrs.evolve(NO_METER_TO_RELOCATE, gsan_key=key)(
                property_id=prop.id, **_point_params(point)
            )
        )
    found += _place(place, place_id, "M-9")
    found += _protection(protection, protection_id, "M-9")
    if not isinstance(stand, bool):
        found.append(_with_rule(REQUIRED, "M-9")(field="Stand", campo="Cavalete"))
    return found


# ================================================================ update, UC0368
def check_update_window(
    *, order_id: int, closed_on: date, today: date, days: int
) -> list[Violation]:
    """A-2: an installation or replacement OS allows corrections for ``days`` days
    after its closing (``diasMaximoAlterarOS``)."""
    ago = (today - closed_on).days
    if ago <= days:
        return []
    return [UPDATE_WINDOW_PASSED(order_id=order_id, days_ago=ago, days=days)]


@attrs.frozen(kw_only=True)
class InstallationChanges:
    """The corrected values of UC0368 (``None``: unchanged) and their catalog rows."""

    installed_on: date | None = None
    reading: object = None
    place: CatalogItem | None = None
    place_id: object = None
    protection: CatalogItem | None = None
    protection_id: object = None
    stand: object = None
    seal: object = None
    tamper_seal: object = None
    cut_reading: object = None
    suppression_reading: object = None
    removal_reading: object = None


def check_installation_update(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    water_status: CatalogItem | None,
    current: HydrometerInstallation | None,
    meter: Hydrometer | None,
    changes: InstallationChanges,
    today: date,
    point_last_removal: date | None,
) -> list[Violation]:
    """A-4..A-8 for correcting the current installation.

    A-4: water: the connection is not potential or feasible and has a meter; well:
    a meter is installed. A-5: the installation date is not after today (and,
    I-15, not before the previous installation's end). A-6: the installation
    reading is >= 0 (GSAN: > 0, which contradicts installation's default 0).
    A-8: a cut connection keeps a cut reading. A-7: a removal reading belongs to
    a record with a removal date; the record corrected is the open one, so a
    removal reading given is refused rather than dropped.
    """
    found: list[Violation] = []
    if point is MeasurementPoint.WATER_CONNECTION and (
        profile.plays("water_status.potential", prop.water_status_id)
        or profile.plays("water_status.feasible", prop.water_status_id)
    ):
        found.append(
            WATER_SITUATION_WITHOUT_METER(
                property_id=prop.id,
                situation=water_status.description
                if water_status
                else prop.water_status_id,
            )
        )
    if current is None:
        key = (
            "atencao.imovel.ligacao_agua.hidrometro.inexistente"
            if point is MeasurementPoint.WATER_CONNECTION
            else "atencao.imovel.poco.hidrometro.inexistente"
        )
        found.append(
            attrs.evolve(NO_METER_TO_UPDATE, gsan_key=key)(
                property_id=prop.id, **_point_params(point)
            )
        )
        return found
    found += _corrections(
        profile,
        point=point,
        prop=prop,
        current=current,
        meter=meter,
        changes=changes,
        today=today,
        point_last_removal=point_last_removal,
    )
    return found


def _corrections(
    profile: UtilityProfile,
    *,
    point: MeasurementPoint,
    prop: Property,
    current: HydrometerInstallation,
    meter: Hydrometer | None,
    changes: InstallationChanges,
    today: date,
    point_last_removal: date | None,
) -> list[Violation]:
    """A-5..A-8 for the values corrected in the open installation."""
    found: list[Violation] = []
    digits = None if meter is None else meter.reading_digits
    installed_on = changes.installed_on
    if installed_on is not None:
        if installed_on > today:
            found.append(
                _with_rule(INSTALLED_IN_FUTURE, "A-5")(
                    installed_on=installed_on, today=today
                )
            )
        if point_last_removal is not None and installed_on < point_last_removal:
            found.append(
                PERIOD_OVERLAP(
                    installed_on=installed_on,
                    whose="point's",
                    cujo="do ponto",
                    removed_on=point_last_removal,
                )
            )
    found += check_reading(
        changes.reading,
        field="Installation reading",
        campo="Leitura de Instalação",
        digits=digits,
        rule="A-6",
    )
    if changes.place_id is not None:
        found += _place(changes.place, changes.place_id, "A-6")
    if changes.protection_id is not None:
        found += _protection(changes.protection, changes.protection_id, "A-6")
    if changes.stand is not None and not isinstance(changes.stand, bool):
        found.append(_with_rule(REQUIRED, "A-6")(field="Stand", campo="Cavalete"))
    found += _seals(changes.seal, changes.tamper_seal, "A-6")
    if changes.removal_reading is not None and current.removed_on is None:
        found.append(NOT_REMOVED(installation_id=current.id))
    for value, field, campo in (
        (changes.cut_reading, "Cut reading", "Leitura de Corte"),
        (changes.suppression_reading, "Suppression reading", "Leitura de Supressão"),
    ):
        found += check_reading(
            value, field=field, campo=campo, digits=digits, rule="A-8"
        )
    cut = point is MeasurementPoint.WATER_CONNECTION and profile.plays(
        "water_status.cut", prop.water_status_id
    )
    cut_reading = (
        changes.cut_reading if changes.cut_reading is not None else current.cut_reading
    )
    if cut and cut_reading is None:
        found.append(CUT_READING_REQUIRED(property_id=prop.id))
    return found
