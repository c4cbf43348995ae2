from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published

        from appeals.signals import sync_appeals_on_publish

        page_published.connect(sync_appeals_on_publish, dispatch_uid="appeals-sync-on-publish")
