from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from appeals.localization import text_language
from appeals.models import CasePage


class HomePage(Page):
    """The root of each language's tree: lists the open cases in that language."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each card is marked with its text's language: its locale's, or an alias's source's.
        context["open_cases"] = CasePage.open_cases(self.locale).select_related(
            "locale", "alias_of__locale"
        )
        return context


class StandardPage(Page):
    """A page of text, translated like the cases: the privacy notice, an "about" page."""

    body = RichTextField(_("body"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]

    class Meta:
        verbose_name = _("standard page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # A Persian visitor reads the text in its own language, marked as such.
        context["text_language"] = text_language(self)
        return context
