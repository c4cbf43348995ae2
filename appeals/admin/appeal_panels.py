"""How appeals are doing, where editors look: on a case page's edit view, and on the
dashboard. Counts only, each linked to its appeal's report.

The case page's model imports this module: it looks the appeals up through the app
registry, when a panel is drawn.
"""

from django.apps import apps
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component

from appeals.admin.permissions import may_follow_appeals

REPORT_URL = "appeals_appeal:report"


def appeals_model():
    return apps.get_model("appeals", "Appeal")


def report_url(appeal):
    return reverse(REPORT_URL, args=[appeal.pk])


class AppealCountsPanel(Panel):
    """The counts of the page's appeals, one per appeal block, as Wagtail's form pages show
    their submissions; on every translation, since the appeal is the same in all."""

    def on_model_bound(self):
        self.heading = self.heading or _("Signatures")

    class BoundPanel(Panel.BoundPanel):
        template_name = "appeals/admin/appeal_counts_panel.html"

        def appeals(self):
            """The appeals of the page's appeal blocks, in the blocks' order, with their
            headings: one query. None before the page is first published."""
            page = self.instance
            if not page.pk or not hasattr(page, "get_appeal_blocks"):
                return []
            blocks = page.get_appeal_blocks()
            found = {
                str(appeal.block_id): appeal
                for appeal in appeals_model().objects.for_page(page).with_pending_count()
            }
            shown = []
            for block in blocks:
                appeal = found.get(block.id)
                if appeal is not None:
                    appeal.heading = block.value.get("heading") or appeal.title
                    shown.append(appeal)
            return shown

        def is_shown(self):
            user = getattr(self.request, "user", None)
            return user is not None and may_follow_appeals(user) and bool(self.shown_appeals)

        @property
        def shown_appeals(self):
            if not hasattr(self, "_shown_appeals"):
                self._shown_appeals = self.appeals()
            return self._shown_appeals

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["appeals"] = [(appeal, report_url(appeal)) for appeal in self.shown_appeals]
            return context


class OpenAppealsPanel(Component):
    """The dashboard's open appeals: counts and closing dates, soonest to close first."""

    name = "open_appeals"
    template_name = "appeals/admin/open_appeals_panel.html"
    order = 150

    # The rest are a click away, in the Appeals listing.
    limit = 10

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        found = (
            appeals_model()
            .objects.taking_signatures()
            .with_pending_count()
            .order_by(F("closes_at").asc(nulls_last=True), "-signature_count", "pk")
        )
        context["appeals"] = [(appeal, report_url(appeal)) for appeal in found[: self.limit]]
        context["index_url"] = reverse("appeals_appeal:index")
        return context


def counts_above_translation_editor(request, page):
    """The counts panel for wagtail-localize's translation editor, which draws no panels
    of the page's own: its HTML, or "" where it has nothing to show."""
    if not hasattr(page, "get_appeal_blocks"):
        return ""
    panel = AppealCountsPanel().bind_to_model(type(page))
    bound = panel.get_bound_panel(instance=page, request=request)
    if not bound.is_shown():
        return ""
    return render_to_string(
        "appeals/admin/translation_editor_counts.html",
        {"panel": bound, "heading": panel.heading},
        request=request,
    )
