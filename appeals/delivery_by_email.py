"""Delivery by e-mail: the letter once, as its pack holds it, with the signatories
attached (PDF and CSV), to the recipient's address; first a test to the manager.

A delivery goes only once a manager confirmed it (``appeals.delivering.queue_email``),
then through the task queue: ``attempt`` sends it within its appeal's sending hours and
under its hourly cap (``appeals.sending_hours``), or says when to try again; a failed
send is tried again, up to APPEALS_DELIVERY_ATTEMPTS times, and then recorded as
failed, its signatures freed for the next delivery. The delivery's row, locked while
it is claimed, decides: two runs of the task, or a cancellation meanwhile, send it
once or not at all.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from appeals import delivery as packs
from appeals import redaction
from appeals.admin.log_actions import DELIVER, FAIL_DELIVERY
from appeals.conf import appeals_conf
from appeals.models import Appeal, DeliveredSignature, Delivery, DeliveryState
from appeals.models.deliveries import FileFormat
from appeals.sending_hours import next_send_time

CONTENT_TYPES = {FileFormat.PDF: "application/pdf", FileFormat.CSV: "text/csv"}
PACK_WAIT = timedelta(minutes=1)
# Kept as the last error of a delivery whose redacted pack can never be made again.
PACK_GONE = "the pack cannot be made again: its case page, appeal or recipient is gone"


@dataclass(frozen=True)
class Attempt:
    """What ``attempt`` did: ``sent`` it; nothing (``not_due``: no longer queued); put it
    off until ``retry_at`` (``later``: sending hours or cap; ``retry``: the send failed);
    or recorded it as ``failed`` for good."""

    outcome: str
    retry_at: datetime | None = None


def subject(delivery):
    """The e-mail's subject, in the letter's language: the case and how many signed."""
    with translation.override(delivery.letter_language):
        return ngettext(
            "%(title)s: %(count)d signature",
            "%(title)s: %(count)d signatures",
            delivery.signature_count,
        ) % {"title": delivery.letter_subject, "count": delivery.signature_count}


def body(delivery):
    with translation.override(delivery.letter_language):
        attached = ngettext(
            "Attached: the %(count)d signatory of this letter, as PDF and as CSV.",
            "Attached: the %(count)d signatories of this letter, as PDF and as CSV.",
            delivery.signature_count,
        ) % {"count": delivery.signature_count}
    return f"{delivery.letter_text.rstrip()}\n\n{attached}\n"


def build_message(delivery, to, *, test_language=None):
    """The e-mail of ``delivery`` to ``to``: its letter, its PDF and CSV attached. With
    ``test_language``, the manager's test, its subject marked as one in that language."""
    title = subject(delivery)
    if test_language:
        with translation.override(test_language):
            title = _("[Test] %(subject)s") % {"subject": title}
    reply_to = appeals_conf.DELIVERY_REPLY_TO
    message = EmailMessage(
        subject=title,
        body=body(delivery),
        from_email=appeals_conf.DELIVERY_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if isinstance(reply_to, str) else reply_to,
        headers={"Message-ID": make_msgid(domain=message_domain()), "Auto-Submitted": "no"},
    )
    message.extra_headers["Content-Language"] = delivery.letter_language
    for stored in delivery.files.filter(format__in=CONTENT_TYPES):
        message.attach(stored.name, stored.data, CONTENT_TYPES[stored.format])
    return message


def message_domain():
    sender = appeals_conf.DELIVERY_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL
    return sender.rpartition("@")[2].rstrip(">") or None


def pack_ready(delivery):
    """Whether the pack's print page and CSV are there, which the e-mail is made from."""
    formats = set(delivery.files.values_list("format", flat=True))
    return {FileFormat.HTML, FileFormat.CSV} <= formats


def ensure_pdf(delivery):
    """Draw the pack's PDF now if its task has not yet: the e-mail never goes without it."""
    if not delivery.files.filter(format=FileFormat.PDF).exists():
        packs.draw_pdf(delivery.pk)


def send_test(delivery_id, address, language):
    """Send ``delivery``'s e-mail to the manager at ``address``, marked as a test; record
    it. Returns whether it was sent (a failure is recorded as the last error)."""
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    if delivery is None or not delivery.by_email:
        return False
    try:
        ensure_pdf(delivery)
        build_message(delivery, address, test_language=language).send()
    except Exception as error:  # any mail server's failure is recorded
        Delivery.objects.filter(pk=delivery.pk).update(last_error=describe(error))
        return False
    Delivery.objects.filter(pk=delivery.pk).update(
        test_sent_to=address, test_sent_at=timezone.now(), last_error=""
    )
    return True


def describe(error):
    return f"{type(error).__name__}: {error}"[:500]


def attempt(delivery_id) -> Attempt:
    """Send the queued delivery ``delivery_id`` if it is due, once."""
    claimed = claim(delivery_id)
    if isinstance(claimed, Attempt):
        return claimed
    delivery = claimed
    try:
        ensure_pdf(delivery)
        message = build_message(delivery, delivery.email_to)
        message.send()
    except Exception as error:  # any mail server's failure is retried
        return failed(delivery, error)
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.DELIVERED,
            delivered_at=timezone.now(),
            message_id=message.extra_headers["Message-ID"][:255],
            send_after=None,
            last_error="",
        )
        delivery.refresh_from_db()
        log(
            instance=delivery.appeal,
            action=DELIVER,
            user=delivery.queued_by,
            data=delivery.as_logged(),
        )
    return Attempt("sent")


def claim(delivery_id):
    """The queued delivery, now marked as being sent, if it may go now; else an Attempt
    saying why not. The appeal's row is locked meanwhile, so that two deliveries of
    one appeal never both take the hour's last place under its cap."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update().select_related("appeal").filter(pk=delivery_id)
        ).first()
        if delivery is None or delivery.state != DeliveryState.QUEUED:
            return Attempt("not_due")
        Appeal.objects.select_for_update().filter(pk=delivery.appeal_id).first()
        now = timezone.now()
        when = max(next_send_time(delivery.appeal, now), delivery.send_after or now)
        if not pack_ready(delivery):
            if redaction.is_stuck(delivery):
                give_up(delivery, DeliveryState.QUEUED, PACK_GONE)
                return Attempt("failed")
            # Its files are being made again (a signer erased meanwhile): never send an
            # e-mail without them, nor count the wait as a failed try.
            when = max(when, now + PACK_WAIT)
        if when > now:
            Delivery.objects.filter(pk=delivery.pk).update(send_after=when)
            return Attempt("later", when)
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        delivery.claimed_at = now
        delivery.save(update_fields=["state", "attempts", "claimed_at"])
    return delivery


def failed(delivery, error) -> Attempt:
    """After a failed send: queued again, later and within the sending hours; or, out of
    attempts, failed for good, its signatures free for the next delivery."""
    with transaction.atomic():
        if delivery.attempts < appeals_conf.DELIVERY_ATTEMPTS:
            wait = appeals_conf.DELIVERY_RETRY_DELAY * 2 ** (delivery.attempts - 1)
            delay = timedelta(seconds=wait)
            retry_at = next_send_time(delivery.appeal, timezone.now() + delay)
            Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
                state=DeliveryState.QUEUED, send_after=retry_at, last_error=describe(error)
            )
            return Attempt("retry", retry_at)
        give_up(delivery, DeliveryState.SENDING, describe(error))
    return Attempt("failed")


def give_up(delivery, state, reason):
    """Record ``delivery`` (in ``state``) as failed for good, for ``reason``: its
    signatures are free for the next delivery to its recipient."""
    changed = Delivery.objects.filter(pk=delivery.pk, state=state).update(
        state=DeliveryState.FAILED, failed_at=timezone.now(), send_after=None, last_error=reason
    )
    if not changed:
        return
    DeliveredSignature.objects.filter(delivery=delivery).delete()
    delivery.refresh_from_db()
    log(
        instance=delivery.appeal,
        action=FAIL_DELIVERY,
        user=delivery.queued_by,
        data=delivery.as_logged(),
    )
