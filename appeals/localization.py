"""This page in that language: every question about translations, answered once.

wagtail-localize records which page was translated from which; Wagtail knows
each page's locale, its translations and its aliases. Everything else in the
plugin asks here rather than querying either itself (or, for how far many pages
are translated at once, in ``appeals.translation_progress``).
"""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Page
from wagtail_localize.models import Translation


def translation_of(page):
    """The wagtail-localize translation whose target is ``page``; None for a source page."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id
        )
        .select_related("source__locale")
        .first()
    )


def is_translation(page) -> bool:
    """Whether wagtail-localize made ``page`` from a source in another language."""
    return translation_of(page) is not None


def is_source(page) -> bool:
    """Whether ``page`` is the one its editors write: neither a translation nor an alias.

    wagtail-localize mirrors a page not yet translated into a language as an
    alias there; Wagtail publishes that alias whenever its source is published.
    """
    return not page.alias_of_id and not is_translation(page)


def source_pages(pages):
    """Of the queryset ``pages``, those ``is_source`` says are sources, in the same query."""
    translations = Translation.objects.filter(
        source__object_id=OuterRef("translation_key"), target_locale_id=OuterRef("locale_id")
    )
    return pages.filter(alias_of__isnull=True).exclude(Exists(translations))


def source_locale(page):
    """The locale ``page``'s content was written in: its source's, or its own."""
    if page.alias_of_id:
        return source_locale(page.alias_of)
    record = translation_of(page)
    return record.source.locale if record else page.locale


def text_language(page) -> str:
    """The language ``page``'s text is written in.

    An alias that wagtail-localize made of a page in another language (a case
    not translated yet) shows that page's text; a page served to a visitor
    whose language has no content tree (Persian, say) shows its own.

    wagtail-localize turns such an alias into a translation as soon as the
    translation is started, while the page stays live with the text the alias
    had; until its translation is first published (when it gets a live
    revision, which an alias never has) its text is still its source's.
    """
    if page.alias_of_id:
        return page.alias_of.locale.language_code
    if page.live and page.live_revision_id is None and (record := translation_of(page)):
        return record.source.locale.language_code
    return page.locale.language_code


def mirror_where_untranslated(page):
    """Alias live source ``page`` into every content locale whose tree holds its parent
    and not yet the page; returns the new aliases.

    The mechanism of wagtail-localize's synchronised trees (``synctree``), for one
    page at publish time: Wagtail keeps each alias live and up to date with its
    source, unpublishes it with the source, and wagtail-localize turns it into the
    translation when one is made.
    """
    if not page.live or not is_source(page):
        return []
    parent = page.get_parent()
    present = Page.objects.filter(translation_key=page.translation_key).values("locale_id")
    parents = (
        Page.objects.filter(translation_key=parent.translation_key)
        .exclude(locale_id__in=present)
        .filter(locale__language_code__in=get_content_languages())
        .select_related("locale")
    )
    return [
        page.copy_for_translation(translated_parent.locale, alias=True).specific
        for translated_parent in parents
    ]


# All that a page's URL needs of its row.
URL_FIELDS = ("url_path", "locale__language_code")


def live_translations(page, *, whole=False):
    """``page``'s live translations, each with its locale: one query per page object, however
    often asked. Rows hold what their URLs need (the language links), unless ``whole``: whole
    pages of ``page``'s own type (a letter in another language), which serve both."""
    fetched = page.__dict__.get("_live_translations")
    if fetched is None or (whole and not fetched[0]):
        translations = (
            page.get_translations()
            .live()
            .select_related("locale")
            .order_by("locale__language_code")
        )
        if not whole:
            translations = translations.only(*URL_FIELDS)
        fetched = page.__dict__["_live_translations"] = (whole, list(translations))
    return fetched[1]


def in_language(page, language=None):
    """``page``'s live translation in ``language`` (the active one by default), else ``page``."""
    language = language or translation.get_language()
    if not language or page.locale.language_code == language:
        return page
    translations = live_translations(page, whole=True)
    found = next((found for found in translations if found.locale.language_code == language), None)
    return page if found is None else found.specific


def best_in_language(pages, language, *fallbacks):
    """Of ``pages`` (one per locale), the one in ``language``, else in the first fallback
    found, else in the default language, else any."""
    by_language = {page.locale.language_code: page for page in pages}
    for code in (language, *fallbacks, default_language()):
        if code in by_language:
            return by_language[code]
    return next(iter(by_language.values()), None)


def default_language() -> str:
    """The default locale's language code, as Wagtail derives it, without a query."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def content_language(language=None) -> str:
    """The content language whose pages a visitor in ``language`` (the active one by
    default) is shown: its own where it has content, else the default language (Persian,
    say, is served the English pages in a Persian interface)."""
    try:
        return get_supported_content_language_variant(language or translation.get_language())
    except LookupError:
        return default_language()


def direction(language) -> str:
    """ "rtl" or "ltr": how text in ``language`` reads, for a ``dir`` beside every ``lang``."""
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:  # a language Django does not know: most are written left to right
        return "ltr"
