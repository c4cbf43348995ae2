"""The Signatures listing as a spreadsheet, through Wagtail's own export (``list_export``).

Rows are read as values, a chunk at a time (``.values().iterator()``), and handed to
Wagtail's CSV writer as they come, so a CSV costs the same memory whatever its length.
An XLSX workbook is built in memory before it is sent: above
``APPEALS_XLSX_MAX_ROWS`` a selection is offered as CSV only. The cells follow the
policy of ``appeals.exports``: a signer's text that a spreadsheet would run as a
formula is written as text, countries are named in the manager's language.
Every export is written to Wagtail's audit log, with its format, its number of rows
and what was selected, never a row.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import F
from django.shortcuts import redirect
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log

from appeals.admin import log_actions
from appeals.admin.permissions import may_export
from appeals.admin.signature_filters import describe
from appeals.conf import appeals_conf
from appeals.exports import CHUNK_SIZE, COLUMNS, CountryNames, UtcIsoFormat, as_text
from appeals.models import Appeal

# The export's columns: a value read from the database, or one made from them.
LIST_EXPORT = [
    "name", "email", "city", "country", "country_name", "language", "appeal", "confirmed",
    "created_at", "confirmed_at", "keep_informed", "message",
]  # fmt: skip
VALUES = ("name", "email", "city", "country", "language", "keep_informed", "message")
# The titles of the signatures export (``appeals.exports``) where a column is the same.
SHARED = ("name", "email", "city", "country", "country_name", "language", None,
          "keep_informed", "message")  # fmt: skip
EXPORT_HEADINGS = {
    **{field: title for field, title in zip(SHARED, COLUMNS, strict=True) if field},
    "appeal": pgettext_lazy("signatures export", "Appeal"),
    # Translators: a column of yes or no: whether the signer followed the e-mail link.
    "confirmed": pgettext_lazy("signatures export", "Confirmed"),
    "created_at": pgettext_lazy("signatures export", "Signed at (UTC)"),
    "confirmed_at": pgettext_lazy("signatures export", "Confirmed at (UTC)"),
}


def iso_utc(value):
    """A moment as the signatures export writes it: ISO 8601 in UTC, to the second."""
    return value.isoformat(timespec="seconds") if value else None


def moments(export_format, vendor):
    """The signing and confirmation times, as the database gives them to ``export_format``:
    for CSV, text the database writes where it can (``appeals.exports.UtcIsoFormat``)."""
    created, confirmed = F("created_at"), F("confirmed_at")
    if export_format == SpreadsheetExportMixin.FORMAT_CSV and vendor in UtcIsoFormat.VENDORS:
        return {"signed": UtcIsoFormat(created), "confirmed": UtcIsoFormat(confirmed)}
    return {"signed": created, "confirmed": confirmed}


class SignatureExportMixin:
    """Wagtail's ``SpreadsheetExportMixin``, fed values in chunks, for the desk's managers.

    Mixed into the listing's ``IndexView``: an export answers before the listing
    builds its table, which would read every row into memory.
    """

    list_export = LIST_EXPORT
    export_headings = EXPORT_HEADINGS
    export_filename = "signatures"

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.export(request.GET["export"])
        return super().get(request, *args, **kwargs)

    @cached_property
    def show_export_buttons(self):
        return may_export(self.request.user)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if self.show_export_buttons and not self.xlsx_allowed(self.matching_rows):
            buttons = [button for button in buttons if button.url != self.xlsx_export_url]
        return buttons

    @cached_property
    def matching_rows(self):
        return self.get_queryset().count()

    def xlsx_allowed(self, rows):
        return rows <= appeals_conf.XLSX_MAX_ROWS

    def export(self, export_format):
        if not may_export(self.request.user):
            raise PermissionDenied
        if self.filters and not self.filters.is_valid():
            return self.refuse(gettext("The filters are not valid: correct them, then export."))
        rows = self.matching_rows
        if export_format == self.FORMAT_XLSX and not self.xlsx_allowed(rows):
            return self.refuse(
                # Translators: an XLSX file is built in memory, so the site limits its
                # size; CSV has no limit.
                ngettext(
                    "XLSX holds at most %(limit)s signature, and this selection holds "
                    "%(rows)s: export it as CSV, or narrow the filters.",
                    "XLSX holds at most %(limit)s signatures, and this selection holds "
                    "%(rows)s: export it as CSV, or narrow the filters.",
                    appeals_conf.XLSX_MAX_ROWS,
                )
                % {"limit": appeals_conf.XLSX_MAX_ROWS, "rows": rows}
            )
        self.prepare_cells(export_format)
        self.log_export(export_format, rows)
        return self.as_spreadsheet(self.export_rows(export_format), export_format)

    def refuse(self, message):
        messages.error(self.request, message)
        query = self.request.GET.copy()
        query.pop("export", None)
        return redirect(f"{self.index_url}?{query.urlencode()}" if query else self.index_url)

    def export_rows(self, export_format):
        """The selected signatures' values, oldest first, a chunk at a time: never all of
        them at once."""
        signatures = self.get_queryset().order_by("created_at", "pk")
        times = moments(export_format, connections[signatures.db].vendor)
        rows = signatures.values(*VALUES, appeal_title=F("appeal__title"), **times)
        return rows.iterator(chunk_size=CHUNK_SIZE)

    def prepare_cells(self, export_format):
        """Titles, words and country names in the manager's language, fixed now: the CSV
        is written after the view returns, when that language is no longer active."""
        language = translation.get_language()
        self.export_format = export_format
        self.headings = {field: str(self.export_headings[field]) for field in self.list_export}
        self.countries = CountryNames(language)
        self.answers = {
            True: pgettext("signatures export", "yes"),
            False: pgettext("signatures export", "no"),
        }

    def get_heading(self, queryset, field):
        return self.headings[field]

    def to_row_dict(self, item):
        answers = self.answers
        signed, confirmed = item["signed"], item["confirmed"]
        if self.export_format == self.FORMAT_CSV and not isinstance(signed, str):
            signed, confirmed = iso_utc(signed), iso_utc(confirmed)
        return {
            "name": as_text(item["name"]),
            "email": as_text(item["email"]),
            "city": as_text(item["city"]),
            "country": item["country"],
            "country_name": self.countries[item["country"]],
            "language": item["language"],
            "appeal": as_text(item["appeal_title"]),
            "confirmed": answers[confirmed is not None],
            "created_at": signed,
            "confirmed_at": confirmed,
            "keep_informed": answers[item["keep_informed"]],
            "message": as_text(item["message"]),
        }

    def write_csv_row(self, writer, row_dict):
        # Each cell of a CSV row is text already (``to_row_dict``): written as it is,
        # rather than looked at again cell by cell.
        return writer.writerow(row_dict)

    def log_export(self, export_format, rows):
        """One audit-log entry per appeal whose signatures leave, with its number of rows;
        an export of nothing is logged against the appeal filtered, if one."""
        description = describe(self.filters, searching=self.is_searching)
        per_appeal = self.get_queryset().rows_per_appeal()
        appeals = Appeal.objects.in_bulk(per_appeal)
        exported = [(appeals[appeal_id], number) for appeal_id, number in per_appeal.items()]
        if not exported and (appeal := self.filters.appeal_filtered()):
            exported = [(appeal, 0)]
        for appeal, appeal_rows in exported:
            log(
                instance=appeal,
                action=log_actions.EXPORT,
                user=self.request.user,
                data={
                    "format": export_format,
                    "rows": appeal_rows,
                    "export_rows": rows,
                    "filters": description,
                },
            )
