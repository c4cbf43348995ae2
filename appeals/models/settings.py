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
    select_related = ["privacy_page__locale"]

    class Meta:
        verbose_name = _("appeal settings")

    @classmethod
    def for_site(cls, site):
        """The site's settings, or its defaults while none are saved.

        Wagtail's own ``for_site`` creates the row on first read; public pages
        read these settings, and rendering a page writes nothing. The admin's
        settings form saves the row the first time an editor saves it.
        """
        if site is None:
            raise cls.DoesNotExist(f"{cls.__name__} does not exist for site None.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)
