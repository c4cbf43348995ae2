"""Deliveries of an appeal's signatures to its recipients, and the authorities' responses.

A recipient is a recipient block of the case's source page, keyed by the block's id
(translations keep it), with its name copied when the delivery is prepared. No
signature is ever delivered twice to the same recipient: a unique constraint on
(recipient, signature) in ``DeliveredSignature`` holds that even when two managers
prepare deliveries at once. Cancelling a delivery that never went frees its signatures.

The packs' files are kept in the database, beside their record: they hold signers'
names and messages, and must never land in the publicly served media. A signer erased,
withdrawn or anonymised since is redacted out of them (``appeals.redaction``): the
files are made again without them, and ``OriginalFile`` keeps what the files as made
were (name, size, SHA-256), so that the record still says what went.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeliveryMethod(models.TextChoices):
    POST = "post", pgettext_lazy("delivery method", "By post")
    IN_PERSON = "in-person", pgettext_lazy("delivery method", "In person")
    EMAIL = "email", pgettext_lazy("delivery method", "By e-mail")
    FAX = "fax", pgettext_lazy("delivery method", "By fax")


class DeliveryState(models.TextChoices):
    # Delivery by e-mail will add its own steps (queued, sent, failed) beside these.
    PREPARED = "prepared", pgettext_lazy("delivery state", "Prepared")
    DELIVERED = "delivered", pgettext_lazy("delivery state", "Delivered")
    CANCELLED = "cancelled", pgettext_lazy("delivery state", "Cancelled")


class FileFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"


class DeliveryQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.exclude(state=DeliveryState.CANCELLED)

    def being_rebuilt(self):
        """The redacted deliveries whose files are not made again yet (see
        ``Delivery.is_being_rebuilt``)."""
        print_page = DeliveryFile.objects.filter(
            delivery=models.OuterRef("pk"), format=FileFormat.HTML
        )
        return (
            self.filter(redacted_at__isnull=False)
            .not_cancelled()
            .exclude(models.Exists(print_page))
        )

    def holding(self, signatures):
        """The deliveries that hold any of ``signatures`` (a queryset or pks)."""
        held = DeliveredSignature.objects.filter(signature__in=signatures)
        return self.filter(pk__in=held.values("delivery_id"))

    def of_appeal(self, appeal):
        return self.filter(appeal=appeal).select_related("prepared_by").order_by("-prepared_at")


class Delivery(models.Model):
    """One pack of an appeal's signatures for one recipient, and what became of it."""

    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        related_name="deliveries",
        verbose_name=_("appeal"),
    )
    recipient_key = models.UUIDField(_("recipient"), editable=False)
    recipient_name = models.CharField(_("recipient's name"), max_length=255)
    language = models.CharField(_("language"), max_length=10)
    # The language the letter is written in: the source's where the case has no
    # translation in ``language``.
    letter_language = models.CharField(_("language of the letter"), max_length=10)
    method = models.CharField(_("method"), max_length=20, choices=DeliveryMethod.choices)
    cut_off = models.DateTimeField(_("cut-off"))
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=20, choices=DeliveryState.choices, default=DeliveryState.PREPARED
    )
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    messages_left_out = models.PositiveIntegerField(_("messages left out"), default=0)
    # The preview form's token: a second click on "make" finds the pack the first made.
    form_token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    # When signatories erased or anonymised since were last taken out of its files.
    redacted_at = models.DateTimeField(_("redacted at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-prepared_at"]

    def __str__(self):
        return f"{self.recipient_name} ({self.prepared_at:%Y-%m-%d})"

    @property
    def is_prepared(self):
        return self.state == DeliveryState.PREPARED

    def file(self, file_format):
        """The stored file in ``file_format``, with its content; None if there is none."""
        return self.files.filter(format=file_format).first()

    @property
    def is_being_rebuilt(self):
        """Redacted, and its files not made again yet (a cancelled delivery keeps none)."""
        if self.redacted_at is None or self.state == DeliveryState.CANCELLED:
            return False
        return not self.files.filter(format=FileFormat.HTML).exists()


class DeliveredSignatureQuerySet(models.QuerySet):
    def for_pack(self):
        """The identified signatures of these rows as a pack lists them, oldest first:
        (pk, name, city, country, message, message left out). An anonymised one is left out."""
        return (
            self.filter(signature__anonymised_at__isnull=True)
            .order_by("signature__confirmed_at", "signature_id")
            .values_list(
                "signature_id",
                "signature__name",
                "signature__city",
                "signature__country",
                "signature__message",
                "message_left_out",
            )
        )


class DeliveredSignature(models.Model):
    """A signature in a delivery; its recipient copied so the database refuses a second."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="items")
    signature = models.ForeignKey(
        "appeals.Signature", on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient_key = models.UUIDField(editable=False)
    # The manager left its message out of the pack (abusive); the signature still went.
    message_left_out = models.BooleanField(default=False)

    objects = DeliveredSignatureQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient_key", "signature"], name="appeals_delivered_once_per_recipient"
            ),
        ]

    def __str__(self):
        return f"{self.delivery_id}: {self.signature_id}"


class DeliveryFileQuerySet(models.QuerySet):
    def described(self):
        """The files without their content: what a listing shows."""
        return self.defer("content")


class DeliveryFile(models.Model):
    """A file of a delivery pack (its print page, PDF or CSV), kept in the database."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=10, choices=FileFormat.choices)
    name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField()
    content = models.BinaryField()

    objects = DeliveryFileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "format"], name="appeals_one_file_per_format"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def data(self) -> bytes:
        """The content as bytes (PostgreSQL's driver gives a memoryview)."""
        return bytes(self.content)

    @classmethod
    def of(cls, delivery, file_format, name, content: bytes):
        return cls(
            delivery=delivery,
            format=file_format,
            name=name,
            sha256=hashlib.sha256(content).hexdigest(),
            size=len(content),
            content=content,
        )


class OriginalFile(models.Model):
    """A pack's file as it was first made (and delivered, if it went), once its copy has been
    redacted: its name, size and SHA-256, never its content."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="original_files")
    format = models.CharField(max_length=10, choices=FileFormat.choices)
    name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "format"], name="appeals_one_original_file_per_format"
            )
        ]

    def __str__(self):
        return self.name


class AuthorityResponse(models.Model):
    """What the authorities answered, recorded by a manager; its timeline entry is added
    to the case's source page as a draft for editors to publish and translators to
    translate."""

    appeal = models.ForeignKey("appeals.Appeal", on_delete=models.PROTECT, related_name="responses")
    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=2000)
    link = models.URLField(_("link"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # The source page's revision that added the entry to its timeline.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("authorities' response")
        verbose_name_plural = _("authorities' responses")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date}: {self.summary[:50]}"
