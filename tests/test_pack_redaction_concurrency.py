"""Redaction when it races: an erasure while the pack's PDF is being drawn from the print page
it deletes, and an erasure while a delivery holding the signature is being prepared. Whatever
the order the database lets them run in, no stored file keeps the erased name. On PostgreSQL
only, with committed rows that the threads can see; removed after."""

import uuid

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appeals import delivering, privacy
from appeals.delivery import draw_pdf, recipients
from appeals.models import Delivery, OriginalFile, Signature
from tests.conftest import build_tree
from tests.test_concurrency import at_once
from tests.test_deliveries import needs_pdftotext, pdf_text

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

ERASED = "Racer 1"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """The test tree's appeal with 3 committed confirmed signatures; removed after."""
    with django_db_blocker.unblock():
        tree = build_tree()
        (block,) = tree.case.get_appeal_blocks()
        appeal = tree.case.get_appeal(block.id)
        Signature.objects.bulk_create(
            Signature(
                appeal=appeal,
                language="en",
                country="FR",
                name=f"Racer {number}",
                email=f"racer{number}@example.org",
                email_key=f"racer{number}@example.org",
                consent_version="1",
                confirmed_at=timezone.now(),
            )
            for number in range(3)
        )
        yield appeal
        Delivery.objects.filter(appeal=appeal).delete()
        ModelLogEntry.objects.filter(object_id=str(appeal.pk)).delete()
        Signature.objects.filter(appeal=appeal, email__startswith="racer").delete()


def prepare(appeal):
    return delivering.prepare(
        appeal,
        recipient_key=recipients(appeal.get_source_page())[0].key,
        language="en",
        method="post",
        cut_off=timezone.now(),
        user=None,
        token=uuid.uuid4(),
    )


def erase(_argument):
    return privacy.erase("racer1@example.org").total


def assert_no_file_names_the_erased(appeal, tmp_path):
    for delivery in Delivery.objects.filter(appeal=appeal):
        files = {file.format: file.data for file in delivery.files.all()}
        assert set(files) == {"html", "csv", "pdf"}
        assert ERASED not in files["html"].decode()
        assert ERASED not in files["csv"].decode("utf-8-sig")
        text = pdf_text(files["pdf"], tmp_path)
        assert ERASED not in text and "Racer 2" in text


@needs_pdftotext
def test_an_erasure_while_the_pdf_is_drawn_leaves_no_pdf_with_the_name(
    committed, django_db_blocker, tmp_path
):
    with django_db_blocker.unblock():
        delivery = prepare(committed).delivery
        # As if the worker had not drawn it yet.
        delivery.files.filter(format="pdf").delete()

    def work(step):
        return draw_pdf(delivery.pk) if step == "draw" else erase(step)

    at_once(work, ["draw", "erase"], django_db_blocker)

    with django_db_blocker.unblock():
        assert_no_file_names_the_erased(committed, tmp_path)
        kept = set(OriginalFile.objects.filter(delivery=delivery).values_list("format", flat=True))
        assert kept in ({"html", "csv"}, {"html", "csv", "pdf"})


@needs_pdftotext
def test_an_erasure_while_a_delivery_is_prepared_leaves_no_file_with_the_name(
    committed, django_db_blocker, tmp_path
):
    def work(step):
        return prepare(committed).outcome if step == "prepare" else erase(step)

    outcome, erased = at_once(work, ["prepare", "erase"], django_db_blocker)

    assert erased == 1
    with django_db_blocker.unblock():
        # Prepared first, the delivery was redacted; erased first, it never held the name,
        # or its preparation lost the signature to the erasure and made nothing.
        assert outcome in ("made", "race")
        assert_no_file_names_the_erased(committed, tmp_path)
