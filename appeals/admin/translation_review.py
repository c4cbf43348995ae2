"""Sends a translated page through its Wagtail moderation workflow.

wagtail-localize's translation editor stores each translated segment as it is
typed, and can publish them, but has no "submit for moderation": a translator
without the publish permission would have no way to ask for review. This
adds that step: the current translations become a draft revision of the
translated page, and the page's workflow approves and publishes it like any
other edit.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail.admin import widgets as wagtailadmin_widgets
from wagtail.models import Page
from wagtail_localize.segments.extract import extract_segments

from appeals.localization import translation_of


def synced_translation_of(page):
    """The translation behind ``page`` while wagtail-localize still syncs it, or None."""
    record = translation_of(page)
    return record if record is not None and record.enabled else None


def segments(instance):
    """What wagtail-localize translates in ``instance``, by kind and place."""
    return {(type(segment), segment.path): segment for segment in extract_segments(instance)}


def differs_from(translation, revision):
    """Whether the translation editor's current segments would change ``revision``'s content.

    The editor stores each segment as it is typed, outside any revision: this
    builds the page those segments make, as publishing would, and compares
    what is translatable in it with the revision's. A missing revision differs.
    """
    if revision is None:
        return True
    current = translation.source.get_ephemeral_translated_instance(
        translation.target_locale, fallback=True
    )
    return segments(current) != segments(revision.as_object())


def has_unreviewed_changes(page, translation=None):
    """A synced translation whose segments differ from what visitors see (its live revision).

    That is what "Publish in ..." or "Sync translated pages" with "Publish
    immediately" would put live without review.
    """
    translation = translation or synced_translation_of(page)
    if translation is None:
        return False
    return differs_from(translation, page.live_revision if page.live else None)


def has_changes_to_submit(page, translation=None):
    """A synced translation whose segments differ from its latest revision: something to review."""
    translation = translation or synced_translation_of(page)
    if translation is None:
        return False
    return differs_from(translation, page.get_latest_revision())


def can_submit_translation_for_review(page, user):
    """The user may edit this translated page, no workflow is reviewing it yet, and its
    segments hold changes no revision has."""
    permissions = page.permissions_for_user(user)
    return (
        permissions.can_edit()
        and permissions.can_submit_for_moderation()
        and has_changes_to_submit(page)
    )


def save_translation_draft(page, translation, user):
    """Make the current translations a draft revision of ``page``, leaving its live version.

    wagtail-localize's ``save_target(publish=False)`` also writes the
    translated content into the page's own row, which for a live page is what
    visitors are served. The live content is put back from the live revision,
    as Wagtail itself restores a page, so only the new revision holds the draft.
    """
    live_revision = page.live_revision if page.live else None
    translation.save_target(user=user, publish=False)
    if live_revision is None:
        return
    current = Page.objects.get(pk=page.pk).specific
    restored = current.with_content_json(live_revision.content)
    restored.has_unpublished_changes = True
    restored.save(clean=False)


def submit_translation_for_review(request, page_id):
    page = get_object_or_404(Page, id=page_id).specific
    if not can_submit_translation_for_review(page, request.user):
        raise PermissionDenied
    workflow = page.get_workflow()
    if request.method == "POST":
        with transaction.atomic():
            save_translation_draft(page, synced_translation_of(page), request.user)
            workflow.start(page, request.user)
        messages.success(
            request,
            _("“%(title)s” was submitted to “%(workflow)s”.")
            % {"title": page.get_admin_display_title(), "workflow": workflow.name},
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return TemplateResponse(
        request,
        "appeals/admin/submit_translation_for_review.html",
        {"page": page, "workflow": workflow},
    )


urlpatterns = [
    path(
        "appeals/translations/<int:page_id>/submit-for-review/",
        submit_translation_for_review,
        name="appeals_submit_translation_for_review",
    )
]


def translation_review_buttons(page, user):
    """The page listing's "Submit translation for review", where the user may."""
    if can_submit_translation_for_review(page, user):
        yield wagtailadmin_widgets.Button(
            _("Submit translation for review"),
            reverse("appeals_submit_translation_for_review", args=[page.id]),
            icon_name="resubmit",
            priority=60,
        )


def unreviewed_changes_flag(page, user):
    """The page listing's "Changes not yet reviewed" beside a translation, for its editors."""
    if page.permissions_for_user(user).can_edit() and has_unreviewed_changes(page):
        yield wagtailadmin_widgets.ListingButton(
            _("Changes not yet reviewed"),
            reverse("wagtailadmin_pages:edit", args=[page.id]),
            icon_name="warning",
            attrs={"data-unreviewed-changes": ""},
            priority=5,
        )
