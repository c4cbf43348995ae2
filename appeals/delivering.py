"""The steps of a delivery's record: prepare it (the pack made and stored), mark it
delivered, cancel it, and record the authorities' response. One policy for the desk
and anything else that delivers; every step goes in the audit log, with no name or
address in it.
"""

from dataclasses import dataclass
from datetime import date as Date

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from appeals import delivery as packs
from appeals.admin.log_actions import (
    CANCEL_DELIVERY,
    DELIVER,
    PREPARE_DELIVERY,
    RESPONSE,
    SEND_DELIVERY,
)
from appeals.models import (
    AuthorityResponse,
    CaseUpdate,
    DeliveredSignature,
    Delivery,
    DeliveryState,
    Signature,
)
from appeals.models.deliveries import INTERRUPTED_AFTER, NOT_GONE
from appeals.sending_hours import next_send_time
from appeals.tasks import can_defer, make_delivery_pdf, send_delivery_email, send_delivery_test


@dataclass(frozen=True)
class Prepared:
    """What ``prepare`` did: ``made`` a delivery; found the one this form ``already``
    made; found ``nothing`` new to deliver; or lost a ``race`` to another delivery."""

    outcome: str
    delivery: Delivery | None = None


def new_signatures(appeal, recipient_key, cut_off):
    """The signatures a delivery to ``recipient_key`` up to ``cut_off`` would hold."""
    return Signature.objects.filter(appeal=appeal).to_deliver(recipient_key, cut_off)


def prepare(appeal, *, recipient_key, language, method, cut_off, user, token, leave_out=()):
    """Make the delivery of ``appeal``'s new signatures to the recipient ``recipient_key``:
    its record, its signatures and its files (print page and CSV), all or nothing; its
    PDF is drawn by a task once they are committed.

    ``token`` is the preview form's: submitted twice, it makes one delivery. The
    database's unique (recipient, signature) makes a second delivery prepared at the
    same time fail rather than hold a signature twice.
    """
    existing = Delivery.objects.filter(form_token=token).first()
    if existing is not None:
        return Prepared("already", existing)
    page, _fell_back = packs.letter_page(appeal, language)
    recipient = packs.recipient_of(appeal.get_source_page(), recipient_key)
    leave_out = frozenset(leave_out)
    try:
        with transaction.atomic():
            rows = list(
                new_signatures(appeal, recipient.key, cut_off).values_list(
                    "pk", "name", "city", "country", "message"
                )
            )
            if not rows:
                return Prepared("nothing")
            left_out = {row[0] for row in rows if row[0] in leave_out and row[4]}
            delivery = Delivery.objects.create(
                appeal=appeal,
                recipient_key=recipient.key,
                recipient_name=recipient.name[:255],
                language=language,
                letter_language=page.locale.language_code,
                method=method,
                cut_off=cut_off,
                prepared_by=user,
                signature_count=len(rows),
                messages_left_out=len(left_out),
                form_token=token,
            )
            DeliveredSignature.objects.bulk_create(
                [
                    DeliveredSignature(
                        delivery=delivery,
                        signature_id=row[0],
                        recipient_key=recipient.key,
                        message_left_out=row[0] in left_out,
                    )
                    for row in rows
                ],
                batch_size=2000,
            )
            pack = packs.store_pack(delivery, page, rows, left_out)
            delivery.letter_language = pack.letter.language
            delivery.letter_subject = pack.title[:255]
            delivery.letter_text = packs.letter_text(pack)
            delivery.save(update_fields=["letter_language", "letter_subject", "letter_text"])
            transaction.on_commit(lambda: make_delivery_pdf.enqueue(delivery.pk))
            log(
                instance=appeal,
                action=PREPARE_DELIVERY,
                user=user,
                data=delivery.as_logged(),
            )
    except IntegrityError:
        existing = Delivery.objects.filter(form_token=token).first()
        return Prepared("already", existing) if existing else Prepared("race")
    return Prepared("made", delivery)


def mark_delivered(delivery, *, delivered_at, user) -> bool:
    """Record that the prepared ``delivery`` went, at ``delivered_at`` (or that its
    interrupted send did, as a manager found out); False if it was no longer prepared
    (delivered or cancelled meanwhile)."""
    with transaction.atomic():
        changed = (
            Delivery.objects.filter(pk=delivery.pk)
            .filter(Q(state=DeliveryState.PREPARED) | interrupted())
            .update(state=DeliveryState.DELIVERED, delivered_at=delivered_at)
        )
        if changed:
            delivery.refresh_from_db()
            log(instance=delivery.appeal, action=DELIVER, user=user, data=delivery.as_logged())
    return bool(changed)


def cancel(delivery, *, user) -> bool:
    """Cancel ``delivery``, prepared or queued to send by e-mail, which never went: its
    signatures are free for the next delivery to that recipient, and its files are deleted
    (with its signatures gone from it, no later erasure could find the names in them).
    False if it had gone or was being sent (or was cancelled meanwhile)."""
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, state__in=NOT_GONE).update(
            state=DeliveryState.CANCELLED, cancelled_at=timezone.now(), send_after=None
        )
        if changed:
            DeliveredSignature.objects.filter(delivery=delivery).delete()
            delivery.files.all().delete()
            delivery.refresh_from_db()
            log(
                instance=delivery.appeal,
                action=CANCEL_DELIVERY,
                user=user,
                data=delivery.as_logged(),
            )
    return bool(changed)


def request_test(delivery, *, address, language):
    """Have the e-mail of ``delivery`` sent to the manager at ``address``, marked as a test
    in ``language``, through the task queue. False if it is not (or no longer) to send."""
    if not delivery.by_email or delivery.state != DeliveryState.PREPARED:
        return False
    send_delivery_test.enqueue(delivery.pk, address, language)
    return True


def email_address(delivery):
    """The recipient's e-mail address, as the case gives it now; "" if it gives none."""
    source = delivery.appeal.get_source_page()
    recipient = packs.recipient_of(source, delivery.recipient_key) if source else None
    return recipient.value["email"] if recipient else ""


def queue_email(delivery, *, user) -> str:
    """Queue the prepared ``delivery`` to be sent by e-mail, once a manager confirmed it
    after their test: ``queued``; ``untested``; ``no_address`` (the case gives none now);
    or ``already`` (queued, sent or cancelled before: a second click sends nothing more).
    """
    if not delivery.by_email:
        return "already"
    if delivery.test_sent_at is None:
        return "untested"
    address = email_address(delivery)
    if not address:
        return "no_address"
    now = timezone.now()
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PREPARED).update(
            state=DeliveryState.QUEUED,
            email_to=address,
            queued_by=user,
            queued_at=now,
            send_after=next_send_time(delivery.appeal, now),
        )
        if not changed:
            return "already"
        delivery.refresh_from_db()
        log(instance=delivery.appeal, action=SEND_DELIVERY, user=user, data=delivery.as_logged())
        transaction.on_commit(lambda: schedule_send(delivery))
    return "queued"


def interrupted():
    """Deliveries taken to send so long ago that the send cannot still be going on."""
    return Q(state=DeliveryState.SENDING, claimed_at__lt=timezone.now() - INTERRUPTED_AFTER)


def send_again(delivery, *, user) -> bool:
    """Queue again a delivery whose send was interrupted, once a manager found it did not
    leave. False if it was not (or no longer) interrupted."""
    with transaction.atomic():
        changed = (
            Delivery.objects.filter(pk=delivery.pk)
            .filter(interrupted())
            .update(
                state=DeliveryState.QUEUED,
                claimed_at=None,
                send_after=next_send_time(delivery.appeal, timezone.now()),
            )
        )
        if changed:
            delivery.refresh_from_db()
            log(
                instance=delivery.appeal,
                action=SEND_DELIVERY,
                user=user,
                data=delivery.as_logged(),
            )
            transaction.on_commit(lambda: schedule_send(delivery))
    return bool(changed)


def schedule_send(delivery):
    """Enqueue the send of ``delivery`` for its time, where the task backend can wait;
    else at once (it finds the time not come and leaves it due, for the periodic retry)."""
    if can_defer(send_delivery_email) and delivery.send_after:
        send_delivery_email.using(run_after=delivery.send_after).enqueue(delivery.pk)
    else:
        send_delivery_email.enqueue(delivery.pk)


def record_response(appeal, *, date: Date, summary, link="", delivery=None, user=None):
    """Record what the authorities answered, and add it to the case's timeline.

    The entry is added to the source page's latest revision and saved as a draft:
    editors publish it as they publish any update, and translators then translate it
    with the page, so that it reaches every language.
    """
    with transaction.atomic():
        response = AuthorityResponse.objects.create(
            appeal=appeal,
            delivery=delivery,
            date=date,
            summary=summary,
            link=link,
            recorded_by=user,
        )
        source = appeal.get_source_page()
        if source is not None:
            response.revision = add_to_timeline(source, response, user)
            response.save(update_fields=["revision"])
        log(
            instance=appeal,
            action=RESPONSE,
            user=user,
            data={"response": response.pk, "delivery": delivery.pk if delivery else None},
        )
    return response


def add_to_timeline(source, response, user):
    """A draft revision of ``source`` with ``response`` as a timeline entry."""
    page = source.get_latest_revision_as_object()
    text = response.summary if not response.link else f"{response.summary}\n{response.link}"
    page.updates.add(CaseUpdate(date=response.date, text=text, locale=page.locale))
    return page.save_revision(user=user, log_action=True)
