from appeals.models.appeals import Appeal
from appeals.models.pages import CaseIndexPage, CasePage
from appeals.models.settings import AppealsSettings
from appeals.models.signatures import Signature
from appeals.models.statuses import Status
from appeals.models.updates import CaseUpdate

__all__ = [
    "Appeal",
    "AppealsSettings",
    "CaseIndexPage",
    "CasePage",
    "CaseUpdate",
    "Signature",
    "Status",
]
