from django import template
from django.utils.formats import number_format

from appeals import blocks

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
