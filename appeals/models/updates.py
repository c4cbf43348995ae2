from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable, TranslatableMixin


class CaseUpdate(TranslatableMixin, Orderable):
    """One dated entry in a case's timeline, translated with its page."""

    page = ParentalKey("appeals.CasePage", on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    status = models.ForeignKey(
        "appeals.Status",
        verbose_name=_("status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("what changed"))

    panels = [FieldPanel("date"), FieldPanel("status"), FieldPanel("text")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("case update")
        verbose_name_plural = _("case updates")

    def __str__(self):
        return f"{self.date}: {self.text[:50]}"
