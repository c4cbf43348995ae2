"""The pages of the desk's own sections about appeals (Deliveries, Updates to signers):
refused as Wagtail refuses to whoever the section's ``may_use`` does not admit, before any
object is looked up; never cached; their breadcrumbs naming the section and the appeal."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import View
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from appeals.models import Appeal


class AppealDeskView(WagtailAdminTemplateMixin, View):
    """Subclasses give ``namespace`` (the section's URL namespace, with an "index" and an
    "appeal" view), ``page_title`` (the section's name), ``may_use`` and their template."""

    namespace = None
    header_icon = "mail"
    # What the page's heading says, under the breadcrumbs that already name the appeal.
    heading = None

    @staticmethod
    def may_use(user):
        return False

    def dispatch(self, request, *args, **kwargs):
        if not self.may_use(request.user):
            return permission_denied(request)
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def section_url(self, name, *args):
        return reverse(f"{self.namespace}:{name}", args=args)

    def get_page_subtitle(self):
        return str(self.appeal.title) if getattr(self, "appeal", None) else ""

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": self.section_url("index"), "label": self.page_title},
        ]
        if getattr(self, "appeal", None):
            items.append(
                {"url": self.section_url("appeal", self.appeal.pk), "label": self.appeal.title}
            )
        return items

    def get_heading(self):
        return self.heading

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("appeal", getattr(self, "appeal", None))
        context.setdefault("heading", self.get_heading())
        return context

    def render(self, template_name=None, **context):
        return self.response_class(
            request=self.request,
            template=[template_name or self.template_name],
            context=self.get_context_data(**context),
        )

    def find_appeal(self, pk):
        self.appeal = get_object_or_404(Appeal, pk=pk)
        return self.appeal
