from django import template

register = template.Library()


@register.simple_tag
def live_translations(page):
    """The page's live translations with their locales, fetched once however often asked."""
    if not hasattr(page, "get_translations"):  # a view without a page
        return []
    if not hasattr(page, "_live_translations"):
        page._live_translations = list(
            page.get_translations()
            .live()
            .select_related("locale")
            .order_by("locale__language_code")
        )
    return page._live_translations
