from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class AppealTallyQuerySet(models.QuerySet):
    def by_language(self, appeal):
        """An appeal's counted signatures per language they were signed in, most first."""
        return self.totals(appeal, "language")

    def by_country(self, appeal):
        """An appeal's counted signatures per signer's country (a code), most first."""
        return self.totals(appeal, "country")

    def totals(self, appeal, field):
        # Rows per language and country, never per signature: as fast for 200,000
        # signatures as for two.
        rows = (
            self.filter(appeal=appeal, count__gt=0)
            .values_list(field)
            .annotate(total=Sum("count"))
            .order_by("-total", field)
        )
        return {str(key): total for key, total in rows}


class AppealTally(models.Model):
    """How many of an appeal's counted signatures were signed in one language from one country.

    Kept with the appeal's count by ``appeals.counters`` (the only code that writes
    it), for the campaign desk.
    """

    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.CASCADE,
        related_name="tallies",
        verbose_name=_("appeal"),
    )
    language = models.CharField(_("language"), max_length=10)
    country = CountryField(_("country"))
    count = models.PositiveIntegerField(_("signatures"), default=0)

    objects = AppealTallyQuerySet.as_manager()

    class Meta:
        # Translators: how many signatures came in one language from one country.
        verbose_name = _("signature tally")
        verbose_name_plural = _("signature tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "language", "country"], name="appeals_one_tally_per_key"
            ),
        ]

    def __str__(self):
        return f"{self.appeal_id} {self.language} {self.country}: {self.count}"
