from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language_info

from appeals import localization

register = template.Library()


@register.filter
def localized_number(value):
    """A number grouped and written as the active language writes it (1 234, 1,234, ١٬٢٣٤)."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)


@register.filter
def text_language(page):
    """The language ``page``'s text is written in (an alias's is its source's)."""
    return localization.text_language(page)


def direction(language_code):
    try:
        return "rtl" if get_language_info(language_code)["bidi"] else "ltr"
    except KeyError:  # a language Django does not know: most are written left to right
        return "ltr"


@register.simple_tag
def lang_dir(language_code):
    """The ``lang`` and ``dir`` attributes of text written in ``language_code``."""
    return format_html('lang="{}" dir="{}"', language_code, direction(language_code))
