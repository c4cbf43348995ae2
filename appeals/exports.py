"""Signatures as CSV, streamed: memory stays flat whatever their number.

Only confirmed signatures are exported. Rows are read from the database in chunks
(``.values_list().iterator()``) and written as they come, so a million signatures
cost what a few thousand do. Names, towns and messages are the signers' own text,
and hostile: a cell a spreadsheet would run as a formula is written as text.
"""

import csv
from itertools import islice

from django.db import connections
from django.db.models import CharField, F, Func
from django.utils import translation
from django.utils.translation import pgettext, pgettext_lazy

from appeals.countries import country_name

# Rows read from the database at a time.
CHUNK_SIZE = 5000
# The stored fields exported, in their columns' order; the country is written twice,
# as its code and as its name in the export's language.
FIELDS = (
    "name", "email", "city", "country", "language",
    "confirmed_at", "keep_informed", "message",
)  # fmt: skip
COLUMNS = (
    pgettext_lazy("signatures export", "Name"),
    pgettext_lazy("signatures export", "E-mail"),
    pgettext_lazy("signatures export", "Town or city"),
    pgettext_lazy("signatures export", "Country code"),
    pgettext_lazy("signatures export", "Country"),
    pgettext_lazy("signatures export", "Language"),
    pgettext_lazy("signatures export", "Confirmed at"),
    pgettext_lazy("signatures export", "Keep informed"),
    pgettext_lazy("signatures export", "Message"),
)
# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = frozenset("=+-@\t\r")


def as_text(value):
    """``value`` as a cell a spreadsheet shows as typed: a leading quote disarms a formula."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


class UtcIsoFormat(Func):
    """A date and time as ISO 8601 text in UTC, to the second, written by the database:
    turning a million timestamps into Python objects only to write them back as text
    would take most of the export's time."""

    output_field = CharField()
    VENDORS = {"postgresql", "sqlite"}

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Stored in UTC as text; the percent signs survive two rounds of formatting.
        template = "strftime('%%%%Y-%%%%m-%%%%dT%%%%H:%%%%M:%%%%S+00:00', %(expressions)s)"
        return self.as_sql(compiler, connection, template=template, **extra)


def header(language):
    """The column titles in ``language``, and its words for yes and no."""
    with translation.override(language):
        answers = pgettext("signatures export", "yes"), pgettext("signatures export", "no")
        return [str(title) for title in COLUMNS], answers


class CountryNames(dict):
    """Country code → its name in one language, each looked up once per export."""

    def __init__(self, language):
        super().__init__()
        self.language = language

    def __missing__(self, code):
        with translation.override(self.language):
            self[code] = name = country_name(code, self.language)
        return name


def confirmed_values(signatures):
    """The exported fields of the confirmed ``signatures``, read in chunks, the oldest
    confirmation first, with the date as ISO 8601 text (the database's, where it can)."""
    rows = signatures.confirmed().order_by("confirmed_at", "pk")
    if connections[signatures.db].vendor in UtcIsoFormat.VENDORS:
        rows = rows.annotate(confirmed_at_text=UtcIsoFormat(F("confirmed_at")))
        fields = [("confirmed_at_text" if name == "confirmed_at" else name) for name in FIELDS]
        return rows.values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    date = FIELDS.index("confirmed_at")
    return (
        (*row[:date], row[date].isoformat(timespec="seconds"), *row[date + 1 :])
        for row in rows.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
    )


def signature_rows(signatures, language):
    """The header, then the cells of each confirmed signature of ``signatures`` (a
    ``Signature`` queryset), in the order they were confirmed, text in ``language``."""
    titles, (yes, no) = header(language)
    yield titles
    countries = CountryNames(language)
    for row in confirmed_values(signatures):
        name, email, city, country, signer_language, confirmed_at, keep_informed, message = row
        yield [
            as_text(name),
            as_text(email),
            as_text(city),
            country,
            countries[country],
            signer_language,
            confirmed_at,
            yes if keep_informed else no,
            as_text(message),
        ]


class Echo:
    """A file that gives back what is written to it, for ``csv.writer`` to make lines."""

    def write(self, value):
        return value


def csv_lines(signatures, language):
    """The export as CSV lines, one at a time: the body of a ``StreamingHttpResponse``."""
    writer = csv.writer(Echo())
    for row in signature_rows(signatures, language):
        yield writer.writerow(row)


def write_csv(signatures, file, language):
    """Write the export of ``signatures`` to ``file`` (opened with ``newline=""``);
    returns the number of signatures written."""
    writer = csv.writer(file)
    rows = signature_rows(signatures, language)
    writer.writerow(next(rows))  # the header
    written = 0
    # A chunk at a time: the csv module's own loop writes the rows.
    while chunk := list(islice(rows, CHUNK_SIZE)):
        writer.writerows(chunk)
        written += len(chunk)
    return written
