"""Updates to signers: a timeline entry of a case e-mailed to the signers of one of its
appeals who asked to be kept informed.

A mailing (``SignerUpdate``) is one manager's "send" of one entry, keyed by the
entry's ``translation_key``, which its translations share; ``UpdateSent`` records who
was sent which entry. Its unique (entry, signature) is the claim a send makes before
its e-mail leaves: two mailings, two clicks or two workers never send one signer the
same entry twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MailingState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("mailing state", "Queued")
    SENDING = "sending", pgettext_lazy("mailing state", "Sending")
    SENT = "sent", pgettext_lazy("mailing state", "Sent")
    # The entry left the case's live page before every signer had it.
    STOPPED = "stopped", pgettext_lazy("mailing state", "Stopped")


class SignerUpdateQuerySet(models.QuerySet):
    def of_appeal(self, appeal):
        return self.filter(appeal=appeal).order_by("-created_at")

    def unfinished(self):
        return self.filter(state__in=[MailingState.QUEUED, MailingState.SENDING])


class SignerUpdate(models.Model):
    """One mailing of one timeline entry to one appeal's signers who asked for news."""

    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        related_name="signer_updates",
        verbose_name=_("appeal"),
    )
    # The CaseUpdate's translation_key: the entry in every language.
    update_key = models.UUIDField(_("timeline entry"), editable=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=MailingState.choices, default=MailingState.QUEUED
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    # The confirmation form's: sent twice, it finds this mailing and makes no other.
    form_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = SignerUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("update to signers")
        verbose_name_plural = _("updates to signers")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.appeal}: {self.update_key}"


class UpdateSentQuerySet(models.QuerySet):
    def of_update(self, update_key):
        return self.filter(update_key=update_key)

    def of_appeal(self, appeal):
        return self.filter(signature__appeal=appeal)

    def delivered(self):
        """Those the mail server took (not refused)."""
        return self.filter(refused=False)


class UpdateSent(models.Model):
    """That a signature was sent a timeline entry, and by which mailing: once, ever. Or
    that the mail server ``refused`` its address, which is then not tried again."""

    mailing = models.ForeignKey(SignerUpdate, on_delete=models.CASCADE, related_name="items")
    signature = models.ForeignKey(
        "appeals.Signature", on_delete=models.CASCADE, related_name="updates_sent"
    )
    update_key = models.UUIDField(editable=False)
    sent_at = models.DateTimeField(default=timezone.now)
    refused = models.BooleanField(default=False)

    objects = UpdateSentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["update_key", "signature"], name="appeals_update_sent_once"
            ),
        ]

    def __str__(self):
        return f"{self.update_key} → {self.signature_id}"
