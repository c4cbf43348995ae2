import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodicWorkQuerySet(models.QuerySet):
    def start_chain(self, name):
        """A new chain of ``name``'s runs, replacing any other: its id.

        The chain already running (if any) stops at its next run, which finds
        another id here; so starting chains at every deploy leaves exactly one.
        """
        chain = uuid.uuid4()
        # One statement whether the row exists or not: two deploys at once cannot clash.
        self.bulk_create(
            [self.model(name=name, chain=chain)],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["chain"],
        )
        return chain

    def claim(self, name, chain):
        """Record a run of ``chain``: False if another chain replaced it, which then runs alone."""
        return bool(self.filter(name=name, chain=chain).update(last_started_at=timezone.now()))


class PeriodicWork(models.Model):
    """The one live chain of a task that runs periodically by rescheduling itself."""

    # Translators: a background job of the site (the recount of signatures, for one).
    name = models.CharField(_("task"), max_length=255, unique=True)
    # Translators: the series of runs of a periodic job, each run scheduling the next.
    chain = models.UUIDField(_("chain"))
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)

    objects = PeriodicWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.name
