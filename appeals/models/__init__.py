from appeals.models.pages import CaseIndexPage, CasePage
from appeals.models.statuses import Status
from appeals.models.updates import CaseUpdate

__all__ = ["CaseIndexPage", "CasePage", "CaseUpdate", "Status"]
