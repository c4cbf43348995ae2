from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import get_language

from appeals import blocks, countries, localization

register = template.Library()


@register.filter
def localized_number(value):
    """A number grouped and written as the active language writes it (1 234, 1,234, ١٬٢٣٤)."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)


@register.simple_tag
def takes_signatures(page):
    """Whether an appeal on ``page`` accepts signatures: the appeal block asks the same
    question of the same lookup, so the page makes no query more for it."""
    return blocks.takes_signatures(page)


@register.filter
def text_language(page):
    """The language ``page``'s text is written in (an alias's is its source's)."""
    return localization.text_language(page)


@register.simple_tag
def lang_dir(language_code):
    """The ``lang`` and ``dir`` attributes of text written in ``language_code``."""
    return format_html('lang="{}" dir="{}"', language_code, localization.direction(language_code))


# Languages that write the names of languages in lower case inside a sentence
# ("en anglais", "en inglés", "на английском"), where Django's names, made to stand
# alone in menus, begin with a capital ("Anglais"). German, English and others
# capitalise them, and Arabic and Persian have no case, so they are left as they are.
LOWER_CASE_LANGUAGE_NAMES = {"ca", "cs", "da", "es", "fr", "it", "nb", "nl", "pl", "pt", "ro"}
LOWER_CASE_LANGUAGE_NAMES |= {"ru", "sk", "sl", "sv", "uk"}


@register.filter
def language_name_in_sentence(name):
    """A language's name (Django's ``name_translated``) as the active language writes it
    inside a sentence."""
    language = (get_language() or "").split("-")[0]
    if language in LOWER_CASE_LANGUAGE_NAMES and name:
        return name[0].lower() + name[1:]
    return name


@register.filter
def country_name(code):
    """The country ``code`` named as the active language names it (``appeals.countries``)."""
    return countries.country_name(str(code or ""))
