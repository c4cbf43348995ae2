"""wagtail-localize's "Sync translated pages", which names the translations not yet reviewed.

Its "Publish immediately" publishes every synced translation as its segments
stand, including changes a translator made after the last approval, and it is
offered to anyone who may start a translation. Here, at the view's own
address (see ``translation_publishing`` for why an override of the URL):

- publishing needs the publish permission on every translated page, and the
  option is shown only to those who have it;
- the page lists the translations whose segments differ from what visitors
  see, and publishing them needs an explicit confirmation;
- everything else is wagtail-localize's view, unchanged.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import Page
from wagtail_localize.models import TranslationSource
from wagtail_localize.views.update_translations import (
    UpdateTranslationsForm,
    UpdateTranslationsView,
)

from appeals.admin.translation_publishing import may_publish
from appeals.admin.translation_review import has_unreviewed_changes

CONFIRM_FIELD = "publish_unreviewed_changes"


def translated_pages(source):
    """Each synced translation of ``source`` with its page (None for a snippet)."""
    for translation in source.translations.filter(enabled=True).select_related("target_locale"):
        target = translation.get_target_instance()
        yield translation, target if isinstance(target, Page) else None


def asks_to_publish(request):
    form = UpdateTranslationsForm(request.POST)
    return form.is_valid() and form.cleaned_data["publish_translations"]


def update_translations(request, translation_source_id):
    if not request.user.has_perm("wagtail_localize.submit_translation"):
        raise PermissionDenied  # as wagtail-localize's view would, before anything is looked at
    source = get_object_or_404(TranslationSource, id=translation_source_id)
    pages = [(translation, page) for translation, page in translated_pages(source) if page]
    publisher = all(may_publish(page, request.user) for _translation, page in pages)
    unreviewed = [
        {
            "page": page,
            "locale": translation.target_locale,
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.id]),
        }
        for translation, page in pages
        if has_unreviewed_changes(page, translation)
    ]
    if request.method == "POST" and asks_to_publish(request):
        if not publisher:
            raise PermissionDenied
        if unreviewed and not request.POST.get(CONFIRM_FIELD):
            messages.error(
                request,
                _(
                    "Nothing was synced: some translations have changes not yet reviewed. "
                    "Confirm that they may be published without review, or sync without publishing."
                ),
            )
            return redirect(request.get_full_path())
    response = UpdateTranslationsView.as_view()(
        request, translation_source_id=translation_source_id
    )
    if hasattr(response, "context_data"):  # a page to show, not a redirect
        # Wagtail-localize's template, extended: chosen here, so that it applies
        # whatever the order of the site's INSTALLED_APPS.
        response.template_name = "appeals/admin/update_translations.html"
        response.context_data.update(
            unreviewed_translations=unreviewed,
            may_publish_translations=publisher,
            confirm_field=CONFIRM_FIELD,
        )
    return response


# wagtail-localize's own route (its wagtail_hooks.register_admin_urls), word for word.
urlpatterns = [
    path("localize/update/<int:translation_source_id>/", update_translations),
]
