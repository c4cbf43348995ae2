"""Deliveries: the pack (letter in the delivery language, signatories, counts), its files,
and the record: no signature delivered twice to a recipient, none left out."""

import shutil
import subprocess
import uuid
from datetime import timedelta

import pytest
from django.test import TestCase
from django.utils import timezone

from appeals import delivering
from appeals.delivery import recipients
from appeals.models import DeliveredSignature, Delivery, DeliveryState, Signature
from tests.builders import make_signature, recipient_value, translate

pytestmark = pytest.mark.django_db

NOW = timezone.now()
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None,
    reason="pdftotext is missing: install it with ./system-packages.sh poppler-utils",
)


def signatures(appeal, number, *, start=0, country="FR", **fields):
    """``number`` confirmed signatures, made at once."""
    rows = [
        Signature(
            appeal=appeal,
            language="en",
            name=f"Signer {start + index}",
            email=f"signer{start + index}@example.org",
            email_key=f"signer{start + index}@example.org",
            country=country,
            city="Lyon",
            consent_version="1",
            confirmed_at=NOW - timedelta(days=1),
            **fields,
        )
        for index in range(number)
    ]
    return Signature.objects.bulk_create(rows)


def prepare(appeal, user=None, **options):
    source = appeal.get_source_page()
    values = {
        "recipient_key": recipients(source)[0].key,
        "language": "en",
        "method": "post",
        "cut_off": timezone.now(),
        "user": user,
        "token": uuid.uuid4(),
    }
    values.update(options)
    # The PDF is drawn by a task once the delivery is committed: run it here.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return delivering.prepare(appeal, **values)


def pdf_text(content, tmp_path):
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603 (our own file, through poppler's tool)
        [PDFTOTEXT, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # pdftotext marks right-to-left runs with embedding controls; the text is between them.
    return text.translate(dict.fromkeys(range(0x202A, 0x202F)))


def test_a_pack_holds_the_letter_then_each_signatory_and_the_counts(appeal):
    signatures(appeal, 3, country="FR")
    signatures(appeal, 2, start=3, country="DE")
    prepared = prepare(appeal)
    assert prepared.outcome == "made"
    delivery = prepared.delivery
    assert delivery.signature_count == 5
    html = delivery.file("html").data.decode()
    assert 'lang="en" dir="ltr"' in html
    assert html.index("Dear Prosecutor,") < html.index("Signer 0") < html.index("Germany")
    assert "5 signatories" in html
    assert '<td>France</td><td class="number">3</td>' in html
    assert "signer0@example.org" not in html


def test_the_files_are_stored_with_their_hash_and_size(appeal):
    import hashlib

    signatures(appeal, 2)
    delivery = prepare(appeal).delivery
    for file_format in ("html", "pdf", "csv"):
        stored = delivery.file(file_format)
        content = stored.data
        assert stored.size == len(content)
        assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert delivery.file("pdf").data.startswith(b"%PDF")


def test_the_csv_lists_names_places_and_messages_never_addresses(appeal):
    signatures(appeal, 1, message="=HYPERLINK(1)")
    csv_text = bytes(prepare(appeal).delivery.file("csv").content).decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0] == "Name,Town and country,Message"
    assert lines[1] == 'Signer 0,"Lyon, France",\'=HYPERLINK(1)'
    assert "@" not in csv_text


def test_two_deliveries_and_a_cancelled_one_hold_every_signature_once(appeal):
    signatures(appeal, 3)
    first = prepare(appeal).delivery
    signatures(appeal, 2, start=3)
    cancelled = prepare(appeal).delivery
    assert cancelled.signature_count == 2
    assert delivering.cancel(cancelled, user=None)
    signatures(appeal, 1, start=5)
    second = prepare(appeal).delivery
    assert (first.signature_count, second.signature_count) == (3, 3)
    delivered = DeliveredSignature.objects.filter(delivery__appeal=appeal)
    ids = list(delivered.values_list("signature_id", flat=True))
    assert len(ids) == len(set(ids)) == Signature.objects.filter(appeal=appeal).count() == 6
    assert Delivery.objects.get(pk=cancelled.pk).state == DeliveryState.CANCELLED


def test_a_delivery_with_no_new_signatures_makes_nothing(appeal):
    signatures(appeal, 1)
    prepare(appeal)
    assert prepare(appeal).outcome == "nothing"
    assert Delivery.objects.filter(appeal=appeal).count() == 1


def test_the_same_form_submitted_twice_makes_one_delivery(appeal):
    signatures(appeal, 1)
    token = uuid.uuid4()
    first = prepare(appeal, token=token)
    again = prepare(appeal, token=token)
    assert (first.outcome, again.outcome) == ("made", "already")
    assert again.delivery.pk == first.delivery.pk


def test_the_cut_off_and_confirmation_decide_which_signatures_go(appeal):
    signatures(appeal, 2)
    make_signature(appeal, email="late@example.org", confirmed_at=NOW + timedelta(hours=1))
    make_signature(appeal, email="pending@example.org", confirmed_at=None)
    anonymised = signatures(appeal, 1, start=10)
    Signature.objects.filter(pk=anonymised[0].pk).anonymise()
    assert prepare(appeal, cut_off=NOW).delivery.signature_count == 2


def test_each_recipient_receives_every_signature_once(tree, capture_on_commit=None):
    from appeals.models import CasePage

    case = CasePage.objects.get(pk=tree.case.pk)
    case.body.append(
        ("recipient", recipient_value(name="Olga Ivanova", salutation="Dear Ombudsperson,"))
    )
    case.save_revision().publish()
    appeal = tree.appeal
    signatures(appeal, 2)
    first_key, second_key = (recipient.key for recipient in recipients(case))
    to_first = prepare(appeal, recipient_key=first_key).delivery
    to_second = prepare(appeal, recipient_key=second_key).delivery
    assert (to_first.signature_count, to_second.signature_count) == (2, 2)
    html = to_second.file("html").data.decode()
    letter = html[html.index("<article") :]
    assert "Dear Ombudsperson," in letter
    assert letter.index("Olga Ivanova") < letter.index("Copies to:") < letter.index("Ivan Petrov")


def test_a_message_left_out_leaves_the_signature_in(appeal):
    kept, abusive = signatures(appeal, 2, message="Free her!")
    delivery = prepare(appeal, leave_out=[abusive.pk]).delivery
    assert delivery.signature_count == 2
    assert delivery.messages_left_out == 1
    html = delivery.file("html").data.decode()
    assert html.count("Free her!") == 1
    assert DeliveredSignature.objects.get(signature=abusive).message_left_out


def test_the_pack_falls_back_to_the_source_and_says_so(appeal):
    signatures(appeal, 1)
    delivery = prepare(appeal, language="ru").delivery
    assert (delivery.language, delivery.letter_language) == ("ru", "en")
    html = delivery.file("html").data.decode()
    assert "This case has no translation in Russian: the letter is given in English" in html


def test_the_pack_in_french_is_the_french_letter(appeal):
    signatures(appeal, 1, country="DE")
    delivery = prepare(appeal, language="fr").delivery
    html = delivery.file("html").data.decode()
    assert delivery.letter_language == "fr"
    assert "Monsieur le Procureur," in html and "Allemagne" in html
    assert "data-fell-back" not in html


@pytest.mark.slow
@needs_pdftotext
def test_a_russian_pack_holds_cyrillic(tree, django_capture_on_commit_callbacks, tmp_path):
    translate(
        tree.case,
        "ru",
        {"Dear Prosecutor,": "Уважаемый господин прокурор!", "Yours sincerely,": "С уважением,"},
        capture=django_capture_on_commit_callbacks,
    )
    signatures(tree.appeal, 2, country="DE")
    delivery = prepare(tree.appeal, language="ru").delivery
    assert delivery.letter_language == "ru"
    text = pdf_text(delivery.file("pdf").data, tmp_path)
    assert "Уважаемый господин прокурор!" in text
    assert "Германия" in text
    assert "Signer 1" in text


@pytest.mark.slow
@needs_pdftotext
def test_an_arabic_pack_reads_in_logical_order(tree, django_capture_on_commit_callbacks, tmp_path):
    translate(
        tree.case,
        "ar",
        {
            "Dear Prosecutor,": "السيد النائب العام المحترم،",
            "I am writing about the search of her home.": "أكتب إليكم بشأن تفتيش منزلها.",
            "Yours sincerely,": "مع فائق الاحترام،",
        },
        capture=django_capture_on_commit_callbacks,
    )
    signatures(tree.appeal, 1, country="LB")
    delivery = prepare(tree.appeal, language="ar").delivery
    html = delivery.file("html").data.decode()
    assert 'lang="ar" dir="rtl"' in html
    text = pdf_text(delivery.file("pdf").data, tmp_path)
    # pdftotext gives the letters in the order they are read, not drawn (only a line's
    # closing punctuation, drawn at its left end, comes first).
    assert "أكتب إليكم بشأن تفتيش منزلها" in text
    assert "السيد النائب العام المحترم" in text
    assert "لبنان" in text
    assert "Signer 0" in text


@pytest.mark.slow
def test_a_pack_of_ten_thousand_signatories(appeal, capsys):
    """Its figures: ``pytest tests/test_deliveries.py -m slow -k ten_thousand -s``."""
    import time

    countries = ("FR", "DE", "LB", "RU", "IR")
    for start in range(0, 10_000, 2_000):
        signatures(appeal, 2_000, start=start, country=countries[start // 2_000])
    began = time.perf_counter()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        delivery = delivering.prepare(
            appeal,
            recipient_key=recipients(appeal.get_source_page())[0].key,
            language="en",
            method="post",
            cut_off=timezone.now(),
            user=None,
            token=uuid.uuid4(),
        ).delivery
    made = time.perf_counter() - began
    for callback in callbacks:
        callback()
    drawn = time.perf_counter() - began - made
    html, pdf, csv_file = (delivery.file(name) for name in ("html", "pdf", "csv"))
    assert delivery.signature_count == 10_000
    assert csv_file.data.decode("utf-8-sig").count("\n") == 10_001
    with capsys.disabled():
        print(
            f"\n10,000 signatories: record, print page and CSV in {made:.1f} s;"
            f" PDF drawn in {drawn:.1f} s. PDF {pdf.size / 1e6:.2f} MB,"
            f" print page {html.size / 1e6:.2f} MB, CSV {csv_file.size / 1e6:.2f} MB"
        )
