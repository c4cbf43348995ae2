from appeals.identity import sync_appeals
from appeals.models import CasePage


def sync_appeals_on_publish(sender, instance, **kwargs):
    """Publishing a source case page sets its appeals' state for every language."""
    if isinstance(instance, CasePage):
        sync_appeals(instance)
