from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import TranslatableMixin
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Status(TranslatableMixin, models.Model):
    """Where a case stands ("Detained", "Released"...), translated once per language."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Used in the filter of the case list; the same in every language."),
    )
    is_final = models.BooleanField(
        _("case closed"),
        default=False,
        help_text=_("Cases with this status are no longer listed as open."),
    )

    # Only the name is prose; the slug and the flag are the same in every language.
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        SynchronizedField("is_final"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="appeals_status_unique_slug"),
        ]

    def __str__(self):
        return self.name
