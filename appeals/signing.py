"""Signing and confirming an appeal: one path for the HTML form and the API alike."""

import enum
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from appeals import counters, protection
from appeals.conf import appeals_conf
from appeals.forms import SignatureForm
from appeals.models import Signature
from appeals.models.signatures import EmailDue, email_key
from appeals.tasks import send_signature_email


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    INVALID = "invalid"
    CLOSED = "closed"
    RATE_LIMITED = "rate_limited"
    RESUBMIT = "resubmit"


@dataclass
class SigningResult:
    outcome: Outcome
    form: SignatureForm | None = None
    retry_after: int = 0


def sign(appeal, data, *, language, client_address, consent_version) -> SigningResult:
    """Validate ``data`` and store one signature per e-mail, answering alike for every e-mail.

    A repeated e-mail stores nothing new: its owner is written to instead
    (already signed, or the link again). Robots are answered as if accepted.
    """
    if not appeal.accepts_signatures():
        return SigningResult(Outcome.CLOSED)
    limit = protection.hit(
        "sign",
        protection.client_fingerprint(client_address),
        limit=appeals_conf.RATE_LIMIT,
        window=appeals_conf.RATE_LIMIT_WINDOW,
    )
    if not limit.allowed:
        return SigningResult(Outcome.RATE_LIMITED, retry_after=limit.retry_after)
    form = SignatureForm(data)
    if not form.is_valid():
        return SigningResult(Outcome.INVALID, form=form)
    if form.is_robot(appeals_conf.MIN_SECONDS_TO_SIGN):
        return SigningResult(Outcome.ACCEPTED, form=form)
    signature = store_signature(appeal, form.cleaned_data, language, consent_version)
    schedule_email(signature)
    return SigningResult(Outcome.ACCEPTED, form=form)


def store_signature(appeal, data, language, consent_version):
    """The new signature, or the existing one for this e-mail with an e-mail due to its owner."""
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                appeal=appeal,
                language=language,
                name=data["name"],
                email=data["email"],
                country=data["country"],
                city=data["city"],
                message=data["message"],
                keep_informed=data["keep_informed"],
                show_publicly=data["show_publicly"],
                consent_version=consent_version,
                email_due=EmailDue.CONFIRM,
            )
            counters.signature_made(signature)
            return signature
    except IntegrityError:
        existing = Signature.objects.get(appeal=appeal, email_key=email_key(data["email"]))
        existing.email_due = EmailDue.ALREADY_SIGNED if existing.confirmed_at else EmailDue.CONFIRM
        existing.save(update_fields=["email_due"])
        return existing


def schedule_email(signature):
    transaction.on_commit(lambda: send_signature_email.enqueue(signature.pk))


class Confirmation(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"


MAX_TOKEN_LENGTH = 100


def find_signature_by_token(token):
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return Signature.objects.with_token(token)


def confirm(token):
    """Confirm the signature behind ``token`` and count it once: (Confirmation, signature)."""
    signature = find_signature_by_token(token)
    if signature is None:
        return Confirmation.INVALID, None
    if signature.confirmed_at:
        return Confirmation.ALREADY_CONFIRMED, signature
    if signature.token_expired():
        return Confirmation.EXPIRED, signature
    with transaction.atomic():
        confirmed = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        if confirmed:
            counters.signature_confirmed(signature)
    if not confirmed:
        return Confirmation.ALREADY_CONFIRMED, signature
    signature.refresh_from_db()
    return Confirmation.CONFIRMED, signature
