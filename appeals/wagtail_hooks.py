"""Registration only: what the plugin adds to Wagtail's admin lives in ``appeals.admin``."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from appeals.admin import translation_review
from appeals.admin.viewsets import StatusViewSet

register_snippet(StatusViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return translation_review.urlpatterns


@hooks.register("register_page_listing_more_buttons")
def register_translation_review_button(page, user, next_url=None, view_name=None):
    yield from translation_review.translation_review_buttons(page, user)
