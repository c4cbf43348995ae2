import re
import secrets
from datetime import time

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.localization import best_in_language, is_source, source_locale, source_pages


def new_public_id():
    return secrets.token_urlsafe(12)


# What ``new_public_id`` makes (URL-safe base64) fits this; anything else, a NUL
# from a URL included (PostgreSQL refuses NUL in a query), is no appeal's id.
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


def appeal_state(page, value):
    """What an appeal block on source ``page`` decides for every language: its settings.

    Every reader takes these from the ``Appeal`` row, never from a block value:
    a translation's copy of them is only as fresh as its last sync.
    """
    closes_at = value["closes_at"]
    if closes_at is not None and timezone.is_naive(closes_at):
        closes_at = timezone.make_aware(closes_at)
    return {
        "title": page.title[:255],
        "goal": value["goal"],
        "closes_at": closes_at,
        "closed": bool(value["closed"]),
        "delivery_language": value["delivery_language"] or source_locale(page).language_code,
        "show_signers": bool(value["show_signers"]),
        "include_demands": bool(value["include_demands"]),
    }


class AppealQuerySet(models.QuerySet):
    def for_block(self, page, block_id):
        """The appeal of the appeal block ``block_id`` on ``page`` or any translation of it.

        A read: rows are created when the source page is published (``sync_from``),
        so rendering a page writes nothing. None for a case never published.
        """
        return self.filter(case_key=page.translation_key, block_id=block_id).first()

    def for_page(self, page):
        """The appeals of ``page``'s appeal blocks (of any translation of it)."""
        return self.filter(case_key=page.translation_key)

    def with_pending_count(self):
        """The appeals, each with ``pending_count``: its submissions awaiting confirmation.

        A subquery per row over the signatures' (appeal, confirmed_at) index, in the one
        query that lists the appeals.
        """
        signatures = self.model._meta.apps.get_model("appeals", "Signature").objects
        pending = (
            signatures.awaiting_confirmation()
            .filter(appeal=OuterRef("pk"))
            .order_by()
            .values("appeal")
            .annotate(total=Count("pk"))
            .values("total")
        )
        return self.annotate(
            pending_count=Coalesce(Subquery(pending, output_field=IntegerField()), 0)
        )

    def with_informed_count(self):
        """The appeals, each with ``informed_count``: its signers who asked to be kept
        informed (confirmed, not anonymised)."""
        asked = Q(
            signatures__confirmed_at__isnull=False,
            signatures__anonymised_at__isnull=True,
            signatures__keep_informed=True,
        )
        return self.annotate(informed_count=Count("signatures", filter=asked))

    def taking_signatures(self, now=None):
        """The appeals that accept signatures now (``Appeal.accepts_signatures``) on a case
        with a live page."""
        # Through the app registry: the page module imports this one.
        case_pages = self.model._meta.apps.get_model("appeals", "CasePage").objects.live()
        live = case_pages.filter(translation_key=OuterRef("case_key"))
        still_open = Q(closes_at__isnull=True) | Q(closes_at__gt=now or timezone.now())
        return self.filter(Exists(live), still_open, closed=False)

    def with_live_case(self, public_id):
        """The appeal with ``public_id`` if a page of its case is live, else None: one query."""
        if not PUBLIC_ID.fullmatch(public_id or ""):
            return None
        # Through the app registry: the page module imports this one.
        case_pages = self.model._meta.apps.get_model("appeals", "CasePage").objects.live()
        live = case_pages.filter(translation_key=OuterRef("case_key"))
        return self.filter(Exists(live), public_id=public_id).first()

    def with_case_page(self, public_id, language):
        """The appeal with ``public_id`` and its live case page in ``language`` (or its
        fallback): (appeal, page), or (None, None) when there is none to show.

        The page may no longer carry the appeal's block: ask ``appeal.accepts_signatures_on(page)``.
        """
        if not PUBLIC_ID.fullmatch(public_id or ""):
            return None, None
        appeal = self.filter(public_id=public_id).first()
        page = appeal.get_case_page(language) if appeal else None
        return (appeal, page) if page else (None, None)

    def sync_from(self, page):
        """Copy the state of source ``page``'s appeal blocks onto their rows, creating any missing.

        An appeal whose block the editor removed is closed, in every language at once,
        translations not yet synced included. Translations and aliases are skipped: their
        appeals' state is their source's (Wagtail publishes a source's aliases right
        after it, with the alias's locale, which is no delivery language).
        """
        if not is_source(page):
            return []
        blocks = page.get_appeal_blocks()
        self.filter(case_key=page.translation_key).exclude(
            block_id__in=[block.id for block in blocks]
        ).update(closed=True)
        appeals = [
            self.update_or_create(
                case_key=page.translation_key,
                block_id=block.id,
                defaults=appeal_state(page, block.value),
            )[0]
            for block in blocks
        ]
        self.filter(case_key=page.translation_key).note_closing()
        return appeals

    def note_closing(self, now=None):
        """Note when each appeal was closed by an editor (``closed_at``), and forget it for
        those reopened: where the retention period of a closed appeal starts."""
        self.filter(closed=True, closed_at__isnull=True).update(closed_at=now or timezone.now())
        self.filter(closed=False, closed_at__isnull=False).update(closed_at=None)

    def ended_before(self, moment):
        """The appeals that stopped taking signatures before ``moment``: their closing time
        passed, or an editor closed them, before it."""
        return self.filter(
            models.Q(closes_at__lt=moment) | models.Q(closed=True, closed_at__lt=moment)
        )


class Appeal(models.Model):
    """One appeal in every language: the case's translation key and the appeal block's id.

    wagtail-localize keeps both across translations, so signatures from every
    translation of a case meet here. The row also holds the counter (read and
    written only by ``appeals.counters``) and the settings copied from the source
    page when it is published (goal, closing time, closed, delivery language, the
    public list, the demands in the letter): the same in every language at once.
    """

    case_key = models.UUIDField(_("case"), editable=False)
    block_id = models.UUIDField(_("appeal block"), editable=False)
    public_id = models.CharField(
        _("public id"), max_length=32, unique=True, default=new_public_id, editable=False
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    # When an editor closed it (``note_closing``); None while it is open.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    delivery_language = models.CharField(_("delivery language"), max_length=10, blank=True)
    show_signers = models.BooleanField(_("Show a public list of recent signers"), default=False)
    include_demands = models.BooleanField(
        _("Include the page's demands in the letter"), default=True
    )
    # When deliveries by e-mail may leave, in the recipient's time zone, and how many an
    # hour: the campaign desk sets them, so that a ministry's inbox gets the letters in
    # office hours and spread out, not all at once at night.
    email_hours_start = models.TimeField(_("send from"), default=time(9, 0))
    email_hours_end = models.TimeField(_("send until"), default=time(17, 0))
    email_weekdays_only = models.BooleanField(_("on weekdays only"), default=True)
    email_time_zone = models.CharField(
        _("recipient's time zone"),
        max_length=64,
        blank=True,
        help_text=_("Blank: the site's own time zone."),
    )
    emails_per_hour = models.PositiveSmallIntegerField(
        _("e-mails per hour at most"), default=2, validators=[MinValueValidator(1)]
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["case_key", "block_id"], name="appeals_one_appeal_per_block"
            ),
        ]

    def __str__(self):
        return self.title or str(self.block_id)

    # What the source page's appeal block decides for every language (``appeal_state``).
    SETTINGS = (
        "goal", "closes_at", "closed", "delivery_language", "show_signers", "include_demands",
    )  # fmt: skip

    def settings(self):
        """The appeal's settings, as its block's value gives them (dates in ISO 8601)."""
        values = {name: getattr(self, name) for name in self.SETTINGS}
        values["closes_at"] = self.closes_at.isoformat() if self.closes_at else None
        return values

    def accepts_signatures(self, now=None) -> bool:
        """Not closed by an editor, and its closing time (if any) not yet reached."""
        if self.closed:
            return False
        return self.closes_at is None or (now or timezone.now()) < self.closes_at

    def accepts_signatures_on(self, page) -> bool:
        """Open, and its block still on ``page``, the case page the visitor is served.

        An editor who removes the appeal block from a case ends the appeal there: the page
        shows no form for it, so no route may take a signature for it either.
        """
        return page.get_appeal_block(self) is not None and self.accepts_signatures()

    def get_case_page(self, language):
        """The live case page of this appeal in ``language``, else its delivery language,
        else the default language, else any; None if no page is live."""
        # Through the app registry: the page module imports this one.
        case_page_model = self._meta.apps.get_model("appeals", "CasePage")
        pages = case_page_model.objects.live().filter(translation_key=self.case_key)
        return best_in_language(pages.select_related("locale"), language, self.delivery_language)

    def get_source_page(self):
        """The case page its editors write (neither a translation nor an alias), live or
        not; None if there is none."""
        # Through the app registry: the page module imports this one.
        case_page_model = self._meta.apps.get_model("appeals", "CasePage")
        pages = case_page_model.objects.filter(translation_key=self.case_key)
        return source_pages(pages.select_related("locale")).first()
