"""Signature counts: the only code that reads or writes ``Appeal.signature_count``.

A signature counts once, when it is confirmed: never before, so that the public
count cannot tell whether a probed address had signed. The count is a column on
the appeal, updated in the same transaction as the confirmation, so reading it
is constant time whatever the number of signatures.

It works on the objects and querysets it is given and imports no model, so
that blocks and templates can read counts while the models import the blocks.
"""

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

# The one rule of what counts.
COUNTED = Q(confirmed_at__isnull=False)


def counted(signatures):
    """The signatures of a queryset that count: the confirmed ones."""
    return signatures.filter(COUNTED)


def increment(signature):
    """Add one to the count of a signature's appeal, atomically, in the caller's transaction."""
    appeals = type(signature).appeal.field.related_model.objects
    appeals.filter(pk=signature.appeal_id).update(signature_count=F("signature_count") + 1)


def signature_confirmed(signature):
    """Count a signature just confirmed."""
    increment(signature)


def current(appeal) -> int:
    """An appeal's count as loaded with it: no query."""
    return appeal.signature_count


def progress_percent(appeal):
    """How far the count is toward the goal (0 to 100), or None without a goal."""
    if not appeal.goal:
        return None
    return min(100, current(appeal) * 100 // appeal.goal)


@dataclass
class Drift:
    appeal: object
    counter: int
    rows: int


def recount(appeals, *, fix=True):
    """Compare the count of each of ``appeals`` (a queryset) with its signature rows,
    and fix those that drifted.

    The fix counts inside the UPDATE, so confirmations arriving meanwhile are not lost.
    """
    rule = Q(signatures__confirmed_at__isnull=False)
    drifts = [
        Drift(appeal, appeal.signature_count, appeal.rows)
        for appeal in appeals.annotate(rows=Count("signatures", filter=rule))
        if appeal.rows != appeal.signature_count
    ]
    if fix:
        signatures = appeals.model.signatures.rel.related_model.objects
        for drift in drifts:
            appeals.filter(pk=drift.appeal.pk).update(signature_count=rows_count(signatures))
    return drifts


def rows_count(signatures):
    """The count of an appeal's counted signature rows, as a subquery on the appeal."""
    rows = counted(signatures.filter(appeal=OuterRef("pk")))
    total = rows.order_by().values("appeal").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)
