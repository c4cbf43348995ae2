"""The signature form: labels and messages in the visitor's language."""

import time
import unicodedata

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

RENDER_TIME_SALT = "appeals.form-rendered-at"


def signed_render_time(now=None):
    return signing.dumps(int(now if now is not None else time.time()), salt=RENDER_TIME_SALT)


def seconds_since_render(value, now=None):
    """Seconds since the form was rendered, or None if the stamp is missing or forged."""
    try:
        rendered_at = signing.loads(value, salt=RENDER_TIME_SALT)
    except (signing.BadSignature, TypeError):
        return None
    return (now if now is not None else time.time()) - int(rendered_at)


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


class CountryChoiceField(forms.ChoiceField):
    """Every ISO 3166 country, named and sorted in the active language."""

    def __init__(self, **kwargs):
        super().__init__(choices=self.country_choices, **kwargs)

    @staticmethod
    def country_choices():
        return [("", _("Choose your country")), *countries]


class SignatureForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        validators=[reject_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your signature. It is never published."),
        validators=[
            EmailValidator(message=_("Enter a valid e-mail address, such as name@example.org."))
        ],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    country = CountryChoiceField(label=_("Country"))
    city = forms.CharField(
        label=_("Town or city (optional)"),
        max_length=100,
        required=False,
        validators=[reject_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    message = forms.CharField(
        label=_("A personal message (optional)"),
        max_length=1000,
        required=False,
        validators=[reject_control_characters],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my signature is stored and delivered with this letter."),
        error_messages={"required": _("Please agree, so that we can deliver your signature.")},
    )
    keep_informed = forms.BooleanField(label=_("Keep me informed about this case"), required=False)
    show_publicly = forms.BooleanField(
        label=_("Show my first name and country publicly"), required=False
    )
    # Left empty by people; filled in by robots that fill in every field.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _("Please enter your name.")
        self.fields["email"].error_messages["required"] = _("Please enter your e-mail address.")
        self.fields["country"].error_messages.update(
            required=_("Please choose your country."),
            invalid_choice=_("Please choose a country from the list."),
        )
        for field in self.fields.values():
            # Our control-character check covers NUL with a clearer message.
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, ProhibitNullCharactersValidator)
            ]
        if not self.is_bound:
            self.initial.setdefault("rendered_at", signed_render_time())

    def describe_fields(self):
        """Point each input at its help text and error, and mark invalid ones (screen readers)."""
        for name, field in self.fields.items():
            described_by = []
            if field.help_text:
                described_by.append(f"id_{name}_help")
            if self.is_bound and name in self.errors:
                described_by.append(f"id_{name}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def is_robot(self):
        """The honeypot is filled in: people leave it empty, robots fill in every field."""
        return bool(self.data.get("website"))

    def was_filled_in_by_a_person(self, min_seconds, max_seconds):
        """The form came back with a genuine render time, neither sooner than a person
        fills it in nor hours later (a page kept open, or a stamp replayed)."""
        elapsed = seconds_since_render(self.data.get("rendered_at"))
        return elapsed is not None and min_seconds <= elapsed <= max_seconds
