"""What the plugin does when Wagtail publishes a page; connected in ``AppConfig.ready()``."""

from wagtail.signals import page_published

from appeals.models import Appeal, CasePage


def sync_appeals_on_publish(sender, instance, **kwargs):
    """Publishing a source case page sets its appeals' state for every language."""
    if isinstance(instance, CasePage):
        Appeal.objects.sync_from(instance)


def register_signal_handlers():
    page_published.connect(sync_appeals_on_publish, dispatch_uid="appeals-sync-on-publish")
