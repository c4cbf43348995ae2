from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import widgets as wagtailadmin_widgets
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from appeals.models import Status
from appeals.translation_review import (
    can_submit_translation_for_review,
    submit_translation_for_review,
)


class StatusViewSet(SnippetViewSet):
    model = Status
    icon = "tag"
    menu_label = _("Case statuses")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "is_final"]
    list_filter = ["is_final"]
    search_fields = ["name"]


register_snippet(StatusViewSet)


@hooks.register("register_admin_urls")
def register_translation_review_url():
    return [
        path(
            "appeals/translations/<int:page_id>/submit-for-review/",
            submit_translation_for_review,
            name="appeals_submit_translation_for_review",
        )
    ]


@hooks.register("register_page_listing_more_buttons")
def translation_review_button(page, user, next_url=None, view_name=None):
    if can_submit_translation_for_review(page, user):
        yield wagtailadmin_widgets.Button(
            _("Submit translation for review"),
            reverse("appeals_submit_translation_for_review", args=[page.id]),
            icon_name="resubmit",
            priority=60,
        )
