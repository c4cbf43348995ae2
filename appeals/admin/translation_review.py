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

from appeals.localization import translation_of


def synced_translation_of(page):
    """The translation behind ``page`` while wagtail-localize still syncs it, or None."""
    record = translation_of(page)
    return record if record is not None and record.enabled else None


def can_submit_translation_for_review(page, user):
    """The user may edit this translated page, and no workflow is reviewing it yet."""
    permissions = page.permissions_for_user(user)
    return (
        permissions.can_edit()
        and permissions.can_submit_for_moderation()
        and synced_translation_of(page) is not None
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
