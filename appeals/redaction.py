"""Signers erased, withdrawn or anonymised are taken out of the delivery packs that
listed them, as they are out of the signatures: erasure is erasure of the packs too.

In the transaction that removes or anonymises the signatures, ``redact`` deletes the
stored files of every delivery that held one, keeping what the files as first made
were (``OriginalFile``: name, size, SHA-256), and once committed sends
``packs_redacted``; the task it starts (``appeals.tasks.rebuild_delivery_packs``)
makes the files again with ``rebuild``, from the delivery's signatures still
identified, with the same letter, language, recipient and messages left out. The
delivery's ``signature_count`` stays the number that went.
"""

from django.db import router, transaction
from django.dispatch import Signal
from django.utils import timezone

from appeals import counters
from appeals import delivery as packs
from appeals.models import DeliveredSignature, Delivery, OriginalFile, Signature

# Sent once a redaction is committed, with ``delivery_ids``: whatever runs background
# work (``appeals.signal_handlers``) has their files made again. A signal, because the
# task module runs the purge that redacts.
packs_redacted = Signal()


def redact(signatures, using=None) -> list[int]:
    """Delete the stored files of the deliveries holding any of ``signatures`` (a
    queryset or pks), inside the caller's transaction and before the signatures go
    (deleting one deletes its rows in the deliveries); the ids of those deliveries.

    The counts' lock first, then the signatures, then the deliveries, in the order
    every writer of them takes: a delivery being prepared with one of the signatures
    is committed before its files are looked for, or fails for want of it.
    """
    counters.lock_counts(using or router.db_for_write(Delivery))
    list(Signature.objects.using(using).filter(pk__in=signatures).select_for_update().values("pk"))
    ids = list(
        Delivery.objects.using(using)
        .holding(signatures)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    now = timezone.now()
    for delivery in Delivery.objects.using(using).filter(pk__in=ids):
        keep_originals(delivery)
        delivery.files.all().delete()
        delivery.redacted_at = now
        delivery.save(update_fields=["redacted_at"])
    # Robust: the erasure is committed whatever befalls the queue, and the daily purge
    # queues again a rebuild that was lost.
    transaction.on_commit(
        lambda: packs_redacted.send(sender=Delivery, delivery_ids=ids), using=using, robust=True
    )
    return ids


def keep_originals(delivery):
    """Record the files of ``delivery`` as first made, at its first redaction only: a
    later one finds redacted copies, which are not what was delivered."""
    if delivery.redacted_at is not None:
        return
    OriginalFile.objects.bulk_create(
        OriginalFile(
            delivery=delivery,
            format=stored.format,
            name=stored.name,
            sha256=stored.sha256,
            size=stored.size,
        )
        for stored in delivery.files.described()
    )


def rebuild(delivery_id) -> bool:
    """Make again the print page and CSV of the redacted delivery ``delivery_id`` from
    its signatures still identified; False when there is nothing to make (made already,
    or never redacted) or its case page, appeal or recipient is gone (its files stay
    deleted and its page says so). Its PDF is to be drawn once this is committed."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update().select_related("appeal").filter(pk=delivery_id)
        ).first()
        if delivery is None or not delivery.is_being_rebuilt:
            return False
        page = packs.rebuild_page(delivery)
        if page is None:
            return False
        rows = list(DeliveredSignature.objects.filter(delivery=delivery).for_pack())
        packs.store_pack(
            delivery,
            page,
            [row[:5] for row in rows],
            leave_out=frozenset(row[0] for row in rows if row[5]),
            removed=delivery.signature_count - len(rows),
        )
    return True


def is_stuck(delivery) -> bool:
    """Whether ``delivery``'s files, redacted, cannot be made again (its case page,
    appeal or recipient is gone)."""
    return delivery.is_being_rebuilt and packs.rebuild_page(delivery) is None
