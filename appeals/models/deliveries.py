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
from datetime import timedelta

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
    PREPARED = "prepared", pgettext_lazy("delivery state", "Prepared")
    # By e-mail: confirmed by a manager, waiting for the sending hours, the hourly cap or
    # a retry; then being handed to the mail server; delivered once it took it.
    QUEUED = "queued", pgettext_lazy("delivery state", "Queued to send")
    SENDING = "sending", pgettext_lazy("delivery state", "Sending")
    DELIVERED = "delivered", pgettext_lazy("delivery state", "Delivered")
    # Every attempt to send failed: its signatures are free for the next delivery.
    FAILED = "failed", pgettext_lazy("delivery state", "Failed to send")
    CANCELLED = "cancelled", pgettext_lazy("delivery state", "Cancelled")


# A delivery can still be cancelled, and nothing has left, in these states.
NOT_GONE = (DeliveryState.PREPARED, DeliveryState.QUEUED)
# Longer than any send takes (the mail server's timeout, a few tries of the connection).
INTERRUPTED_AFTER = timedelta(minutes=15)


class FileFormat(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV"


class DeliveryQuerySet(models.QuerySet):
    def not_cancelled(self):
        return self.exclude(state=DeliveryState.CANCELLED)

    def due_to_send(self, now=None):
        """Deliveries by e-mail queued whose next attempt is due: what a worker that was
        down, or a task backend that cannot wait, has still to send."""
        return self.filter(
            state=DeliveryState.QUEUED, send_after__lte=now or timezone.now()
        ).order_by("send_after")

    def emailed_since(self, appeal, since):
        """How many of ``appeal``'s deliveries by e-mail were handed to the mail server
        (or are being) since ``since``: what the hourly cap counts."""
        return (
            self.filter(appeal=appeal, method=DeliveryMethod.EMAIL)
            .filter(
                models.Q(state=DeliveryState.SENDING, claimed_at__gte=since)
                | models.Q(state=DeliveryState.DELIVERED, delivered_at__gte=since)
            )
            .count()
        )

    def last_emailed_at(self, appeal, since):
        """When the earliest of ``appeal``'s e-mails since ``since`` went, or None."""
        return (
            self.filter(
                appeal=appeal,
                method=DeliveryMethod.EMAIL,
                state=DeliveryState.DELIVERED,
                delivered_at__gte=since,
            )
            .order_by("delivered_at")
            .values_list("delivered_at", flat=True)
            .first()
        )

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
    # The letter as the pack holds it, composed when it was prepared: an e-mail delivery
    # sends these words, whatever the case page says by the time it goes.
    letter_subject = models.CharField(_("subject"), max_length=255, blank=True)
    letter_text = models.TextField(_("letter"), blank=True)
    # Delivery by e-mail: the test a manager sent themselves, then the real one.
    test_sent_to = models.EmailField(_("test sent to"), blank=True)
    test_sent_at = models.DateTimeField(_("test sent at"), null=True, blank=True)
    email_to = models.EmailField(_("sent to"), blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    queued_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    send_after = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # When a run of the task took it to send: a send that long ago and still not done was
    # interrupted (a worker stopped), and whether it left is for a manager to find out.
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    message_id = models.CharField(_("message id"), max_length=255, blank=True)
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

    @property
    def by_email(self):
        return self.method == DeliveryMethod.EMAIL

    @property
    def may_be_cancelled(self):
        return self.state in NOT_GONE

    @property
    def was_interrupted(self):
        """Taken to send long enough ago that the send cannot still be going on."""
        return (
            self.state == DeliveryState.SENDING
            and self.claimed_at is not None
            and self.claimed_at < timezone.now() - INTERRUPTED_AFTER
        )

    def as_logged(self):
        """This delivery as the audit log keeps it: figures and choices, no names."""
        return {
            "delivery": self.pk,
            "signatures": self.signature_count,
            "messages_left_out": self.messages_left_out,
            "method": self.method,
            "language": self.letter_language,
        }

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
