"""Signature counts: the only code that writes ``Appeal.signature_count`` and the tallies.

A signature counts once, when it is confirmed: never before, so that the public
count cannot tell whether a probed address had signed. Confirming writes only the
signature's own row. ``fold`` then adds confirmed signatures to their appeals'
counts and to the tallies by language and country, a batch at a time, run every
few seconds by a periodic task: thousands of confirmations a minute never queue
on one appeal's row. Reading a count reads a column: constant time, whatever the
number of signatures.

Everything that writes counts holds one PostgreSQL advisory lock for its
transaction, so that two folds, or a fold and a recount, never interleave (on
SQLite, which has one writer at a time, the database serialises them itself).

It imports no model at import time, so that blocks and templates can read counts
while the models import the blocks.
"""

from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, router, transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from appeals.conf import appeals_conf

# The one rule of what counts.
COUNTED = Q(confirmed_at__isnull=False)

# The advisory lock's key: any number, the same in every process ("counters" in ASCII).
LOCK_KEY = int.from_bytes(b"counters", "big")


def counted(signatures):
    """The signatures of a queryset that count: the confirmed ones."""
    return signatures.filter(COUNTED)


def current(appeal) -> int:
    """An appeal's count as loaded with it: no query."""
    return appeal.signature_count


def progress_percent(appeal):
    """How far the count is toward the goal (0 to 100), or None without a goal."""
    if not appeal.goal:
        return None
    return min(100, current(appeal) * 100 // appeal.goal)


def model(name):
    return apps.get_model("appeals", name)


def lock_counts(using):
    """Wait for the right to write counts, held until the transaction ends."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def fold(batch_size=None, *, wait=False) -> int:
    """Add the confirmed signatures not counted yet to their appeals' counts and tallies.

    A batch at a time (``APPEALS_COUNT_BATCH_SIZE``), each in one transaction that
    marks its signatures counted and adds them: a fold interrupted half way keeps
    the batches it finished and loses nothing of the rest. Two folds at once: the
    second waits for the first, then counts only what is left. A row another
    transaction holds at that moment (a signer's e-mail being prepared, a second
    click on a link being turned down) is left to the next fold, so that the
    periodic fold never waits on a signer; with ``wait``, a one-off fold waits for
    it instead, and counts everything confirmed before it began. Returns how many
    signatures were counted.
    """
    batch_size = batch_size or appeals_conf.COUNT_BATCH_SIZE
    total = 0
    while True:
        folded = fold_batch(batch_size, wait)
        total += folded
        if folded < batch_size:
            return total


def fold_batch(batch_size, wait) -> int:
    signatures = model("Signature").objects
    using = router.db_for_write(signatures.model)
    with transaction.atomic(using=using):
        lock_counts(using)
        batch = list(
            locked(signatures.unfolded(), using, wait)[:batch_size].values_list(
                "pk", "appeal_id", "language", "country"
            )
        )
        if batch:
            signatures.filter(pk__in=[pk for pk, *_key in batch]).update(counted_at=timezone.now())
            add_to_counts(Counter(tuple(key) for _pk, *key in batch))
    return len(batch)


def locked(signatures, using, wait):
    """``signatures`` locked for this transaction; without ``wait``, passing over the rows
    another transaction holds."""
    features = connections[using].features
    if wait or not features.has_select_for_update_skip_locked:
        return signatures.select_for_update()
    return signatures.select_for_update(skip_locked=True)


def add_to_counts(added):
    """Add ``added``, a Counter of signatures by (appeal id, language, country), to the
    appeals' counts and tallies: a few statements, however many appeals and keys."""
    by_appeal = Counter()
    for (appeal_id, _language, _country), number in added.items():
        by_appeal[appeal_id] += number
    model("Appeal").objects.filter(pk__in=by_appeal).update(
        signature_count=plus("signature_count", by_appeal)
    )
    tallies = model("AppealTally").objects
    tallies.bulk_create(
        [
            tallies.model(appeal_id=appeal_id, language=language, country=country)
            for appeal_id, language, country in added
        ],
        ignore_conflicts=True,
    )
    rows = tallies.filter(
        appeal_id__in=by_appeal,
        language__in={language for _appeal, language, _country in added},
        country__in={country for _appeal, _language, country in added},
    ).values_list("pk", "appeal_id", "language", "country")
    by_tally = {pk: added[tuple(key)] for pk, *key in rows if tuple(key) in added}
    tallies.filter(pk__in=by_tally).update(count=plus("count", by_tally))


def plus(field, numbers):
    """``field`` plus each row's number in ``numbers`` (by primary key), never below zero."""
    number = Case(
        *[When(pk=pk, then=Value(value)) for pk, value in numbers.items()],
        default=Value(0),
        output_field=IntegerField(),
    )
    return Greatest(F(field) + number, Value(0))


def signature_removed(signature) -> bool:
    """Take ``signature`` out of its appeal's count and tallies, if it is in them.

    Call it inside the transaction that deletes (or un-confirms) it, before doing
    so: it holds the fold's lock to the end, so that no fold counts the signature
    in again meanwhile, and reads the row afresh, so that it subtracts only what was
    added. Whether it was in the counts.
    """
    signatures = type(signature).objects
    using = router.db_for_write(signatures.model)
    with transaction.atomic(using=using):
        lock_counts(using)
        row = signatures.filter(pk=signature.pk).folded()
        key = row.values_list("appeal_id", "language", "country").first()
        if key is None:
            return False
        row.update(counted_at=None)
        add_to_counts(Counter({tuple(key): -1}))
    signature.counted_at = None
    return True


@dataclass
class Drift:
    appeal: object
    counter: int
    rows: int
    tallies: bool = False


def recount(appeals, *, fix=True):
    """Compare the count and tallies of each of ``appeals`` (a queryset) with its counted
    signature rows, and fix those that drifted.

    Under the fold's lock: no fold adds to a count while it is recounted, and the
    signatures confirmed meanwhile wait for the next fold, so none is lost or counted
    twice. The fix counts inside the UPDATE.
    """
    using = router.db_for_write(appeals.model)
    with transaction.atomic(using=using):
        lock_counts(using)
        rows = tallies_from_rows(appeals)
        kept = kept_tallies(appeals)
        drifts = [
            drift
            for appeal in appeals.order_by("pk")
            if (drift := compare(appeal, rows.get(appeal.pk, {}), kept.get(appeal.pk, {})))
        ]
        if fix and drifts:
            fix_drifts(appeals, [drift.appeal.pk for drift in drifts], rows)
    return drifts


def compare(appeal, rows, kept):
    total = sum(rows.values())
    if total == appeal.signature_count and rows == kept:
        return None
    return Drift(appeal, appeal.signature_count, total, tallies=rows != kept)


def tallies_from_rows(appeals):
    """{appeal id: {(language, country): counted signatures}}, counted from the rows."""
    counts = (
        model("Signature")
        .objects.folded()
        .filter(appeal__in=appeals)
        .order_by()
        .values_list("appeal_id", "language", "country")
        .annotate(total=Count("pk"))
    )
    return nest(counts)


def kept_tallies(appeals):
    tallies = model("AppealTally").objects.filter(appeal__in=appeals, count__gt=0)
    return nest(tallies.values_list("appeal_id", "language", "country", "count"))


def nest(rows):
    nested = {}
    for appeal_id, language, country, total in rows:
        nested.setdefault(appeal_id, {})[(language, country)] = total
    return nested


def fix_drifts(appeals, appeal_ids, rows):
    signatures = model("Signature").objects
    appeals.filter(pk__in=appeal_ids).update(signature_count=rows_count(signatures))
    tallies = model("AppealTally").objects
    tallies.filter(appeal_id__in=appeal_ids).delete()
    tallies.bulk_create(
        tallies.model(appeal_id=appeal_id, language=language, country=country, count=total)
        for appeal_id in appeal_ids
        for (language, country), total in rows.get(appeal_id, {}).items()
    )


def rows_count(signatures):
    """The count of an appeal's counted signature rows, as a subquery on the appeal."""
    rows = signatures.folded().filter(appeal=OuterRef("pk"))
    total = rows.order_by().values("appeal").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)
