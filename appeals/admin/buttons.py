from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin import widgets as wagtailadmin_widgets

from appeals.admin.translation_review import can_submit_translation_for_review


def translation_review_buttons(page, user):
    """The page listing's "Submit translation for review", where the user may."""
    if can_submit_translation_for_review(page, user):
        yield wagtailadmin_widgets.Button(
            _("Submit translation for review"),
            reverse("appeals_submit_translation_for_review", args=[page.id]),
            icon_name="resubmit",
            priority=60,
        )
