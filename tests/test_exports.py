"""The signatures export: confirmed rows only, streamed, and safe to open in a spreadsheet."""

import csv
import io
import tracemalloc

import pytest

from appeals import exports
from appeals.models import Signature
from tests.builders import make_signature

pytestmark = pytest.mark.django_db


def exported(signatures, language="en"):
    """The export of ``signatures`` read back as rows (the header first)."""
    file = io.StringIO(newline="")
    exports.write_csv(signatures, file, language)
    return list(csv.reader(io.StringIO(file.getvalue(), newline="")))


def test_only_confirmed_signatures_are_exported(appeal):
    make_signature(appeal, name="Confirmed Signer", email="yes@example.org")
    make_signature(appeal, name="Pending Signer", email="no@example.org", confirmed_at=None)
    rows = exported(appeal.signatures.all())
    assert [row[0] for row in rows[1:]] == ["Confirmed Signer"]


def test_each_row_holds_what_the_signer_gave_and_when_it_was_confirmed(appeal):
    make_signature(
        appeal, name="Amal Haddad", email="amal@example.org", city="Beirut", country="LB",
        language="ar", keep_informed=True, message="Free them.",
        confirmed_at="2026-01-02T03:04:05.678Z",
    )  # fmt: skip
    header, row = exported(appeal.signatures.all())
    assert header == [
        "Name", "E-mail", "Town or city", "Country code", "Country", "Language", "Confirmed at",
        "Keep informed", "Message",
    ]  # fmt: skip
    assert row == [
        "Amal Haddad", "amal@example.org", "Beirut", "LB", "Lebanon", "ar",
        "2026-01-02T03:04:05+00:00", "yes", "Free them.",
    ]  # fmt: skip


def test_the_header_yes_no_and_country_names_are_in_the_export_language(appeal):
    make_signature(appeal, country="DE", keep_informed=False)
    header, row = exported(appeal.signatures.all(), "fr")
    assert header[:5] == ["Nom", "Adresse e-mail", "Ville", "Code du pays", "Pays"]
    assert (row[4], row[7]) == ("Allemagne", "non")
    header, row = exported(appeal.signatures.all(), "ar")
    assert header[3] == "رمز البلد"
    assert row[4] == "ألمانيا"


def test_the_export_language_does_not_leak_into_the_caller(appeal):
    from django.utils.translation import get_language

    make_signature(appeal, country="DE")
    lines = exports.csv_lines(appeal.signatures.all(), "ru")
    next(lines)
    assert get_language() == "en"
    assert "Германия" in next(lines)
    assert get_language() == "en"


@pytest.mark.parametrize(
    "hostile", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=cmd", '=HYPERLINK("x","y")']
)
def test_cells_a_spreadsheet_would_run_as_formulas_are_written_as_text(appeal, hostile):
    make_signature(appeal, name=hostile, city=hostile, message=hostile)
    (row,) = exported(appeal.signatures.all())[1:]
    assert row[0] == row[2] == row[8] == f"'{hostile}"


def test_ordinary_text_is_written_as_typed(appeal):
    make_signature(appeal, name="Jean-Luc O'Neil", city="Saint-Étienne", message="Free her - now!")
    (row,) = exported(appeal.signatures.all())[1:]
    assert (row[0], row[2], row[8]) == ("Jean-Luc O'Neil", "Saint-Étienne", "Free her - now!")


def test_unicode_names_quotes_commas_and_line_breaks_survive(appeal):
    names = ["علی‌رضا رضایی", "Наталья Иванова", "王芳", "Zoë “Zed”, Jr.", 'Ann "A" Lee']
    for number, name in enumerate(names):
        make_signature(
            appeal, name=name, email=f"u{number}@example.org", message="Line one\nLine two"
        )
    rows = exported(appeal.signatures.all())[1:]
    assert sorted(row[0] for row in rows) == sorted(names)
    assert {row[8] for row in rows} == {"Line one\nLine two"}


def test_signatures_come_in_the_order_they_were_confirmed(appeal):
    make_signature(appeal, name="Second", email="b@example.org", confirmed_at="2026-01-02T00:00Z")
    make_signature(appeal, name="First", email="a@example.org", confirmed_at="2026-01-01T00:00Z")
    assert [row[0] for row in exported(appeal.signatures.all())[1:]] == ["First", "Second"]


def test_the_streamed_lines_are_the_written_file(appeal):
    make_signature(appeal, name="Amal, Haddad", message="=cmd")
    file = io.StringIO(newline="")
    written = exports.write_csv(appeal.signatures.all(), file, "es")
    assert written == 1
    assert "".join(exports.csv_lines(appeal.signatures.all(), "es")) == file.getvalue()


def bulk_signatures(appeal, count):
    Signature.objects.bulk_create(
        Signature(
            appeal=appeal, language="en", name=f"Signer number {n} " * 4,
            email=f"s{n}@example.org", email_key=f"s{n}@example.org", country="FR",
            city="Paris", message="A message of some length. " * 8, consent_version="1",
            confirmed_at="2026-01-01T00:00:00Z",
        )
        for n in range(count)
    )  # fmt: skip


class Nowhere:
    def write(self, value):
        return len(value)


@pytest.mark.slow
def test_memory_stays_flat_whatever_the_number_of_signatures(tree, monkeypatch):
    from tests.builders import make_case

    # Both exports span several chunks, so that only the number of chunks differs.
    monkeypatch.setattr(exports, "CHUNK_SIZE", 500)
    small_case, large_case = (
        make_case(tree.index, slug="small"),
        make_case(tree.index, slug="large"),
    )
    small, large = (
        case.get_appeal(case.get_appeal_blocks()[0].id) for case in (small_case, large_case)
    )
    bulk_signatures(small, 2_000)
    bulk_signatures(large, 20_000)

    def peak(appeal):
        tracemalloc.start()
        try:
            written = exports.write_csv(appeal.signatures.all(), Nowhere(), "en")
            return written, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(small)  # first run: imports, catalogues, country names
    (small_rows, small_peak), (large_rows, large_peak) = peak(small), peak(large)
    assert (small_rows, large_rows) == (2_000, 20_000)
    # Ten times the rows, not ten times the memory: read and written in chunks.
    assert large_peak < small_peak * 1.5 + 200_000, (small_peak, large_peak)
