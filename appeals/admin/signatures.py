"""The campaign desk's Signatures: who signed, where and when, for the people allowed to know.

A listing, filters and a read-only page per signature, shown only to users holding
``appeals.view_signature`` (Wagtail refuses everyone else, on every address here);
exports for those who also hold ``appeals.export_signature``. Signatures are never
added, edited or deleted by hand: there are no such views. Search is a plain
``icontains`` on names and addresses: signers are never copied into a search index.
"""

from django.contrib.auth.models import Permission
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from appeals.admin.signature_export import SignatureExportMixin
from appeals.admin.signature_filters import SignatureFilterSet, errors, language_name
from appeals.countries import country_name
from appeals.models import Signature

# Django's own "view" permission on signatures, and nothing else, opens the desk's
# listing and pages: "change" or "delete" (which no group is given) open nothing.
SEE_SIGNERS = ["view"]


def confirmation_status(signature):
    if signature.confirmed_at:
        return pgettext_lazy("signature status", "Confirmed")
    # Translators: a submission whose e-mail link was never followed: it counts nowhere.
    return pgettext_lazy("signature status", "Pending: not a signature")


def signer_email(signature):
    # Left to right in every admin: in a right-to-left page the bidirectional algorithm
    # would otherwise move "70@" to the far end of "70@signers.example".
    return format_html('<bdi dir="ltr">{}</bdi>', signature.email)


def signer_country(signature):
    return country_name(signature.country.code)


def signer_language(signature):
    return language_name(signature.language)


def label(field_name):
    """A column's title: the field's own name, as the signature's page shows it."""
    return capfirst(Signature._meta.get_field(field_name).verbose_name)


LIST_DISPLAY = [
    "name",
    Column("email", label=label("email"), sort_key="email", accessor=signer_email),
    Column("city", label=label("city")),
    Column("country", label=label("country"), accessor=signer_country),
    Column("language", label=label("language"), accessor=signer_language),
    Column("appeal", label=label("appeal"), accessor="appeal.title"),
    StatusTagColumn(
        "status",
        label=_("Status"),
        accessor=confirmation_status,
        primary=lambda signature: signature.confirmed_at is None,
    ),
    DateColumn("created_at", label=label("created_at"), sort_key="created_at"),
    DateColumn("confirmed_at", label=label("confirmed_at"), sort_key="confirmed_at"),
]


class SignatureIndexView(SignatureExportMixin, IndexView):
    any_permission_required = SEE_SIGNERS
    page_title = _("Signatures")

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # Wide enough for a name: a table squeezes its first column until names break
        # letter by letter.
        return super()._get_title_column(field_name, column_class, width="18%", **kwargs)

    def get_base_queryset(self):
        # Anonymised signatures still count, but hold nobody to list.
        return super().get_base_queryset().identified().select_related("appeal")

    def filter_queryset(self, queryset):
        # Wagtail lists everything when a filter is not valid; here that would show
        # pending submissions among signatures, so nothing is listed until it is corrected.
        if self.filters and not self.filters.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    @cached_property
    def no_results_message(self):
        if self.filters and not self.filters.is_valid():
            # Translators: errors name each filter and what is wrong with it.
            return gettext("Nothing is listed while a filter is not valid: %(errors)s") % {
                "errors": errors(self.filters)
            }
        return super().no_results_message


class SignatureInspectView(InspectView):
    any_permission_required = SEE_SIGNERS
    page_title = _("Signature")

    def get_object(self, queryset=None):
        signatures = Signature.objects.identified().select_related("appeal")
        return get_object_or_404(signatures, pk=self.pk)

    def get_page_subtitle(self):
        return self.object.name

    def get_country_display_value(self):
        return signer_country(self.object)

    def get_language_display_value(self):
        return signer_language(self.object)

    def get_confirmed_at_display_value(self):
        return self.object.confirmed_at or confirmation_status(self.object)

    def get_keep_informed_display_value(self):
        return yes_or_no(self.object.keep_informed)

    def get_show_publicly_display_value(self):
        return yes_or_no(self.object.show_publicly)


def yes_or_no(value):
    return (
        pgettext_lazy("signature detail", "Yes")
        if value
        else pgettext_lazy("signature detail", "No")
    )


class SignatureViewSet(ModelViewSet):
    model = Signature
    icon = "group"
    menu_label = _("Signatures")
    name = "appeals_signatures"
    url_prefix = "appeals/signatures"
    index_view_class = SignatureIndexView
    inspect_view_class = SignatureInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "name", "email", "city", "country", "language", "appeal", "message",
        "keep_informed", "show_publicly", "created_at", "confirmed_at", "consent_version",
    ]  # fmt: skip
    copy_view_enabled = False
    # Indexing references would write a row of Wagtail's own for every signature saved.
    add_to_reference_index = False
    list_display = LIST_DISPLAY
    filterset_class = SignatureFilterSet
    search_fields = ["name", "email"]
    # The database's own search: the search backend would copy signers into its index.
    search_backend_name = None
    list_per_page = 50
    ordering = "-created_at"
    export_filename = "signatures"

    def get_common_view_kwargs(self, **kwargs):
        # No views to add, edit, delete, or show the history or usage of a signature.
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]

    def register_admin_url_finder(self):
        """None: there is no edit view to find."""

    def get_permissions_to_register(self):
        # The desk's rights are already in the group editor (``permissions.desk_permissions``);
        # Django's add, change and delete of signatures are never given.
        return Permission.objects.none()
