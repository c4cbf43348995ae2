"""The steps of a delivery's record: prepare it (the pack made and stored), mark it
delivered, cancel it, and record the authorities' response. One policy for the desk
and anything else that delivers; every step goes in the audit log, with no name or
address in it.
"""

from dataclasses import dataclass
from datetime import date as Date

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from appeals import delivery as packs
from appeals.admin.log_actions import CANCEL_DELIVERY, DELIVER, PREPARE_DELIVERY, RESPONSE
from appeals.models import (
    AuthorityResponse,
    CaseUpdate,
    DeliveredSignature,
    Delivery,
    DeliveryState,
    Signature,
)
from appeals.tasks import make_delivery_pdf


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
            delivery.save(update_fields=["letter_language"])
            transaction.on_commit(lambda: make_delivery_pdf.enqueue(delivery.pk))
            log(
                instance=appeal,
                action=PREPARE_DELIVERY,
                user=user,
                data=described(delivery),
            )
    except IntegrityError:
        existing = Delivery.objects.filter(form_token=token).first()
        return Prepared("already", existing) if existing else Prepared("race")
    return Prepared("made", delivery)


def described(delivery):
    """A delivery as the audit log keeps it: figures and choices, no names."""
    return {
        "delivery": delivery.pk,
        "signatures": delivery.signature_count,
        "messages_left_out": delivery.messages_left_out,
        "method": delivery.method,
        "language": delivery.letter_language,
    }


def mark_delivered(delivery, *, delivered_at, user) -> bool:
    """Record that the prepared ``delivery`` went, at ``delivered_at``; False if it was
    no longer prepared (delivered or cancelled meanwhile)."""
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PREPARED).update(
            state=DeliveryState.DELIVERED, delivered_at=delivered_at
        )
        if changed:
            delivery.refresh_from_db()
            log(instance=delivery.appeal, action=DELIVER, user=user, data=described(delivery))
    return bool(changed)


def cancel(delivery, *, user) -> bool:
    """Cancel the prepared ``delivery``, which never went: its signatures are free for the
    next delivery to that recipient, and its files are deleted (with its signatures gone
    from it, no later erasure could find the names in them). False if it was no longer
    prepared."""
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.PREPARED).update(
            state=DeliveryState.CANCELLED, cancelled_at=timezone.now()
        )
        if changed:
            DeliveredSignature.objects.filter(delivery=delivery).delete()
            delivery.files.all().delete()
            delivery.refresh_from_db()
            log(
                instance=delivery.appeal,
                action=CANCEL_DELIVERY,
                user=user,
                data=described(delivery),
            )
    return bool(changed)


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
