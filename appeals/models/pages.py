from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, Site
from wagtail.search import index

from appeals import localization
from appeals.admin.appeal_panels import AppealCountsPanel
from appeals.blocks import CaseBodyBlock
from appeals.cache import serve_cached
from appeals.letter import delivered_elsewhere
from appeals.models.appeals import Appeal
from appeals.models.settings import AppealsSettings
from appeals.models.statuses import Status


class CaseBodyField(StreamField):
    """A case page's ``body``: its own field class, so that the API can describe it.

    ``appeals.api.fields`` registers a typed schema for this class with Wagtail's
    API v3 schema generator. Migrations see a plain ``StreamField``.
    """

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.StreamField", args, kwargs


class CaseIndexPage(Page):
    """Lists the cases beneath it, filterable by status."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    subpage_types = ["appeals.CasePage"]
    template = "appeals/case_index_page.html"

    class Meta:
        verbose_name = _("case index page")

    def get_cases(self):
        """Live cases beneath, newest first: in this language, or mirrored from their source
        language until translated (``CasePage.text_language`` says which)."""
        return (
            CasePage.objects.child_of(self)
            .live()
            .select_related(*CasePage.SHOWN_WITH)
            .order_by("-first_published_at")
        )

    def route(self, request, path_components):
        """A case asked for comes in one query, with what its page shows (its status, photo
        and locale, an alias's source): Wagtail's own routing fetches the child, then its
        specific page, and the page loads each of these on first use."""
        if not path_components:
            return super().route(request, path_components)
        cases = CasePage.objects.child_of(self).select_related(*CasePage.SHOWN_WITH)
        try:
            case = cases.get(slug=path_components[0])
        except CasePage.DoesNotExist:  # a 404, or a child of another type
            return super().route(request, path_components)
        case._cached_parent_obj = self  # as Wagtail's routing does: the parent is known
        return case.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        statuses = list(Status.objects.filter(locale=self.locale))
        selected = request.GET.get("status", "")
        cases = self.get_cases()
        if selected:
            # Matched in Python: the raw parameter never reaches the database.
            status = next((status for status in statuses if status.slug == selected), None)
            # By translation key: a case mirrored from another language keeps that
            # language's status, the same status in every language.
            cases = (
                cases.filter(status__translation_key=status.translation_key)
                if status
                else cases.none()
            )
        context.update(cases=cases, statuses=statuses, selected_status=selected)
        return context


class CasePage(Page):
    """One case: the defender, where the case stands, and the blocks that tell it."""

    defender_name = models.CharField(_("defender's name"), max_length=255)
    defender_photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("defender's photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    defender_organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    defender_role = models.CharField(_("role"), max_length=255, blank=True)
    status = models.ForeignKey(
        "appeals.Status",
        verbose_name=_("status"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences shown in case lists.")
    )
    body = CaseBodyField(CaseBodyBlock(), verbose_name=_("body"))

    content_panels = [
        AppealCountsPanel(),
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("defender_name"),
                FieldPanel("defender_photo"),
                FieldPanel("defender_organisation"),
                FieldPanel("defender_role"),
            ],
            heading=_("Defender"),
        ),
        FieldPanel("status"),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("updates", heading=_("Timeline"), label=_("Update")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("defender_name"),
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["appeals.CaseIndexPage"]
    subpage_types = []
    template = "appeals/case_page.html"
    # What Wagtail's API gives a front end: blocks as structured data (dates in
    # ISO 8601, demands as a list, recipients as fields, each appeal block with
    # its appeal's id, letter and live state). Nothing about signers.
    api_fields = [
        APIField("defender_name"),
        APIField("defender_organisation"),
        APIField("defender_role"),
        APIField("status_data"),
        APIField("summary"),
        APIField("body"),
        APIField("timeline_data"),
    ]

    # What a case's page and its card show besides the page's own row.
    SHOWN_WITH = ("status", "defender_photo", "locale", "alias_of__locale")

    class Meta:
        verbose_name = _("case page")

    @classmethod
    def open_cases(cls, locale):
        """Live cases in ``locale`` whose status has not closed them, newest first: those
        mirrored from their source language until translated included."""
        return (
            cls.objects.live()
            .filter(locale=locale)
            .exclude(status__is_final=True)
            .select_related(*cls.SHOWN_WITH)
            .order_by("-first_published_at")
        )

    @classmethod
    def live_languages(cls, case_keys):
        """{case's translation key: [(language code, whether its own text is live)]} for the
        live pages of the cases ``case_keys``, in one query.

        An alias (a case mirrored untranslated) and a translation not yet published show
        their source's text: neither has a live revision of its own.
        """
        pages = (
            cls.objects.live()
            .filter(translation_key__in=set(case_keys))
            .order_by("locale__language_code")
            .values_list("translation_key", "locale__language_code", "live_revision_id")
        )
        found = {}
        for key, language, live_revision_id in pages:
            found.setdefault(key, []).append((language, live_revision_id is not None))
        return found

    @property
    def text_language(self):
        """The language of the case's text: its source's while it is not translated yet."""
        return localization.text_language(self)

    @property
    def has_final_status(self):
        """Whether the case's status has closed it (it is no longer listed as open)."""
        return bool(self.status and self.status.is_final)

    @property
    def status_data(self):
        if self.status is None:
            return None
        return {"slug": self.status.slug, "name": self.status.name, "closed": self.status.is_final}

    @property
    def timeline_data(self):
        return [
            {
                "date": update.date.isoformat(),
                "status": update.status.name if update.status else None,
                "text": update.text,
            }
            for update in self.timeline()
        ]

    def get_appeal_blocks(self):
        """The page's appeal blocks (stream children, each with its ``id`` and ``value``)."""
        return self.body.blocks_by_name("appeal")

    def get_appeal_block(self, appeal):
        """The appeal block of ``appeal`` on this page, or None."""
        block_id = str(appeal.block_id)
        return next((block for block in self.get_appeal_blocks() if block.id == block_id), None)

    def get_appeal(self, block_id):
        """The ``Appeal`` of this page's appeal block ``block_id`` (None until published),
        looked up once per page object: the link to the form, the block and the page's
        context all ask."""
        found = self.__dict__.setdefault("_appeals_by_block", {})
        if block_id not in found:
            found[block_id] = Appeal.objects.for_block(self, block_id)
        return found[block_id]

    def serve(self, request, *args, **kwargs):
        """The page as visitors see it; from the page cache when the request could be
        anyone's (``appeals.cache``)."""
        return serve_cached(self, request, lambda: self.serve_fresh(request, *args, **kwargs))

    def serve_fresh(self, request, *args, **kwargs):
        """The page rendered now, and a function that tells, once it is rendered, the
        soonest time what it shows changes by itself."""
        shown = self.as_served()
        return super(CasePage, shown).serve(request, *args, **kwargs), shown.signing_closes_at

    def signing_closes_at(self):
        """The soonest closing time of the appeals this page takes signatures for; None if
        none of them has one. The appeals are those its blocks rendered with."""
        appeals = (self.get_appeal(block.id) for block in self.get_appeal_blocks())
        times = [
            appeal.closes_at
            for appeal in appeals
            if appeal and appeal.closes_at and appeal.accepts_signatures()
        ]
        return min(times, default=None)

    def as_served(self):
        """This page as visitors see it.

        wagtail-localize turns a case's alias into its translation as soon as the
        translation is started, and writes each draft of it into the page's own
        row; until the translation is first published (it then has a live
        revision), visitors see the source's live content, as they did on the alias.
        """
        if not self.live or self.alias_of_id or self.live_revision_id is not None:
            return self
        record = localization.translation_of(self)
        source = record and record.source.get_source_instance()
        if source is None or not source.live:
            return self
        shown = self.with_content_json(source.specific.serializable_data())
        shown.live_revision_id = None
        shown.slug = self.slug
        shown.set_url_path(self.get_parent())
        return shown

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["text_language"] = self.text_language
        appeal_blocks = self.get_appeal_blocks()
        # The site Wagtail found when routing the request: no query.
        site = Site.find_for_request(request)
        if appeal_blocks and site is not None:
            context["appeals_settings"] = AppealsSettings.cached_for_site(site.pk)
        appeals = (self.get_appeal(block.id) for block in appeal_blocks)
        if any(appeal and delivered_elsewhere(self, appeal) for appeal in appeals):
            # Whole translations for the delivered letter (shown beside the page's and in
            # the mailto link), in the one query of the language links (which come first
            # on the page).
            localization.live_translations(self, whole=True)
        return context

    def timeline(self):
        """The case's updates, newest first."""
        updates = self.updates.select_related("status")
        return sorted(updates, key=lambda update: update.date, reverse=True)
