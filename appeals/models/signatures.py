import hashlib
import hmac
import secrets

from django.core import signing
from django.db import models
from django.db.models import Count
from django.db.models.functions import Cast, Concat, TruncDate
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from appeals.addresses import email_key, normalise_email
from appeals.conf import appeals_conf


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


# The unsubscribe link's token is signed (``django.core.signing``, keyed by SECRET_KEY)
# rather than stored: every update e-mail carries one, and none is kept.
UNSUBSCRIBE_SALT = "appeals.unsubscribe"
MAX_UNSUBSCRIBE_TOKEN_LENGTH = 200


def address_digest(key):
    """A keyed digest of an address's key: the token names the signature's address
    without holding it, and stops working once the address is gone (anonymised)."""
    return salted_hmac(UNSUBSCRIBE_SALT, key).hexdigest()[:24]


class EmailDue(models.TextChoices):
    NONE = "", _("nothing")
    CONFIRM = "confirm", _("confirmation link")
    ALREADY_SIGNED = "already-signed", _("already signed")


def confirmation_deadline(now=None):
    """Submissions made before this moment can no longer be confirmed."""
    return (now or timezone.now()) - appeals_conf.CONFIRMATION_MAX_AGE


class SignatureQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def public(self):
        """Confirmed signers who chose to be shown, latest first, with only what may be shown."""
        return (
            self.confirmed()
            .filter(show_publicly=True)
            .order_by("-confirmed_at")
            .only("appeal_id", "name", "country")
        )

    def pending(self):
        """Submissions not confirmed yet."""
        return self.filter(confirmed_at__isnull=True)

    def awaiting_confirmation(self, now=None):
        """Submissions not confirmed yet whose link can still be followed: the desk's
        "pending" count. The expired ones are deleted by the periodic purge."""
        return self.pending().filter(created_at__gte=confirmation_deadline(now))

    def expired(self, now=None):
        """Unconfirmed submissions whose link has expired: nothing keeps them.

        Never a row in the counts, so that deleting them leaves every count right.
        """
        return self.pending().filter(
            created_at__lt=confirmation_deadline(now), counted_at__isnull=True
        )

    def unfolded(self):
        """Confirmed signatures not yet in their appeal's count, oldest confirmation first.

        Found through a partial index holding only these rows: as fast beside a
        million counted signatures as beside none.
        """
        return self.filter(confirmed_at__isnull=False, counted_at__isnull=True).order_by(
            "confirmed_at"
        )

    def folded(self):
        """Confirmed signatures in their appeal's count."""
        return self.filter(confirmed_at__isnull=False, counted_at__isnull=False)

    def counted_per_day(self):
        """[(day, signatures)] of the signatures in the counts, by the day (in the active
        time zone) they were confirmed, oldest first.

        One aggregate over the (appeal, confirmed_at) index: a row per day, so that its
        figures add up to the appeal's count.
        """
        days = self.folded().annotate(day=TruncDate("confirmed_at")).order_by("day")
        return [tuple(row) for row in days.values_list("day").annotate(total=Count("pk"))]

    def email_due(self, now=None):
        """Submissions with an e-mail still to send, while their link can still be used."""
        return (
            self.exclude(email_due=EmailDue.NONE)
            .filter(created_at__gte=confirmation_deadline(now))
            .order_by("created_at")
        )

    def confirmed_for(self, appeal_id, key):
        """The confirmed signature of the address ``key`` on an appeal, or None."""
        return self.confirmed().filter(appeal_id=appeal_id, email_key=key).first()

    def rows_per_appeal(self):
        """How many of these signatures each appeal has: {appeal id: number}."""
        rows = self.order_by().values_list("appeal_id").annotate(rows=models.Count("pk"))
        return dict(rows)

    def with_token(self, token):
        """The signature whose confirmation token is ``token``, or None."""
        signature = self.filter(token_hash=hash_token(token)).select_related("appeal").first()
        return signature if signature and signature.token_matches(token) else None

    def with_withdrawal_token(self, token):
        """The signature (confirmed or not) whose withdrawal token is ``token``, or None."""
        return self.filter(withdrawal_token_hash=hash_token(token)).select_related("appeal").first()

    def with_unsubscribe_token(self, token):
        """The signature whose unsubscribe token is ``token``, or None: unknown, forged and
        anonymised alike."""
        if not isinstance(token, str) or not token or len(token) > MAX_UNSUBSCRIBE_TOKEN_LENGTH:
            return None
        try:
            pk, digest = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        if not isinstance(pk, int) or not isinstance(digest, str):
            return None
        signature = self.filter(pk=pk).select_related("appeal").first()
        if signature is None or not constant_time_compare(
            digest, address_digest(signature.email_key)
        ):
            return None
        return signature

    def of_address(self, address):
        """Every signature and submission of the e-mail address ``address``, on every appeal,
        as the signing path keys it (``appeals.addresses.email_key``)."""
        return self.filter(email_key=email_key(address))

    def to_deliver(self, recipient_key, cut_off):
        """The confirmed, identified signatures up to ``cut_off`` that no delivery to the
        recipient ``recipient_key`` holds (a cancelled one holds none), oldest first."""
        # Through the app registry: the deliveries module refers to this one.
        delivered = self.model._meta.apps.get_model("appeals", "DeliveredSignature").objects
        already = delivered.filter(recipient_key=recipient_key, signature=models.OuterRef("pk"))
        return (
            self.confirmed()
            .identified()
            .filter(confirmed_at__lte=cut_off)
            .exclude(models.Exists(already))
            .order_by("confirmed_at", "pk")
        )

    def kept_informed(self):
        """Confirmed, identified signatures whose signers asked to be kept informed."""
        return self.confirmed().identified().filter(keep_informed=True)

    def languages(self):
        """The languages these signatures were made in, sorted."""
        return sorted(set(self.order_by().values_list("language", flat=True).distinct()))

    def to_inform(self, update_key):
        """The confirmed, identified signatures whose signers asked to be kept informed
        and whose address has not been sent the timeline entry ``update_key`` (through
        this signature or another), oldest first."""
        # Through the app registry: the signer updates module refers to this one.
        sent = self.model._meta.apps.get_model("appeals", "UpdateSent").objects
        already = sent.filter(
            update_key=update_key, signature__email_key=models.OuterRef("email_key")
        )
        return self.kept_informed().exclude(models.Exists(already)).order_by("confirmed_at", "pk")

    def identified(self):
        """Signatures that still hold their signer's name and address (not anonymised)."""
        return self.filter(anonymised_at__isnull=True)

    def anonymise(self, now=None) -> int:
        """Remove the name, address, town and message of these signatures, keeping their
        language, country and dates, so that every count and tally stays as it was.

        Each row gets a key of its own in place of its address's, which no address can
        take, as the one-confirmed-signature-per-address constraint needs. A row
        anonymised already is left as it is. Returns how many were anonymised.
        """
        return self.identified().update(
            name="",
            email="",
            email_key=Concat(models.Value("anonymised:"), Cast("pk", models.CharField())),
            city="",
            message="",
            keep_informed=False,
            show_publicly=False,
            token_hash="",
            withdrawal_token_hash="",
            email_due=EmailDue.NONE,
            anonymised_at=now or timezone.now(),
        )


class Signature(models.Model):
    """One submission of the signature form, and once confirmed, a signature.

    Every submission keeps its own data and its own confirmation token (kept
    only as a SHA-256 hash): confirming a link makes *that* submission's data
    the signature, so whoever typed an address first decides nothing for its
    owner. At most one confirmed signature per address (``email_key``) per
    appeal, by a partial unique constraint; unconfirmed submissions are deleted
    once their link has expired. A confirmed signature joins its appeal's count
    when the periodic fold marks it ``counted_at``.
    """

    appeal = models.ForeignKey(
        "appeals.Appeal",
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("appeal"),
    )
    language = models.CharField(_("language"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254)
    email_key = models.CharField(max_length=254, editable=False)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    keep_informed = models.BooleanField(_("keep informed"), default=False)
    show_publicly = models.BooleanField(_("show first name and country publicly"), default=False)
    consent_version = models.CharField(_("consent version"), max_length=50)
    created_at = models.DateTimeField(_("signed at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # When the periodic fold added it to its appeal's count and tallies
    # (``appeals.counters.fold``): confirming writes only this row, never a shared one.
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True, editable=False)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_created_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The link to withdraw, e-mailed with the confirmation link, works as long as the
    # signature is kept: only its hash is stored, as the confirmation token's.
    withdrawal_token_hash = models.CharField(
        max_length=64, blank=True, db_index=True, editable=False
    )
    # When the retention period removed the signer's name and address (``anonymise``).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    email_due = models.CharField(max_length=20, choices=EmailDue.choices, blank=True, default="")
    email_attempts = models.PositiveSmallIntegerField(default=0)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        # Beside Django's "view" (see who signed): the campaign desk's other rights.
        # The "Campaign managers" group holds them all (migration 0006).
        permissions = [
            ("export_signature", _("Can export signatures")),
            ("erase_signer", _("Can erase a signer's signatures")),
            ("deliver_signature", _("Can deliver signatures to the authorities")),
            ("inform_signers", _("Can send updates to signers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "email_key"],
                condition=models.Q(confirmed_at__isnull=False),
                name="appeals_one_confirmed_signature_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["appeal", "confirmed_at"]),
            models.Index(fields=["appeal", "email_key"]),
            models.Index(fields=["created_at"], name="appeals_signature_created"),
            models.Index(
                fields=["confirmed_at"],
                condition=models.Q(confirmed_at__isnull=False, counted_at__isnull=True),
                name="appeals_signature_to_fold",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        self.email_key = email_key(self.email)
        super().save(*args, **kwargs)

    @property
    def first_name(self):
        return self.name.split()[0] if self.name.split() else ""

    def issue_token(self):
        """A fresh confirmation token: 256 random bits, of which only the hash is kept."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.token_created_at = timezone.now()
        return token

    def link_expired(self, now=None):
        """Whether this submission can no longer be confirmed: its link is older than
        ``APPEALS_CONFIRMATION_MAX_AGE``, counted from the submission, however late its
        e-mail left."""
        return self.created_at < confirmation_deadline(now)

    def token_matches(self, token):
        return hmac.compare_digest(self.token_hash, hash_token(token))

    def unsubscribe_token(self):
        """The token of the link that stops this signature's updates: signed, not stored."""
        return signing.dumps([self.pk, address_digest(self.email_key)], salt=UNSUBSCRIBE_SALT)

    def issue_withdrawal_token(self):
        """A fresh withdrawal token, sent with the confirmation token: only its hash is kept."""
        token = secrets.token_urlsafe(32)
        self.withdrawal_token_hash = hash_token(token)
        return token


class WithdrawalQuerySet(models.QuerySet):
    def with_token(self, token):
        """The withdrawal made with ``token``, or None."""
        return self.filter(token_hash=hash_token(token)).first()


class Withdrawal(models.Model):
    """That a withdrawal link was used: its token's hash and when, nothing else.

    The signature itself is deleted, counts corrected; this is what lets the link,
    followed again, say that the signature was already withdrawn rather than that
    the link is unknown. A hash of 256 random bits says nothing about who signed,
    or what.
    """

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), default=timezone.now, editable=False)

    objects = WithdrawalQuerySet.as_manager()

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")

    def __str__(self):
        return self.withdrawn_at.isoformat()
