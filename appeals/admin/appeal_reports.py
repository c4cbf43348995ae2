"""The campaign desk's Appeals: every appeal with its figures, and each appeal's report.

Counts only, never a signer: the listing and the reports are for everyone who follows
appeals (``permissions.may_follow_appeals``). Nothing is edited here: an appeal's
settings come from its case page's appeal block when the page is published.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, get_language_info, pgettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.coreutils import get_content_languages
from wagtail.permission_policies.base import BasePermissionPolicy, ModelPermissionPolicy
from wagtail.permissions import page_permission_policy

from appeals import counters, localization
from appeals.admin import charts
from appeals.admin.permissions import may_deliver, may_follow_appeals, may_see_signers
from appeals.countries import country_name
from appeals.models import Appeal, AppealTally, CasePage, Signature


class AppealPermissionPolicy(BasePermissionPolicy):
    """Appeals are read in the admin, never changed there: "view" for whoever follows them."""

    def user_has_permission(self, user, action):
        return action == "view" and may_follow_appeals(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and may_follow_appeals(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        appeals = self.model._default_manager
        return appeals.all() if self.user_has_any_permission(user, actions) else appeals.none()

    def users_with_any_permission(self, actions):
        users = get_user_model()._default_manager.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        editors = page_permission_policy.users_with_any_permission({"add", "change", "publish"})
        desk = ModelPermissionPolicy(Signature).users_with_permission("view")
        return users.filter(Q(pk__in=editors.values("pk")) | Q(pk__in=desk.values("pk")))


class AppealReportURLFinder(ModelAdminURLFinder):
    """Wagtail's links to an appeal (from its audit log, for one) open the appeal's report."""

    def get_edit_url(self, instance):
        if self.user and not may_follow_appeals(self.user):
            return None
        return self.construct_edit_url(instance)


def language_name(code):
    """A language's name in the admin's language (the code itself if Django knows none)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def content_language_order(code):
    order = list(get_content_languages())
    return (order.index(code) if code in order else len(order), code)


def note_case_pages(appeals):
    """Note on each of ``appeals`` ``shown_in`` (the languages its case's own text is live
    in, named) and ``case_live`` (whether any page of its case is live): one query."""
    pages = CasePage.live_languages(appeal.case_key for appeal in appeals)
    for appeal in appeals:
        languages = pages.get(appeal.case_key, [])
        own_text = sorted(
            (code for code, has_own_text in languages if has_own_text), key=content_language_order
        )
        appeal.case_live = bool(languages)
        appeal.shown_in = ", ".join(language_name(code) for code in own_text)
    return appeals


def is_open(appeal):
    return appeal.case_live and appeal.accepts_signatures()


def state_label(appeal):
    if not appeal.accepts_signatures():
        return pgettext("appeal state", "Closed")
    if not appeal.case_live:
        # Translators: an appeal whose case page is not published in any language.
        return pgettext("appeal state", "Not published")
    return pgettext("appeal state", "Open")


class CountColumn(Column):
    """A count, grouped as the admin's language writes numbers; blank when there is none."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["raw_value"]
        context["value"] = "" if value is None else number_format(value, force_grouping=True)
        return context


class AppealIndexView(IndexView):
    """Every appeal with its counts, goal and closing date; each row opens its report."""

    def get_base_queryset(self):
        return super().get_base_queryset().with_pending_count()

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Case"), sort_key="title", get_url=self.get_inspect_url),
            # Translators: the column of the languages a case is published in.
            Column("shown_in", label=_("Shown in")),
            CountColumn("signature_count", label=_("Confirmed"), sort_key="signature_count"),
            # Translators: the column of submissions awaiting their signer's confirmation.
            CountColumn("pending_count", label=_("Pending"), sort_key="pending_count"),
            CountColumn("goal", label=_("Goal"), sort_key="goal"),
            DateColumn("closes_at", label=_("Closes"), sort_key="closes_at"),
            StatusTagColumn("state", label=_("State"), accessor=state_label, primary=is_open),
        ]

    def get_table(self, object_list):
        # The page's rows, with their case pages' languages in one query for them all.
        return super().get_table(note_case_pages(list(object_list)))

    def get_list_more_buttons(self, instance):
        return []


@dataclass(frozen=True)
class Share:
    """A part of an appeal's count: signed in one language, or from one country."""

    name: str
    count: int
    percent: float


def shares(totals, name):
    """``totals`` ({key: signatures}, most first) as Shares, each named by ``name(key)``."""
    whole = sum(totals.values())
    return [
        Share(name(key), count, round(count * 100 / whole, 1) if whole else 0.0)
        for key, count in totals.items()
    ]


def report_figures(appeal):
    """What an appeal's report shows: counts, the parts by language and country (from the
    tallies the fold keeps) and the days (one aggregate): no query per signature."""
    language = get_language()
    by_country = AppealTally.objects.by_country(appeal)
    return {
        "confirmed": counters.current(appeal),
        "pending": appeal.pending_count,
        "progress": counters.progress_percent(appeal),
        "state": state_label(appeal),
        "is_open": is_open(appeal),
        "by_language": shares(AppealTally.objects.by_language(appeal), language_name),
        "by_country": shares(by_country, lambda code: country_name(code, language) or code),
        "chart": charts.daily_chart(
            Signature.objects.filter(appeal=appeal).counted_per_day(),
            rtl=localization.direction(language) == "rtl",
        ),
    }


class AppealReportView(InspectView):
    """One appeal's report: its counts, by language, by country and by day."""

    template_name = "appeals/admin/appeal_report.html"
    page_title = _("Report")
    any_permission_required = ["view"]

    def get_object(self, queryset=None):
        # Wagtail's view looks the object up before it checks the user's rights: refuse
        # first, so that an id answers nothing to whoever may not follow appeals.
        if not self.user_has_any_permission(self.any_permission_required):
            raise PermissionDenied
        appeal = get_object_or_404(Appeal.objects.with_pending_count(), pk=self.pk)
        return note_case_pages([appeal])[0]

    def get_fields(self):
        return []

    @cached_property
    def case_page(self):
        """The appeal's live case page in the admin's language (or its fallback), for its
        editors: None if none is live, or the user may not edit it."""
        page = self.object.get_case_page(get_language())
        if page is None or not page.permissions_for_user(self.request.user).can_edit():
            return None
        return page

    @cached_property
    def header_more_buttons(self):
        if self.case_page is None:
            return []
        url = reverse("wagtailadmin_pages:edit", args=[self.case_page.pk])
        return [Button(_("Edit the case"), url=url, icon_name="edit", priority=10)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(report_figures(self.object))
        context["appeal"] = self.object
        context["may_see_signers"] = may_see_signers(self.request.user)
        context["may_deliver"] = may_deliver(self.request.user)
        return context


class AppealViewSet(ModelViewSet):
    """Appeals in the admin: the listing and the reports, nothing to add, edit or delete."""

    model = Appeal
    name = "appeals_appeal"
    url_prefix = "appeals"
    icon = "form"
    menu_label = _("Appeals")
    menu_order = 100
    index_view_class = AppealIndexView
    report_view_class = AppealReportView
    search_fields = ["title"]
    ordering = "title"
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        # The views this viewset leaves out: none of Wagtail's views may link to them.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            inspect_url_name=self.get_url_name("report"),
            **kwargs,
        )

    @property
    def report_view(self):
        return self.construct_view(self.report_view_class)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("report/<int:pk>/", self.report_view, name="report"),
        ]

    @property
    def url_finder_class(self):
        return type(
            "AppealViewSetURLFinder",
            (AppealReportURLFinder,),
            {"edit_url_name": self.get_url_name("report")},
        )

    def get_permissions_to_register(self):
        # Appeals have no rights of their own to give: who may follow them is decided by
        # the page and signature permissions (``may_follow_appeals``).
        return Permission.objects.none()
