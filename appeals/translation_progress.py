"""How far each source page is translated into each content language, for many pages at once.

wagtail-localize records a translation (``Translation``: a source, a target
locale, the segments translated so far), each extraction of the source's
content (``TranslationSource.last_updated_at``, moved by a sync) and each time
a translation was written into its page (``TranslationLog``). From these and
the pages themselves, one page's translation into one language is in exactly
one ``TranslationState``:

- never started: no page in that language;
- not translated yet: an alias there shows the source (``alias_of``);
- not kept in sync: a page in that language that wagtail-localize does not
  follow (made by other means, or its synced translation stopped);
- source changed, not synced: the source was published after its content was
  last extracted;
- synced, not applied: extracted again, but not written into the translated
  page since (its last ``TranslationLog`` is older);
- up to date otherwise.

``Translation.translations_last_updated_at`` would say when a segment was last
translated, but wagtail-localize 1.14.5 never writes it: nothing here reads it.

The state is a SQL expression, so that a listing filters and paginates on it;
the rest of what a report shows (the pages, the progress) comes in two bulk
queries for the rows shown, whatever their number.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import pgettext_lazy
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationLog


class TranslationState(TextChoices):
    SOURCE = "source", pgettext_lazy("translation state", "Source language")
    NEVER_STARTED = "never_started", pgettext_lazy("translation state", "Never started")
    NOT_YET = "not_yet", pgettext_lazy("translation state", "Not translated yet")
    NOT_SYNCED = "not_synced", pgettext_lazy("translation state", "Not kept in sync")
    SOURCE_CHANGED = (
        "source_changed",
        pgettext_lazy("translation state", "Source changed, not synced"),
    )
    NOT_APPLIED = "not_applied", pgettext_lazy("translation state", "Synced, not applied")
    CURRENT = "current", pgettext_lazy("translation state", "Up to date")


# The states of a page in the language: a translation, whatever its freshness.
TRANSLATED = (
    TranslationState.NOT_SYNCED,
    TranslationState.SOURCE_CHANGED,
    TranslationState.NOT_APPLIED,
    TranslationState.CURRENT,
)


@dataclass(frozen=True)
class ContentLanguage:
    """A language of ``WAGTAIL_CONTENT_LANGUAGES``; its ``locale_id`` is None while Wagtail has
    no locale for it (nothing can be translated into it yet)."""

    code: str
    name: str
    locale_id: int | None

    @property
    def state_field(self):
        return state_field(self.code)


def state_field(language_code):
    """The name of the annotation ``with_translation_states`` gives a language."""
    return f"translation_state_{language_code.replace('-', '_')}"


def content_languages():
    """Each content language with its locale, in the settings' order: one query."""
    languages = get_content_languages()
    locale_ids = dict(
        Locale.objects.filter(language_code__in=languages).values_list("language_code", "id")
    )
    return [
        ContentLanguage(code, str(name), locale_ids.get(code)) for code, name in languages.items()
    ]


def translation_state(locale_id):
    """The ``TranslationState`` of each row of a source page queryset in the locale ``locale_id``,
    as a SQL expression."""
    if locale_id is None:
        return Value(TranslationState.NEVER_STARTED.value)
    pages = Page.objects.filter(translation_key=OuterRef("translation_key"), locale_id=locale_id)
    records = Translation.objects.filter(
        source__object_id=OuterRef("translation_key"), target_locale_id=locale_id, enabled=True
    )
    # The source page a record was extracted from: usually the row, but a translation may
    # have been made from another language's page.
    source_published_at = Page.objects.filter(
        translation_key=OuterRef("source__object_id"), locale_id=OuterRef("source__locale_id")
    ).values("last_published_at")[:1]
    unsynced = records.annotate(source_published_at=Subquery(source_published_at)).filter(
        source__last_updated_at__lt=F("source_published_at")
    )
    applied_since_sync = TranslationLog.objects.filter(
        source_id=OuterRef("source_id"),
        locale_id=locale_id,
        created_at__gte=OuterRef("source__last_updated_at"),
    )
    return Case(
        When(locale_id=locale_id, then=Value(TranslationState.SOURCE.value)),
        When(~Exists(pages), then=Value(TranslationState.NEVER_STARTED.value)),
        When(
            Exists(pages.filter(alias_of__isnull=False)),
            then=Value(TranslationState.NOT_YET.value),
        ),
        When(~Exists(records), then=Value(TranslationState.NOT_SYNCED.value)),
        When(Exists(unsynced), then=Value(TranslationState.SOURCE_CHANGED.value)),
        When(
            Exists(records.filter(~Exists(applied_since_sync))),
            then=Value(TranslationState.NOT_APPLIED.value),
        ),
        default=Value(TranslationState.CURRENT.value),
        output_field=CharField(),
    )


def with_translation_states(pages, languages):
    """The source page queryset ``pages``, each row annotated with its state in each language."""
    return pages.annotate(
        **{language.state_field: translation_state(language.locale_id) for language in languages}
    )


def with_progress(translations):
    """The ``Translation`` queryset ``translations`` with ``Translation.get_progress()`` in the
    same query: ``total_segments`` and ``translated_segments``, counted as it counts them."""
    segments = StringSegment.objects.filter(source_id=OuterRef("source_id")).order_by()
    translated = StringTranslation.objects.filter(
        translation_of_id=OuterRef("string_id"),
        context_id=OuterRef("context_id"),
        locale_id=OuterRef(OuterRef("target_locale_id")),
        has_error=False,
    )

    def counted(segments):
        return Coalesce(
            Subquery(segments.values("source_id").annotate(count=Count("pk")).values("count")),
            0,
        )

    return translations.annotate(
        total_segments=counted(segments),
        translated_segments=counted(segments.filter(Exists(translated))),
    )


@dataclass
class LanguageStatus:
    """One source page in one language: its state, the page there, wagtail-localize's record."""

    language: ContentLanguage
    state: TranslationState
    page: Page | None = None
    translation: Translation | None = None

    @property
    def translated(self):
        return self.state in TRANSLATED

    @property
    def published(self):
        """Whether visitors read the translation: an alias turned into a translation stays live
        with its source's text until its translation is first published."""
        return bool(self.page and self.page.live and self.page.live_revision_id)

    @property
    def source_id(self):
        """The ``TranslationSource`` the translation follows (what a sync updates)."""
        return self.translation.source_id if self.translation else None

    @property
    def progress(self):
        """(segments in all, segments translated), as ``Translation.get_progress()``; None
        without a record."""
        if self.translation is None:
            return None
        return self.translation.total_segments, self.translation.translated_segments


def language_statuses(pages, languages):
    """Give each of ``pages`` (annotated by ``with_translation_states``) its
    ``translation_statuses``: a ``LanguageStatus`` per language. Two queries, however many."""
    pages = list(pages)
    keys = {page.translation_key for page in pages}
    locale_ids = [language.locale_id for language in languages if language.locale_id]
    found = Page.objects.filter(translation_key__in=keys, locale_id__in=locale_ids).only(
        "id", "translation_key", "locale_id", "alias_of_id", "live", "live_revision_id"
    )
    pages_by = {(page.translation_key, page.locale_id): page for page in found}
    records = with_progress(
        Translation.objects.filter(
            source__object_id__in=keys, target_locale_id__in=locale_ids, enabled=True
        )
        .annotate(translation_key=F("source__object_id"))
        .only("id", "source_id", "target_locale_id")
    )
    records_by = {(record.translation_key, record.target_locale_id): record for record in records}
    for page in pages:
        page.translation_statuses = [
            LanguageStatus(
                language=language,
                state=TranslationState(getattr(page, language.state_field)),
                page=pages_by.get((page.translation_key, language.locale_id)),
                translation=records_by.get((page.translation_key, language.locale_id)),
            )
            for language in languages
        ]
    return pages
