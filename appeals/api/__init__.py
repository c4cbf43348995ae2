"""The plugin in Wagtail's API v3: ``router`` joins the API as ``/api/v3/appeals/``."""

from appeals.api.router import router

__all__ = ["router"]
