import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALLOWED_CONTROL_CHARACTERS = {"\n", "\r", "\t"}


def reject_control_characters(value):
    """Refuse invisible control characters (NUL and the like) that no person types."""
    if any(
        unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROL_CHARACTERS
        for char in value
    ):
        raise ValidationError(
            _("Remove the invisible control characters from this field."), code="control_characters"
        )
