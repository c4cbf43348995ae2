"""Finds the case page to show or write about for an appeal, in a given language."""

from wagtail.models import Locale

from appeals.models import CasePage


def case_page_for(appeal, language):
    """The live case page of ``appeal`` in ``language``, else in any language (source first)."""
    pages = CasePage.objects.live().filter(translation_key=appeal.case_key).select_related("locale")
    by_language = {page.locale.language_code: page for page in pages}
    fallback_order = [language, appeal.delivery_language, Locale.get_default().language_code]
    for code in fallback_order:
        if code in by_language:
            return by_language[code]
    return next(iter(by_language.values()), None)


def appeal_block(page, appeal):
    """The appeal block of ``appeal`` on ``page``, or None."""
    block_id = str(appeal.block_id)
    return next(
        (block for block in page.body if block.block_type == "appeal" and block.id == block_id),
        None,
    )
