from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.apps import apps

        from appeals import checks  # noqa: F401 (registers the settings checks)
        from appeals.signal_handlers import register_signal_handlers

        register_signal_handlers()
        if apps.is_installed("wagtail.api.v3"):
            from appeals.api.fields import register_field_schemas

            register_field_schemas()
