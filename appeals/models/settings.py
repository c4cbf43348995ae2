from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="lock")
class AppealsSettings(BaseSiteSetting):
    """What signers agree to: the privacy notice they are shown and its version."""

    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy notice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked beside the consent box, in the visitor's language where translated."),
    )
    consent_version = models.CharField(
        _("consent version"),
        max_length=50,
        default="1",
        help_text=_("Stored with each signature. Change it whenever the privacy notice changes."),
    )

    panels = [FieldPanel("privacy_page"), FieldPanel("consent_version")]

    class Meta:
        verbose_name = _("appeal settings")
