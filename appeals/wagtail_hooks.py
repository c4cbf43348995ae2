"""Registration only: what the plugin adds to Wagtail's admin lives in ``appeals.admin``."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from appeals.admin import (
    appeal_panels,
    appeal_reports,
    campaigns,
    log_actions,
    permissions,
    translation_editor,
    translation_publishing,
    translation_review,
    translation_status,
    translation_sync,
)
from appeals.admin.translation_publishing import BEFORE_WAGTAIL_LOCALIZE
from appeals.admin.viewsets import StatusViewSet
from appeals.models import Appeal

register_snippet(StatusViewSet)


# Ahead of wagtail-localize's: its own addresses of the views that publish or
# leave review (convert to alias, stop a sync, sync and publish) answer with
# ours, which check the publish permission first.
@hooks.register("register_admin_urls", order=BEFORE_WAGTAIL_LOCALIZE)
def register_admin_urls():
    return (
        translation_publishing.urlpatterns
        + translation_sync.urlpatterns
        + translation_review.urlpatterns
    )


@hooks.register("before_edit_page", order=BEFORE_WAGTAIL_LOCALIZE)
def before_edit_page(request, page):
    return translation_editor.edit_translation(request, page)


@hooks.register("construct_page_action_menu")
def construct_page_action_menu(menu_items, request, context):
    translation_publishing.hide_convert_to_alias(menu_items, request, context)


@hooks.register("register_page_listing_buttons")
def register_unreviewed_changes_flag(page, user, next_url=None, view_name=None):
    yield from translation_review.unreviewed_changes_flag(page, user)


@hooks.register("register_page_listing_more_buttons")
def register_translation_review_button(page, user, next_url=None, view_name=None):
    yield from translation_review.translation_review_buttons(page, user)


@hooks.register("register_permissions")
def register_desk_permissions():
    return permissions.desk_permissions()


@hooks.register("register_log_actions")
def register_desk_log_actions(actions):
    log_actions.register(actions)


# The campaign desk: the Campaigns menu (appeals and their reports, signatures, signers'
# rights), and the dashboard's open appeals (the case page's own panel is among its panels).
# Appeals are read by whoever follows them, changed by nobody here.
register_permission_policy(Appeal, appeal_reports.AppealPermissionPolicy(Appeal))


@hooks.register("register_admin_viewset")
def register_campaigns():
    return campaigns.CampaignsViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_open_appeals_panel(request, panels):
    if permissions.may_follow_appeals(request.user):
        panels.append(appeal_panels.OpenAppealsPanel())


# The translation-status report (Reports › Translation status).
@hooks.register("register_admin_urls")
def register_translation_status_urls():
    return translation_status.urlpatterns


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    return translation_status.menu_item()
