"""Updates to signers: a case's timeline entry e-mailed to the signers of an appeal who
asked to be kept informed, each in the language they signed in; and the link that
stops them.

- ``entries(appeal)``: the live source page's timeline, what a mailing may send;
- ``start(appeal, update_key, ...)``: a manager's mailing, made once however often sent;
- ``send_batch(mailing_id, limit)``: up to ``limit`` e-mails of it (the task's step);
- ``unsubscribe(token)``: the signer's one click.

Each e-mail is claimed before it leaves (an ``UpdateSent`` row, unique per entry and
signature) in the transaction that sends it: a failed send rolls the claim back, so
that the signer is still due and nobody is sent an entry twice. The audit log says
how many, never who.
"""

import enum
import smtplib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from wagtail.log_actions import log

from appeals.admin import log_actions
from appeals.emails import build_update_message
from appeals.localization import text_language
from appeals.models import MailingState, Signature, SignerUpdate, UpdateSent


@dataclass(frozen=True)
class Reading:
    """A timeline entry as one language's signers read it: the entry (translated, or the
    source's), the language its text is written in, the case page to link to, and the
    entry's status, named in their language where the status is translated."""

    entry: object
    language: str
    page: object
    translated: bool
    status: object = None


def status_in(status, language):
    """``status`` as ``language`` names it where it is translated, else as it is; None
    for an entry without a status."""
    if status is None:
        return None
    translations = status.get_translations(inclusive=True).select_related("locale")
    return translations.filter(locale__language_code=language).first() or status


def live_source(appeal):
    """The appeal's source page if it is live, else None: only what visitors can read
    is sent."""
    source = appeal.get_source_page()
    return source if source is not None and source.live else None


def entries(appeal):
    """The live source page's timeline entries, newest first ([] if it is not live)."""
    source = live_source(appeal)
    return source.timeline() if source else []


def source_entry(appeal, update_key):
    """The live source page's entry ``update_key``, or None."""
    source = live_source(appeal)
    if source is None:
        return None
    return source.updates.filter(translation_key=update_key).select_related("status").first()


def reading_in(appeal, update_key, language, source_entry):
    """The entry ``update_key`` as ``language``'s signers get it: from the case's live page
    in that language where it holds the entry, translated; else ``source_entry``'s text."""
    page = appeal.get_case_page(language)
    if page is not None and page.locale.language_code == language:
        shown = page.as_served()
        entry = next(
            (item for item in shown.updates.all() if item.translation_key == update_key), None
        )
        if entry is not None:
            written_in = text_language(page)
            status = status_in(entry.status, language)
            return Reading(entry, written_in, page, written_in == language, status)
    source = source_entry.page
    status = status_in(source_entry.status, language)
    return Reading(source_entry, source.locale.language_code, page or source, False, status)


@dataclass(frozen=True)
class Started:
    """What ``start`` did: ``made`` a mailing; found the one this form ``already`` made;
    found one of the entry still under way, to be ``resumed`` (its mail server was down);
    found ``nothing`` due; or found the entry ``gone`` from the case's live page."""

    outcome: str
    mailing: SignerUpdate | None = None


def due(appeal, update_key, confirmed_by=None):
    """The signatures of ``appeal`` still due the entry ``update_key``; with
    ``confirmed_by``, only those confirmed by then (a mailing's own signers)."""
    signatures = Signature.objects.filter(appeal=appeal).to_inform(update_key)
    return signatures.filter(confirmed_at__lte=confirmed_by) if confirmed_by else signatures


def start(appeal, update_key, *, user, token):
    """Make the mailing of the entry ``update_key`` to ``appeal``'s signers who asked to be
    kept informed. ``token`` is the confirmation form's: sent twice, it makes one mailing.
    A mailing of the entry still under way is resumed rather than doubled. The caller
    queues the sending (``appeals.tasks.send_signer_update``) of one made or resumed."""
    existing = SignerUpdate.objects.filter(form_token=token).first()
    if existing is not None:
        return Started("already", existing)
    if source_entry(appeal, update_key) is None:
        return Started("gone")
    under_way = SignerUpdate.objects.filter(appeal=appeal, update_key=update_key).unfinished()
    if under_way.exists():
        return Started("resumed", under_way.first())
    recipients = due(appeal, update_key).count()
    if not recipients:
        return Started("nothing")
    try:
        with transaction.atomic():
            mailing = SignerUpdate.objects.create(
                appeal=appeal,
                update_key=update_key,
                prepared_by=user,
                recipients=recipients,
                form_token=token,
            )
            log(
                instance=appeal,
                action=log_actions.INFORM_SIGNERS,
                user=user,
                data={"signatures": recipients, "mailing": mailing.pk},
            )
    except IntegrityError:  # the same form, sent twice at once
        return Started("already", SignerUpdate.objects.get(form_token=token))
    return Started("made", mailing)


@dataclass(frozen=True)
class Batch:
    """What ``send_batch`` did: how many it ``sent``, how many addresses the mail server
    ``refused``, whether some are still ``due``, and whether it stopped on a ``failed``
    send (the mail server down)."""

    sent: int = 0
    refused: int = 0
    due: bool = False
    failed: bool = False

    @property
    def progressed(self) -> bool:
        return bool(self.sent or self.refused)


class Sent(enum.Enum):
    SENT = "sent"
    # The mail server refused the address itself: not tried again for this entry, so
    # that one dead mailbox does not hold up everyone after it.
    REFUSED = "refused"
    # Claimed by another mailing or worker, or the signature withdrawn meanwhile.
    TAKEN = "taken"


def send_batch(mailing_id, limit) -> Batch:
    """Send up to ``limit`` e-mails of the mailing ``mailing_id``; once none is due, it is
    sent. A send that fails ends the batch, the signer still due."""
    mailing = SignerUpdate.objects.select_related("appeal").filter(pk=mailing_id).first()
    if mailing is None or mailing.state in (MailingState.SENT, MailingState.STOPPED):
        return Batch()
    entry = source_entry(mailing.appeal, mailing.update_key)
    if entry is None:
        finish(mailing, MailingState.STOPPED)
        return Batch()
    SignerUpdate.objects.filter(pk=mailing.pk, state=MailingState.QUEUED).update(
        state=MailingState.SENDING
    )
    # Those who were due when the manager sent it; later signers go with the next mailing.
    signatures = due(mailing.appeal, mailing.update_key, mailing.created_at)
    signatures = signatures.select_related("appeal")
    readings = {}
    outcomes = []
    for signature in list(signatures[:limit]):
        if signature.language not in readings:
            readings[signature.language] = reading_in(
                mailing.appeal, mailing.update_key, signature.language, entry
            )
        try:
            outcomes.append(send_one(mailing, signature, readings[signature.language]))
        except OSError:  # smtplib's errors are OSErrors: the server is down or unreachable
            return batch_of(outcomes, due=True, failed=True)
    if signatures.exists():
        return batch_of(outcomes, due=True)
    finish(mailing, MailingState.SENT)
    return batch_of(outcomes)


def batch_of(outcomes, **state):
    return Batch(outcomes.count(Sent.SENT), outcomes.count(Sent.REFUSED), **state)


def send_one(mailing, signature, reading) -> Sent:
    """Claim and send one e-mail. Any other failure to send rolls the claim back and is
    raised: the signer stays due."""
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = UpdateSent.objects.create(
                        mailing=mailing, signature=signature, update_key=mailing.update_key
                    )
            except IntegrityError:
                return Sent.TAKEN
            with translation.override(signature.language):
                message = build_update_message(signature, reading)
            try:
                message.send()
            except smtplib.SMTPRecipientsRefused:
                # The claim stays, marked: this address is not tried again.
                UpdateSent.objects.filter(pk=claim.pk).update(refused=True)
                return Sent.REFUSED
            SignerUpdate.objects.filter(pk=mailing.pk).update(sent=F("sent") + 1)
    except IntegrityError:  # the signature was deleted before the claim was committed
        return Sent.TAKEN
    return Sent.SENT


def finish(mailing, state):
    """End ``mailing`` in ``state`` (sent, or stopped), once, noting how many it reached."""
    with transaction.atomic():
        ended = (
            SignerUpdate.objects.filter(pk=mailing.pk)
            .unfinished()
            .update(state=state, finished_at=timezone.now())
        )
        if ended:
            mailing.refresh_from_db()
            log(
                instance=mailing.appeal,
                action=log_actions.SIGNERS_INFORMED,
                user=None,
                data={"signatures": mailing.sent, "mailing": mailing.pk},
            )


class Unsubscribed(enum.Enum):
    UNSUBSCRIBED = "unsubscribed"
    ALREADY = "already_unsubscribed"
    INVALID = "invalid"


def check_unsubscribe(token):
    """What unsubscribing with ``token`` would answer, found without changing anything:
    (None, signature) while it would stop updates, else (outcome, signature or None)."""
    signature = Signature.objects.with_unsubscribe_token(token)
    if signature is None:
        return Unsubscribed.INVALID, None
    if not signature.keep_informed:
        return Unsubscribed.ALREADY, signature
    return None, signature


def unsubscribe(token):
    """Stop the updates of the signature whose unsubscribe token is ``token``:
    (outcome, signature or None). Unknown, forged and erased alike are invalid."""
    signature = Signature.objects.with_unsubscribe_token(token)
    if signature is None:
        return Unsubscribed.INVALID, None
    changed = Signature.objects.filter(pk=signature.pk, keep_informed=True).update(
        keep_informed=False
    )
    return (Unsubscribed.UNSUBSCRIBED if changed else Unsubscribed.ALREADY), signature
