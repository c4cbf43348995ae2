from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def localized_number(value):
    """A number grouped and written as the active language writes it (1 234, 1,234, ١٬٢٣٤)."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)
