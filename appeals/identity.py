"""Finds the one ``Appeal`` behind an appeal block, in whatever language it is shown.

The appeal's state (goal, closing time, closed) is the source page's: it is
copied onto the ``Appeal`` row when the source page is published, so every
translation reads the same state, even before it is synced.
"""

from django.utils import timezone
from wagtail_localize.models import Translation

from appeals.models import Appeal


def appeal_state(page, value):
    closes_at = value["closes_at"]
    if closes_at is not None and timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    return {
        "title": page.title[:255],
        "goal": value["goal"],
        "closes_at": closes_at,
        "closed": bool(value["closed"]),
        "delivery_language": value["delivery_language"] or source_language(page),
    }


def source_language(page):
    translation = (
        Translation.objects.filter(source__object_id=page.translation_key)
        .select_related("source__locale")
        .first()
    )
    return translation.source.locale.language_code if translation else page.locale.language_code


def is_translation(page):
    """Whether wagtail-localize made ``page`` from a source in another language."""
    return Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id
    ).exists()


def appeal_for(page, block):
    """The ``Appeal`` of ``block`` (an appeal block on ``page``), created on first use."""
    identity = {"case_key": page.translation_key, "block_id": block.id}
    appeal = Appeal.objects.filter(**identity).first()
    if appeal is None:
        # The state (which looks up the source language) is worked out only on
        # creation, not on every render of the page.
        appeal, _ = Appeal.objects.get_or_create(
            **identity, defaults=appeal_state(page, block.value)
        )
    return appeal


def sync_appeals(page):
    """Copy the state of a source page's appeal blocks onto their ``Appeal`` rows."""
    if is_translation(page):
        return
    for block in page.body:
        if block.block_type == "appeal":
            Appeal.objects.update_or_create(
                case_key=page.translation_key,
                block_id=block.id,
                defaults=appeal_state(page, block.value),
            )
