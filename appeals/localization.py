"""This page in that language: every question about translations, answered once.

wagtail-localize records which page was translated from which; Wagtail knows
each page's locale, its translations and its aliases. Everything else in the
plugin asks here rather than querying either itself.
"""

from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale, Page
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


def in_language(page, language=None, *, specific=True):
    """``page``'s live translation in ``language`` (the active one by default), else ``page``.

    ``specific=False`` spares the query for the page's own type when only its URL is wanted.
    """
    language = language or translation.get_language()
    if not language or page.locale.language_code == language:
        return page
    found = page.get_translations().live().filter(locale__language_code=language).first()
    if found is None:
        return page
    return found.specific if specific else found


def best_in_language(pages, language, *fallbacks):
    """Of ``pages`` (one per locale), the one in ``language``, else in the first fallback
    found, else in the default language, else any."""
    by_language = {page.locale.language_code: page for page in pages}
    for code in (language, *fallbacks, Locale.get_default().language_code):
        if code in by_language:
            return by_language[code]
    return next(iter(by_language.values()), None)


def direction(language) -> str:
    """ "rtl" or "ltr": how text in ``language`` reads, for a ``dir`` beside every ``lang``."""
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:  # a language Django does not know: most are written left to right
        return "ltr"
