"""The signature form: labels and messages in the visitor's language."""

import time
import unicodedata
from functools import cache, lru_cache

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from appeals.addresses import delivery_address
from appeals.countries import country_choices

RENDER_TIME_SALT = "appeals.form-rendered-at"


def signed_render_time(now=None):
    return signing.dumps(int(now if now is not None else time.time()), salt=RENDER_TIME_SALT)


def seconds_since_render(value, now=None):
    """Seconds since the form was rendered, or None if the stamp is missing or forged."""
    try:
        rendered_at = signing.loads(value, salt=RENDER_TIME_SALT)
    except (signing.BadSignature, TypeError, UnicodeError):
        return None
    return (now if now is not None else time.time()) - int(rendered_at)


# Characters no person types into a form, and which change how text reads or is
# stored: controls (NUL, ESC, and line breaks in a one-line field), format
# characters (bidi overrides and isolates, zero widths, the byte order mark),
# private use, the line and paragraph separators, and noncharacters (U+FFFE and
# kin, which Unicode reserves for never being text).
HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Zl", "Zp"}
LINE_BREAKS_AND_TABS = frozenset("\n\r\t")
# Zero-width (non-)joiners are part of how Persian and Indic scripts are written
# (علی‌رضا): allowed between two letters, where they join or part them, and nowhere else.
JOINERS = frozenset("\u200c\u200d")
CONTROL_CHARACTERS_MESSAGE = _("Remove the invisible control characters from this field.")


def is_letter_or_mark(char):
    return unicodedata.category(char)[0] in {"L", "M"}


def joins_letters(value, index):
    return 0 < index < len(value) - 1 and all(
        is_letter_or_mark(value[i]) for i in (index - 1, index + 1)
    )


def is_noncharacter(char):
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def has_hidden_characters(value, allowed=frozenset()):
    """Whether ``value`` holds a hidden character other than ``allowed`` ones."""
    return any(
        (unicodedata.category(char) in HIDDEN_CATEGORIES or is_noncharacter(char))
        and char not in allowed
        and not (char in JOINERS and joins_letters(value, index))
        for index, char in enumerate(value)
    )


def reject_hidden_in_line(value):
    """A one-line field (a name, a city): no line breaks, tabs or other hidden characters."""
    if has_hidden_characters(value):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


def reject_hidden_in_text(value):
    """A multi-line field keeps its line breaks and tabs, and refuses the other hidden ones."""
    if has_hidden_characters(value, allowed=LINE_BREAKS_AND_TABS):
        raise ValidationError(CONTROL_CHARACTERS_MESSAGE, code="control_characters")


# What Django puts where a form post held bytes that are not UTF-8.
REPLACEMENT_CHARACTER = "\ufffd"


def reject_unencodable(value):
    """Refuse a lone surrogate (JSON can carry one: no database can store it) and the
    replacement character (bytes that were not text, which nobody typed)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        broken = True
    else:
        broken = REPLACEMENT_CHARACTER in value
    if broken:
        raise ValidationError(
            _("This field holds a broken character. Please type it again."), code="unencodable"
        )


def require_a_letter(value):
    if not any(unicodedata.category(char).startswith("L") for char in value):
        raise ValidationError(
            _("Please enter your name, with at least one letter."), code="no_letter"
        )


def country_field_choices():
    """The country list as the form offers it: a prompt, then every country."""
    return [("", _("Choose your country")), *country_choices()]


@cache
def country_options(language):
    """The ``<option>``s of the country list in ``language``, as (code, HTML, HTML when
    selected), in the markup of Django's ``Select``: the same for every visitor."""
    with override(language):
        return tuple(
            (
                str(code),
                format_html('<option value="{}">{}</option>', code, label),
                format_html('<option value="{}" selected>{}</option>', code, label),
            )
            for code, label in country_field_choices()
        )


@cache
def country_positions(language):
    return {code: position for position, (code, *_html) in enumerate(country_options(language))}


@lru_cache(maxsize=64)
def country_options_html(language, chosen):
    """Every option in ``language``, the one of code ``chosen`` (or none) selected."""
    options = (
        selected if code == chosen else html for code, html, selected in country_options(language)
    )
    return "".join(f"\n  {option}\n" for option in options)


class CountrySelect(forms.Select):
    """Django's ``Select`` for the country list, its options' HTML made once per language.

    Rendering 250 options through the widget templates took longer than the rest of
    the case page; only which option is selected differs between forms.
    """

    def use_required_attribute(self, initial):
        # Django's asks the first choice, building the whole list: it is the prompt.
        return not self.is_hidden

    def render(self, name, value, attrs=None, renderer=None):
        language = get_language()
        positions = country_positions(language)
        # As in Django's, only the first option of the values given is selected.
        chosen = min(
            (positions[code] for code in self.format_value(value) if code in positions),
            default=None,
        )
        code = None if chosen is None else country_options(language)[chosen][0]
        attrs = attributes_html(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 (every part escaped)
            f'<select name="{conditional_escape(name)}"{attrs}>'
            + country_options_html(language, code)
            + "\n</select>"
        )


def attributes_html(attrs):
    """HTML attributes as Django's widget template ``attrs.html`` writes them."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


# Each widget's HTML for an empty value, by everything it is made from: the same on
# every blank form (the one every visitor is shown), so rendered once per process.
empty_widget_html = {}
EMPTY_WIDGETS_REMEMBERED = 256


def is_empty_value(value):
    return value is None or value is False or value == ""


class RenderedOnceWhenEmpty:
    """A widget whose HTML for an empty value comes from Django's widget templates once
    per process, then from memory: ten widget templates were a fifth of a case page."""

    def render(self, name, value, attrs=None, renderer=None):
        if not is_empty_value(value):  # what a visitor typed: rendered afresh
            return super().render(name, value, attrs, renderer)
        attrs_made = self.build_attrs(self.attrs, attrs)
        key = (type(self), name, value, tuple(attrs_made.items()), renderer)
        try:
            return empty_widget_html[key]
        except KeyError:
            html = super().render(name, value, attrs, renderer)
            if len(empty_widget_html) >= EMPTY_WIDGETS_REMEMBERED:
                empty_widget_html.clear()
            empty_widget_html[key] = html
            return html
        except TypeError:  # an attribute that cannot be a key
            return super().render(name, value, attrs, renderer)


class TextInput(RenderedOnceWhenEmpty, forms.TextInput):
    pass


class EmailInput(RenderedOnceWhenEmpty, forms.EmailInput):
    pass


class Textarea(RenderedOnceWhenEmpty, forms.Textarea):
    pass


class CheckboxInput(RenderedOnceWhenEmpty, forms.CheckboxInput):
    pass


class CountryChoiceField(forms.ChoiceField):
    """Every ISO 3166 country, named and sorted in the active language."""

    widget = CountrySelect

    def __init__(self, **kwargs):
        super().__init__(choices=country_field_choices, **kwargs)

    def valid_value(self, value):
        # A look-up where Django's walks the 250 choices.
        return str(value) in country_positions(get_language())


class SignatureForm(forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        validators=[reject_hidden_in_line, require_a_letter],
        widget=TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm your signature. It is never published."),
        widget=EmailInput(attrs={"autocomplete": "email"}),
    )
    country = CountryChoiceField(label=_("Country"))
    city = forms.CharField(
        label=_("Town or city (optional)"),
        max_length=100,
        required=False,
        validators=[reject_hidden_in_line],
        widget=TextInput(attrs={"autocomplete": "address-level2"}),
    )
    message = forms.CharField(
        label=_("A personal message (optional)"),
        max_length=1000,
        required=False,
        validators=[reject_hidden_in_text],
        widget=Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my signature is stored and delivered with this letter."),
        error_messages={"required": _("Please agree, so that we can deliver your signature.")},
        widget=CheckboxInput,
    )
    keep_informed = forms.BooleanField(
        label=_("Keep me informed about this case"), required=False, widget=CheckboxInput
    )
    show_publicly = forms.BooleanField(
        label=_("Show my first name and country publicly"), required=False, widget=CheckboxInput
    )
    # Left empty by people; filled in by robots that fill in every field.
    website = forms.CharField(
        required=False, widget=TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
    rendered_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, public_list=True, **kwargs):
        """``public_list``: whether the appeal shows a public list of signers; without
        one there is nothing to appear on, so the opt-in is neither offered nor read."""
        super().__init__(*args, **kwargs)
        if not public_list:
            del self.fields["show_publicly"]
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
            if isinstance(field, forms.CharField):
                # First, so that a broken character gets this message alone.
                field.validators.insert(0, reject_unencodable)
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
        """The address we deliver to, which also decides who has signed (appeals.addresses)."""
        return delivery_address(self.cleaned_data["email"])

    def is_robot(self):
        """The honeypot is filled in: people leave it empty, robots fill in every field."""
        return bool(self.data.get("website"))

    def was_filled_in_by_a_person(self, min_seconds, max_seconds):
        """The form came back with a genuine render time, neither sooner than a person
        fills it in nor hours later (a page kept open, or a stamp replayed)."""
        elapsed = seconds_since_render(self.data.get("rendered_at"))
        return elapsed is not None and min_seconds <= elapsed <= max_seconds
