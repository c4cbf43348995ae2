"""The filters of the campaign desk's Signatures listing, and their description for the log.

A listing of signatures shows confirmed signatures unless asked otherwise: an
unconfirmed submission is not a signature (anyone may type anyone's address), so it
appears only when a manager asks for pending submissions, marked as such.
"""

import django_filters
from django import forms
from django.utils.translation import get_language_info, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.coreutils import get_content_languages

from appeals.countries import country_choices, country_name
from appeals.models import Appeal, Signature

CONFIRMED = ""
PENDING = "pending"
ALL = "all"


def language_name(code):
    """A language's name in the active language, or its code when Django does not know it."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def language_choices():
    return [(code, language_name(code)) for code in get_content_languages()]


class StatusFilter(django_filters.ChoiceFilter):
    """Confirmed signatures by default (no value), pending submissions or both on request."""

    def filter(self, qs, value):
        if value == ALL:
            return qs
        if value == PENDING:
            return qs.pending()
        return qs.confirmed()


class AppealChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title or str(obj.block_id)


class AppealFilter(django_filters.ModelChoiceFilter):
    field_class = AppealChoiceField


class SignatureFilterSet(WagtailFilterSet):
    status = StatusFilter(
        label=_("Status"),
        empty_label=_("Confirmed signatures"),
        choices=[
            (PENDING, _("Pending: not confirmed, not signatures")),
            (ALL, _("Both: confirmed and pending")),
        ],
        widget=forms.RadioSelect,
    )
    appeal = AppealFilter(
        label=_("Appeal"),
        empty_label=_("All appeals"),
        queryset=Appeal.objects.order_by("title", "pk"),
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), empty_label=_("All languages"), choices=language_choices
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), empty_label=_("All countries"), choices=country_choices
    )
    signed = django_filters.DateFromToRangeFilter(
        # Translators: a filter of signatures by the dates they were signed, between two.
        label=_("Signed between"),
        field_name="created_at",
        widget=DateRangePickerWidget,
    )
    confirmed = django_filters.DateFromToRangeFilter(
        # Translators: a filter of signatures by the dates they were confirmed, between two.
        label=_("Confirmed between"),
        field_name="confirmed_at",
        widget=DateRangePickerWidget,
    )

    class Meta:
        model = Signature
        fields = []

    def appeal_filtered(self):
        """The appeal this filter asks for, if one and the filter is valid."""
        return self.form.cleaned_data.get("appeal") if self.is_valid() else None


def errors(filterset):
    """What is wrong with the filters, field by field, in the active language."""
    form = filterset.form
    return "; ".join(
        f"{form[name].label}: {' '.join(messages)}" for name, messages in form.errors.items()
    )


# Translators: what an export held, as the audit log describes it.
STATUS_DESCRIPTIONS = {
    CONFIRMED: pgettext_lazy("export filter", "confirmed signatures"),
    PENDING: pgettext_lazy("export filter", "pending submissions"),
    ALL: pgettext_lazy("export filter", "confirmed signatures and pending submissions"),
}


def date_range(value):
    # ISO 8601 dates: read alike by every manager, whatever their language's format.
    start = value.start and value.start.date().isoformat()
    stop = value.stop and value.stop.date().isoformat()
    if start and stop:
        # Translators: a range of dates, written as YYYY-MM-DD.
        return gettext("from %(start)s to %(stop)s") % {"start": start, "stop": stop}
    if start:
        return gettext("from %(start)s") % {"start": start}
    return gettext("until %(stop)s") % {"stop": stop}


def describe(filterset, *, searching):
    """What a valid ``filterset`` selects, in the active language, for the audit log.

    A search is named, never its text: what a manager types there is a signer's name
    or address, which the log must not keep.
    """
    data = filterset.form.cleaned_data
    parts = [str(STATUS_DESCRIPTIONS.get(data.get("status") or CONFIRMED))]
    if data.get("appeal"):
        parts.append(gettext("appeal: %(appeal)s") % {"appeal": data["appeal"].title})
    if data.get("language"):
        parts.append(
            gettext("language: %(language)s") % {"language": language_name(data["language"])}
        )
    if data.get("country"):
        parts.append(gettext("country: %(country)s") % {"country": country_name(data["country"])})
    if data.get("signed"):
        # Translators: the range is e.g. "from 2026-01-01 to 2026-01-31".
        parts.append(gettext("signed %(range)s") % {"range": date_range(data["signed"])})
    if data.get("confirmed"):
        parts.append(gettext("confirmed %(range)s") % {"range": date_range(data["confirmed"])})
    if searching:
        # Translators: the audit log says a search was made, never what was searched.
        parts.append(gettext("searched by name or e-mail"))
    return "; ".join(parts)
