"""Signing and confirming an appeal: one path for the HTML form and the API alike."""

import enum
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from appeals import protection
from appeals.conf import appeals_conf
from appeals.forms import SignatureForm
from appeals.models import Signature
from appeals.models.signatures import EmailDue
from appeals.tasks import can_defer, fold_counts, send_signature_email


class Outcome(enum.Enum):
    ACCEPTED = "accepted"
    INVALID = "invalid"
    CLOSED = "closed"
    RATE_LIMITED = "rate_limited"
    # Sent back sooner than a person fills it in (autofill does), or hours after it
    # was shown: the visitor is asked to send it once more; nothing is stored.
    RESUBMIT = "resubmit"


@dataclass
class SigningResult:
    outcome: Outcome
    form: SignatureForm | None = None
    retry_after: int = 0


def sign(appeal, data, *, page, language, network, consent_version) -> SigningResult:
    """Validate ``data`` and store it as a submission of its own, awaiting confirmation.

    Every accepted submission does the same work, whatever its address: one new
    row, one e-mail queued. Which e-mail (a link, or "you already signed") is
    decided by the task, outside the request, so that the answer and its timing
    reveal nothing about who signed. Robots are answered as if accepted. ``network``
    is the client's, as ``protection.client_network`` gives it: only accepted
    submissions count against its limit. Without a public list, a posted wish to
    appear on one is ignored. ``page`` is the case page the visitor signs on: an
    appeal whose block is gone from it is closed there.
    """
    if not appeal.accepts_signatures_on(page):
        return SigningResult(Outcome.CLOSED)
    limit = protection.submission_allowed(network, appeal)
    if not limit.allowed:
        return SigningResult(Outcome.RATE_LIMITED, retry_after=limit.retry_after)
    form = SignatureForm(data, public_list=appeal.show_signers)
    if not form.is_valid():
        return SigningResult(Outcome.INVALID, form=form)
    if form.is_robot():
        return SigningResult(Outcome.ACCEPTED, form=form)
    if not form.was_filled_in_by_a_person(
        appeals_conf.MIN_SECONDS_TO_SIGN, appeals_conf.MAX_SECONDS_TO_SIGN
    ):
        return SigningResult(Outcome.RESUBMIT, form=form)
    protection.record_submission(network, appeal)
    signature = store_submission(appeal, form.cleaned_data, language, consent_version)
    schedule_email(signature)
    return SigningResult(Outcome.ACCEPTED, form=form)


def store_submission(appeal, data, language, consent_version):
    """A new unconfirmed submission with its own data; it becomes the signature if confirmed."""
    return Signature.objects.create(
        appeal=appeal,
        language=language,
        name=data["name"],
        email=data["email"],
        country=data["country"],
        city=data["city"],
        message=data["message"],
        keep_informed=data["keep_informed"],
        show_publicly=data.get("show_publicly", False),
        consent_version=consent_version,
        email_due=EmailDue.CONFIRM,
    )


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


def check_token(token):
    """What confirming ``token`` would answer, found without confirming anything.

    (Confirmation, signature), with None in place of the Confirmation while the
    submission awaits its confirmation: what the confirmation page shows on opening.
    """
    signature = find_signature_by_token(token)
    if signature is None:
        return Confirmation.INVALID, None
    if signature.confirmed_at:
        return Confirmation.ALREADY_CONFIRMED, signature
    if signature.link_expired():
        return Confirmation.EXPIRED, signature
    return None, signature


def confirm(token):
    """Confirm the submission behind ``token``, making its data the signature, counted once.

    (Confirmation, signature). Another submission of the same address confirmed
    first (a second link, or a race) wins: the partial unique constraint keeps
    one confirmed signature per address per appeal. Only the signature's own row
    is written: the periodic fold counts it (``appeals.counters.fold``).
    """
    refusal, signature = check_token(token)
    if refusal is not None:
        return refusal, signature
    try:
        with transaction.atomic():
            confirmed = Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).update(
                confirmed_at=timezone.now()
            )
    except IntegrityError:
        return Confirmation.ALREADY_CONFIRMED, signature
    if not confirmed:
        return Confirmation.ALREADY_CONFIRMED, signature
    fold_without_a_worker()
    signature.refresh_from_db()
    return Confirmation.CONFIRMED, signature


def fold_without_a_worker():
    """Where tasks run at once (development, tests), count the confirmation at once.

    With a worker's queue, the periodic fold counts it within APPEALS_COUNT_INTERVAL
    seconds, and a confirmation enqueues nothing. Run after the confirmation's own
    transaction rather than on commit, so that a caller's transaction around it
    (a test's) sees the count too; a rollback of that takes both back.
    """
    if not can_defer(fold_counts):
        fold_counts.enqueue()
