"""Sends a translated page through its Wagtail moderation workflow.

wagtail-localize's translation editor can save a draft or publish, but it has
no "submit for moderation": a translator without the publish permission
would have no way to ask for review. This adds that step, so that a
translation is approved and published by the page's workflow like any edit.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail_localize.models import Translation


def is_translation_target(page):
    return Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).exists()


def can_submit_translation_for_review(page, user):
    """The user may edit this translated page, and it has a draft no workflow is reviewing."""
    permissions = page.permissions_for_user(user)
    return (
        page.has_unpublished_changes
        and permissions.can_edit()
        and permissions.can_submit_for_moderation()
        and is_translation_target(page)
    )


def submit_translation_for_review(request, page_id):
    page = get_object_or_404(Page, id=page_id).specific
    if not can_submit_translation_for_review(page, request.user):
        raise PermissionDenied
    workflow = page.get_workflow()
    if request.method == "POST":
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
