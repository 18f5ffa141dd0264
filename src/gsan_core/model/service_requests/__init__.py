"""Service requests (RA, "registro de atendimento"), their routing and configuration.

A customer (or the utility itself) opens a *service request* of a *specification*
(``SolicitacaoTipoEspecificacao``) of a *request type* (``SolicitacaoTipo``). The
request is routed between organisational units by *routing steps* (``Tramite``):
the destination of the last step is its *current unit*, which its service orders
follow. It is closed with a closing reason (the ``closing_reason`` kind shared with
the service orders) and, once closed, changes only by *reactivation*, which opens a
new request linked to it.

The configuration (request types, groups, channels, the routing associations,
the property-situation profiles) lives in the catalog and in the small entities
below; the rules read them through the unit of work.
"""

from __future__ import annotations

from gsan_core.model.service_requests.configuration import (
    CollectionSituationUnit,
    LocalityGroupUnit,
    LocalitySpecificationUnit,
    PropertySituationProfile,
    RequestSpecification,
    SituationCriterion,
    SpecificationServiceType,
)
from gsan_core.model.service_requests.enums import (
    RegulatorSituation,
    RequestAction,
    RequestSituation,
    RoutingReason,
    SimplifiedKind,
)
from gsan_core.model.service_requests.events import (
    ClosingCommandExecuted,
    ClosingCommandIssued,
    ManualNumbersGenerated,
    OperationalOccurrenceChanged,
    RegulatorRecordChanged,
    RequestConfigurationChanged,
    SatisfactionSurveyAnswered,
    SatisfactionSurveyRequested,
    ServiceRequestClosed,
    ServiceRequestForwarded,
    ServiceRequestLocationChanged,
    ServiceRequestOpened,
    ServiceRequestReactivated,
    ServiceRequestReiterated,
    ServiceRequestUpdated,
    UrgentRequestAlert,
)
from gsan_core.model.service_requests.records import (
    ClosedByCommand,
    ClosingCommand,
    ManualNumberBlock,
    OperationalOccurrence,
    OrderRef,
    RegulatorRecord,
    Reiteration,
    RoutingStep,
    SatisfactionSurvey,
)
from gsan_core.model.service_requests.requests import (
    OpenRequest,
    RequestChange,
    Requester,
    RequestLocation,
    RequestRef,
    ServiceRequest,
    location_fields,
)
from gsan_core.model.service_requests.tables import (
    OCCURRENCE_REASON,
    OCCURRENCE_TYPE,
    REACTIVATION_REASON,
    REGULATOR_COMPLAINT_REASON,
    REGULATOR_RETURN_REASON,
    REQUEST_CHANNEL,
    REQUEST_MESSAGE,
    REQUEST_TYPE,
    REQUEST_TYPE_GROUP,
    SERVICE_REQUEST_KINDS,
    SEWER_DIVISION,
    SIDEWALK_PAVEMENT,
    STREET_PAVEMENT,
)

__all__ = [
    "OCCURRENCE_REASON",
    "OCCURRENCE_TYPE",
    "REACTIVATION_REASON",
    "REGULATOR_COMPLAINT_REASON",
    "REGULATOR_RETURN_REASON",
    "REQUEST_CHANNEL",
    "REQUEST_MESSAGE",
    "REQUEST_TYPE",
    "REQUEST_TYPE_GROUP",
    "SERVICE_REQUEST_KINDS",
    "SEWER_DIVISION",
    "SIDEWALK_PAVEMENT",
    "STREET_PAVEMENT",
    "ClosedByCommand",
    "ClosingCommand",
    "ClosingCommandExecuted",
    "ClosingCommandIssued",
    "CollectionSituationUnit",
    "LocalityGroupUnit",
    "LocalitySpecificationUnit",
    "ManualNumberBlock",
    "ManualNumbersGenerated",
    "OpenRequest",
    "OperationalOccurrence",
    "OperationalOccurrenceChanged",
    "OrderRef",
    "PropertySituationProfile",
    "RegulatorRecord",
    "RegulatorRecordChanged",
    "RegulatorSituation",
    "Reiteration",
    "RequestAction",
    "RequestChange",
    "RequestConfigurationChanged",
    "RequestLocation",
    "RequestRef",
    "RequestSituation",
    "RequestSpecification",
    "Requester",
    "RoutingReason",
    "RoutingStep",
    "SatisfactionSurvey",
    "SatisfactionSurveyAnswered",
    "SatisfactionSurveyRequested",
    "ServiceRequest",
    "ServiceRequestClosed",
    "ServiceRequestForwarded",
    "ServiceRequestLocationChanged",
    "ServiceRequestOpened",
    "ServiceRequestReactivated",
    "ServiceRequestReiterated",
    "ServiceRequestUpdated",
    "SimplifiedKind",
    "SituationCriterion",
    "SpecificationServiceType",
    "UrgentRequestAlert",
    "location_fields",
]
