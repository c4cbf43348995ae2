"""The translation actions that change what visitors see: for those who may publish.

wagtail-localize lets anyone who may edit a translated page "Convert to alias
page" (the live translation becomes the source language at once, and the
translation record is deleted) and "Stop Synced translation" (the page leaves
the translation workflow and no longer follows its source). Both skip the
page's moderation workflow, so both need the publish permission here.

Of the ways to add that check, an override of the two URLs is the one that
holds whichever way a request arrives (the editor's buttons, the page
editor's action menu, a crafted POST or GET): Wagtail builds its admin URLs
from the ``register_admin_urls`` hooks in hook order, and Django answers with
the first pattern that matches, so ours, registered with a lower order,
answer at wagtail-localize's own addresses, check the permission and then
hand over to wagtail-localize's views unchanged. Nothing of wagtail-localize
is patched, and ``reverse()`` still names its routes. A test resolves both
addresses to these views, so an upgrade that moves them is noticed.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path
from wagtail.models import Page
from wagtail_localize.models import Translation
from wagtail_localize.views import convert, edit_translation

# Runs before wagtail-localize's hooks, whose order is the default, 0.
BEFORE_WAGTAIL_LOCALIZE = -10

CONVERT_TO_ALIAS_ACTION = "localize-convert-to-alias"  # the page action menu item's name
PUBLISHER_ONLY_EDITOR_LINKS = ("convertToAliasUrl", "stopTranslationUrl")


def may_publish(page, user):
    return page.permissions_for_user(user).can_publish()


def convert_to_alias(request, page_id):
    page = get_object_or_404(Page, id=page_id)
    if not may_publish(page, request.user):
        raise PermissionDenied
    return convert.convert_to_alias(request, page_id)


def stop_translation(request, translation_id):
    translation = get_object_or_404(Translation, id=translation_id)
    target = translation.get_target_instance()
    # A snippet has no moderation workflow to go around: wagtail-localize's check stands.
    if isinstance(target, Page) and not may_publish(target, request.user):
        raise PermissionDenied
    return edit_translation.stop_translation(request, translation_id)


# wagtail-localize's own routes (its wagtail_hooks.register_admin_urls), word for word.
urlpatterns = [
    path("localize/page/<int:page_id>/convert_to_alias/", convert_to_alias),
    path("localize/translate/<int:translation_id>/disable/", stop_translation),
]


def refuse_convert_to_alias(request, page):
    """The page editor's "Convert to alias page" POST, refused to those who may not publish.

    wagtail-localize's ``before_edit_page`` answers it with a redirect to the
    convert view, which refuses too; refusing here tells the user at once.
    """
    if request.method == "POST" and CONVERT_TO_ALIAS_ACTION in request.POST:
        if not may_publish(page, request.user):
            raise PermissionDenied


def hide_convert_to_alias(menu_items, request, context):
    """No "Convert to alias page" in the page editor's action menu for those who may not publish."""
    page = context.get("page")
    if page is None or may_publish(page, request.user):
        return
    menu_items[:] = [item for item in menu_items if item.name != CONVERT_TO_ALIAS_ACTION]
