"""The translation-status report: every case, and how far it is translated into each language.

A Wagtail report (Reports › Translation status) for whoever may add, edit or
publish pages, editors and translators alike. One row per source case (neither
a translation nor an alias), one column per content language, each cell saying
whether the case is translated there, how many of its segments, whether the
translation kept up with its source (``appeals.translation_progress``), and
offering the next step: translate, sync, or start.

wagtail-localize's own ``TranslationsReportView`` lists translation records,
one row each: a case with none, never started anywhere, would not appear, and
staleness is not its concern; so this is a report of its own beside it.
Nothing about signatures is shown here.
"""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BaseColumn, DateColumn, LocaleColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.coreutils import get_content_languages
from wagtail.permission_policies.pages import PagePermissionPolicy

from appeals.localization import source_pages
from appeals.models import CasePage
from appeals.translation_progress import (
    TranslationState,
    content_languages,
    language_statuses,
    state_field,
    with_translation_states,
)

# Wagtail's own page reports ask for any of these on some page.
PAGE_ACTIONS = ["add", "change", "publish"]
SUBMIT_TRANSLATION = "wagtail_localize.submit_translation"

page_permission_policy = PagePermissionPolicy()


def may_see_report(user):
    return page_permission_policy.user_has_any_permission(user, PAGE_ACTIONS)


def language_choices():
    return list(get_content_languages().items())


def state_choices():
    return [(state.value, state.label) for state in TranslationState if state.value != "source"]


class TranslationStatusFilterSet(WagtailFilterSet):
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        empty_label=pgettext_lazy("languages", "All"),
        method="filter_language",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=state_choices,
        empty_label=pgettext_lazy("translation states", "All"),
        method="filter_state",
    )

    class Meta:
        model = CasePage
        fields = ["language", "state"]

    def filter_language(self, queryset, name, value):
        return queryset  # it chooses the columns shown, and the language ``state`` looks at

    def filter_state(self, queryset, name, value):
        """Cases in that state in the chosen language, or in any language."""
        chosen = self.form.cleaned_data.get("language")
        codes = [chosen] if chosen else list(get_content_languages())
        return queryset.filter(reduce(or_, (Q(**{state_field(code): value}) for code in codes)))


class LanguageStatusColumn(BaseColumn):
    """One content language: each case's ``LanguageStatus`` there, and its next step."""

    cell_template_name = "appeals/admin/translation_status_cell.html"

    def __init__(self, language, return_url):
        super().__init__(language.state_field, label=language.name)
        self.language = language
        self.return_url = return_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        status = next(
            found for found in instance.translation_statuses if found.language == self.language
        )
        user = parent_context["request"].user
        context.update(
            status=status,
            action=self.next_step(instance, status, user.has_perm(SUBMIT_TRANSLATION)),
        )
        return context

    def next_step(self, case, status, may_submit):
        """(label, URL) of what to do with ``case`` in this language, or None."""
        state = status.state
        back = "?" + urlencode({"next": self.return_url})
        if state in (TranslationState.NEVER_STARTED, TranslationState.NOT_YET):
            if may_submit and status.language.locale_id:
                url = reverse("wagtail_localize:submit_page_translation", args=[case.pk])
                return _("Start translation"), url + back
        elif state == TranslationState.SOURCE_CHANGED:
            if may_submit:
                url = reverse("wagtail_localize:update_translations", args=[status.source_id])
                return _("Sync"), url + back
        elif state == TranslationState.NOT_SYNCED:
            return _("Edit"), reverse("wagtailadmin_pages:edit", args=[status.page.pk])
        elif status.translated:
            return _("Translate"), reverse("wagtailadmin_pages:edit", args=[status.page.pk])
        return None


class TranslationStatusView(ReportView):
    page_title = _("Translation status")
    header_icon = "site"
    template_name = "appeals/admin/translation_status.html"
    index_url_name = "appeals_translation_status"
    index_results_url_name = "appeals_translation_status_results"
    filterset_class = TranslationStatusFilterSet
    permission_policy = page_permission_policy
    any_permission_required = PAGE_ACTIONS
    is_searchable = True
    search_backend_name = None  # the title, in the database: no search index to keep
    search_fields = ["title"]
    default_ordering = "title"

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return _("No case matches.")
        return _("There are no cases yet.")

    @cached_property
    def languages(self):
        return content_languages()

    @cached_property
    def shown_languages(self):
        """The languages the filter chose (one, or all)."""
        chosen = self.filters.form.cleaned_data.get("language") if self.is_filtering else None
        return [language for language in self.languages if not chosen or language.code == chosen]

    @cached_property
    def return_url(self):
        """This report as the user sees it, for the views its links open to come back to."""
        query = self.request.GET.copy()
        query.pop("_w_filter_fragment", None)
        return self.index_url + (f"?{query.urlencode()}" if query else "")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "title",
                label=_("Case"),
                sort_key="title",
                get_url=lambda case: reverse("wagtailadmin_pages:edit", args=[case.pk]),
            ),
            LocaleColumn(label=_("Source language"), sort_key=None),
            DateColumn(
                "last_published_at",
                label=_("Source last published"),
                sort_key="last_published_at",
            ),
            *(LanguageStatusColumn(language, self.return_url) for language in self.shown_languages),
        ]

    export_filename = "translation-status"

    @cached_property
    def list_export(self):
        return [
            "title",
            "source_language",
            "last_published_at",
            *(language.state_field for language in self.shown_languages),
        ]

    @cached_property
    def export_headings(self):
        return {
            "title": _("Case"),
            "source_language": _("Source language"),
            "last_published_at": _("Source last published"),
            **{language.state_field: language.name for language in self.shown_languages},
        }

    def to_row_dict(self, case):
        """A case's row of the spreadsheet: each language's state, with its progress."""
        names = {language.locale_id: language.name for language in self.languages}
        row = {
            "title": case.title,
            "source_language": names.get(case.locale_id, ""),
            "last_published_at": case.last_published_at,
        }
        for status in case.translation_statuses:
            progress = status.progress
            row[status.language.state_field] = str(status.state.label) + (
                f" ({progress[1]}/{progress[0]})" if progress else ""
            )
        return row

    def get_base_queryset(self):
        cases = source_pages(CasePage.objects.all()).only(
            "id", "title", "translation_key", "locale_id", "last_published_at"
        )
        return with_translation_states(cases, self.shown_languages)

    def decorate_paginated_queryset(self, object_list):
        return language_statuses(object_list, self.shown_languages)


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_report(request.user)


def menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"),
        reverse("appeals_translation_status"),
        name="translation-status",
        icon_name="site",
        order=9010,  # beside wagtail-localize's "Translations"
    )


urlpatterns = [
    path(
        "appeals/translation-status/",
        TranslationStatusView.as_view(),
        name="appeals_translation_status",
    ),
    path(
        "appeals/translation-status/results/",
        TranslationStatusView.as_view(results_only=True),
        name="appeals_translation_status_results",
    ),
]
