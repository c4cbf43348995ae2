from appeals.models.appeals import Appeal
from appeals.models.counts import AppealTally
from appeals.models.deliveries import (
    AuthorityResponse,
    DeliveredSignature,
    Delivery,
    DeliveryFile,
    DeliveryMethod,
    DeliveryState,
    OriginalFile,
)
from appeals.models.pages import CaseIndexPage, CasePage
from appeals.models.periodic import PeriodicWork
from appeals.models.settings import AppealsSettings
from appeals.models.signatures import Signature, Withdrawal
from appeals.models.signer_updates import MailingState, SignerUpdate, UpdateSent
from appeals.models.statuses import Status
from appeals.models.updates import CaseUpdate

__all__ = [
    "Appeal",
    "AppealTally",
    "AppealsSettings",
    "AuthorityResponse",
    "CaseIndexPage",
    "CasePage",
    "CaseUpdate",
    "DeliveredSignature",
    "Delivery",
    "DeliveryFile",
    "DeliveryMethod",
    "DeliveryState",
    "MailingState",
    "OriginalFile",
    "PeriodicWork",
    "Signature",
    "SignerUpdate",
    "Status",
    "UpdateSent",
    "Withdrawal",
]
