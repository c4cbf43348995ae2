"""Erased, withdrawn and anonymised signers are taken out of the delivery packs that listed
them: the files are made again without them, the record keeps what the files as made were
(name, size, SHA-256) and how many went, and a delivery that never listed them is left as
it was, byte for byte."""

import uuid
from datetime import timedelta

import pytest
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

from appeals import delivering, privacy, tasks
from appeals.delivery import recipients
from appeals.models import Appeal, CasePage, Delivery, OriginalFile, Signature
from tests.builders import make_signature, make_user
from tests.test_deliveries import needs_pdftotext, pdf_text, prepare

pytestmark = pytest.mark.django_db

SIGNERS = [
    ("Amal Haddad", "amal@example.org", "Beirut", "LB", "Free her now."),
    ("Boris Orlov", "boris@example.org", "Tver", "RU", "I stand with her."),
    ("Chloé Martin", "chloe@example.org", "Lyon", "FR", ""),
]


def sign(appeal, signers=SIGNERS):
    return [
        make_signature(
            appeal,
            name=name,
            email=email,
            city=city,
            country=country,
            message=message,
            confirmed_at=timezone.now() - timedelta(days=1, seconds=-index),
        )
        for index, (name, email, city, country, message) in enumerate(signers)
    ]


def stored(delivery):
    """Each stored file of ``delivery``: {format: bytes}."""
    return {file.format: file.data for file in Delivery.objects.get(pk=delivery.pk).files.all()}


def texts(delivery, tmp_path):
    """Each stored file of ``delivery`` as text, the PDF's as pdftotext reads it."""
    files = stored(delivery)
    return {
        "html": files["html"].decode(),
        "csv": files["csv"].decode("utf-8-sig"),
        "pdf": pdf_text(files["pdf"], tmp_path),
    }


def hashes(delivery):
    return dict(Delivery.objects.get(pk=delivery.pk).files.values_list("format", "sha256"))


def originals(delivery):
    return dict(OriginalFile.objects.filter(delivery=delivery).values_list("format", "sha256"))


def withdrawal_token(signature):
    token = signature.issue_withdrawal_token()
    signature.save()
    return token


def end(appeal, days_ago):
    Appeal.objects.filter(pk=appeal.pk).update(closes_at=timezone.now() - timedelta(days=days_ago))


def assert_taken_out(delivery, gone, kept, tmp_path):
    for file_format, text in texts(delivery, tmp_path).items():
        for name, email, *_rest in gone:
            assert name not in text, file_format
            assert email not in text, file_format
        for name, *_rest in kept:
            assert name in text, file_format


@needs_pdftotext
def test_an_erased_signer_is_taken_out_of_every_file_of_the_pack(appeal, tmp_path):
    sign(appeal)
    delivery = prepare(appeal).delivery
    as_made = hashes(delivery)
    assert_taken_out(delivery, [], SIGNERS, tmp_path)

    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("Boris@Example.org")

    assert_taken_out(delivery, [SIGNERS[1]], [SIGNERS[0], SIGNERS[2]], tmp_path)
    assert "I stand with her." not in stored(delivery)["html"].decode()
    assert originals(delivery) == as_made
    assert set(hashes(delivery)) == {"html", "csv", "pdf"}
    assert not set(hashes(delivery).values()) & set(as_made.values())
    delivery.refresh_from_db()
    assert delivery.signature_count == 3
    assert delivery.redacted_at is not None
    html = stored(delivery)["html"].decode()
    assert "2 signatories</h2>" in html
    assert (
        "1 signatory has been removed from this copy since the pack was made, at their "
        "request or after the retention period."
    ) in " ".join(html.split())


@needs_pdftotext
def test_a_withdrawn_signature_is_taken_out_of_the_pack(appeal, tmp_path):
    first, *_others = sign(appeal)
    delivery = prepare(appeal).delivery
    as_made = hashes(delivery)
    token = withdrawal_token(first)

    with TestCase.captureOnCommitCallbacks(execute=True):
        outcome, _appeal = privacy.withdraw(token)

    assert outcome == privacy.Withdrawn.WITHDRAWN
    assert_taken_out(delivery, [SIGNERS[0]], SIGNERS[1:], tmp_path)
    assert originals(delivery) == as_made
    assert Delivery.objects.get(pk=delivery.pk).signature_count == 3


@needs_pdftotext
def test_signatures_anonymised_after_the_retention_period_leave_the_pack(appeal, tmp_path):
    sign(appeal)
    delivery = prepare(appeal).delivery
    as_made = hashes(delivery)
    end(appeal, 400)

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert privacy.purge().anonymised.total == 3

    assert_taken_out(delivery, SIGNERS, [], tmp_path)
    for text in texts(delivery, tmp_path).values():
        assert "Beirut" not in text and "Free her now." not in text
    assert originals(delivery) == as_made
    delivery.refresh_from_db()
    assert delivery.signature_count == 3
    assert 'data-removed="3"' in stored(delivery)["html"].decode()


def test_a_delivery_that_never_listed_the_signer_keeps_its_files_byte_for_byte(appeal):
    sign(appeal, SIGNERS[:2])
    listing = prepare(appeal).delivery
    sign(appeal, SIGNERS[2:])
    other = prepare(appeal).delivery
    before = stored(other)
    assert set(before) == {"html", "csv", "pdf"}

    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("amal@example.org")

    assert stored(other) == before
    other.refresh_from_db()
    assert other.redacted_at is None
    assert not OriginalFile.objects.filter(delivery=other).exists()
    assert Delivery.objects.get(pk=listing.pk).redacted_at is not None


@needs_pdftotext
def test_an_erasure_before_the_pdf_is_drawn_ends_with_a_pdf_without_the_name(appeal, tmp_path):
    sign(appeal)
    with TestCase.captureOnCommitCallbacks(execute=False) as pending_pdf:
        delivery = delivering.prepare(
            appeal,
            recipient_key=recipients(appeal.get_source_page())[0].key,
            language="en",
            method="post",
            cut_off=timezone.now(),
            user=None,
            token=uuid.uuid4(),
        ).delivery
    assert set(stored(delivery)) == {"html", "csv"}

    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("chloe@example.org")
    for callback in pending_pdf:  # the PDF's first draw, late
        callback()

    assert_taken_out(delivery, [SIGNERS[2]], SIGNERS[:2], tmp_path)
    assert set(originals(delivery)) == {"html", "csv"}  # no PDF had been made


class DownQueueBackend(ImmediateBackend):
    """A task queue that cannot be reached."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("the task queue is down")


DOWN_QUEUE = {"default": {"BACKEND": f"{__name__}.DownQueueBackend"}}


def test_an_erasure_holds_when_the_task_queue_is_down_and_the_purge_catches_up(appeal):
    sign(appeal)
    delivery = prepare(appeal).delivery
    with override_settings(TASKS=DOWN_QUEUE), TestCase.captureOnCommitCallbacks(execute=True):
        assert privacy.erase("amal@example.org").total == 1

    assert stored(delivery) == {}
    assert not Signature.objects.filter(email="amal@example.org").exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.purge_personal_data.enqueue()
    assert "Amal Haddad" not in stored(delivery)["html"].decode()


def test_a_second_erasure_keeps_the_files_as_first_made(appeal):
    sign(appeal)
    delivery = prepare(appeal).delivery
    as_made = hashes(delivery)
    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("amal@example.org")
    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("boris@example.org")

    assert originals(delivery) == as_made
    html = stored(delivery)["html"].decode()
    assert 'data-removed="2"' in html
    assert "Chloé Martin" in html and "Amal Haddad" not in html and "Boris Orlov" not in html


def test_a_message_left_out_stays_out_of_the_rebuilt_pack(appeal):
    amal, boris, _chloe = sign(appeal)
    delivery = prepare(appeal, leave_out=[boris.pk]).delivery
    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("chloe@example.org")

    html = stored(delivery)["html"].decode()
    assert "Boris Orlov" in html and "I stand with her." not in html
    assert "Free her now." in html
    assert Delivery.objects.get(pk=delivery.pk).messages_left_out == 1


def test_an_erasure_that_fails_half_way_keeps_the_pack_as_it_was(appeal):
    sign(appeal)
    delivery = prepare(appeal).delivery
    before = stored(delivery)

    class Failed(Exception):
        pass

    with pytest.raises(Failed), TestCase.captureOnCommitCallbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            privacy.erase("amal@example.org")
            raise Failed

    assert stored(delivery) == before
    assert Signature.objects.filter(email="amal@example.org").exists()
    assert Delivery.objects.get(pk=delivery.pk).redacted_at is None


@pytest.fixture
def manager():
    return make_user("manager", groups=["Campaign managers"])


def delivery_page(client, delivery):
    response = client.get(reverse("appeals_deliveries:delivery", args=[delivery.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_delivery_page_says_the_files_are_being_made_again(client, manager, appeal):
    sign(appeal)
    delivery = prepare(appeal).delivery
    as_made = hashes(delivery)
    client.force_login(manager)
    with TestCase.captureOnCommitCallbacks(execute=False) as rebuild:
        privacy.erase("amal@example.org")

    html = delivery_page(client, delivery)
    assert "data-rebuilding" in html and "data-pdf-pending" not in html
    assert "data-redacted-at" in html
    for sha256 in as_made.values():
        assert sha256 in html
    file_url = reverse("appeals_deliveries:file", args=[delivery.pk, "html"])
    assert client.get(file_url).status_code == 404

    for callback in rebuild:
        callback()
    html = delivery_page(client, delivery)
    assert "data-rebuilding" not in html
    assert hashes(delivery)["html"] in html and as_made["html"] in html
    assert "Amal Haddad" not in client.get(file_url).content.decode()


def test_without_its_case_page_a_redacted_pack_stays_deleted_and_says_so(
    client, manager, tree, appeal
):
    sign(appeal)
    delivery = prepare(appeal).delivery
    as_made = hashes(delivery)
    CasePage.objects.get(pk=tree.case.pk).delete()  # its French translation stays

    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("amal@example.org")

    assert stored(delivery) == {}
    assert originals(delivery) == as_made
    client.force_login(manager)
    html = delivery_page(client, delivery)
    assert "data-cannot-rebuild" in html and "data-rebuilding" not in html


def test_a_rebuilt_french_pack_says_in_french_who_was_taken_out(appeal):
    sign(appeal)
    delivery = prepare(appeal, language="fr").delivery
    with TestCase.captureOnCommitCallbacks(execute=True):
        privacy.erase("amal@example.org")
        privacy.erase("boris@example.org")

    html = " ".join(stored(delivery)["html"].decode().split())
    assert 'lang="fr"' in html and "Monsieur le Procureur," in html
    assert (
        "2 signataires ont été retirés de cette copie depuis la constitution du dossier"
    ) in html
    assert "Chloé Martin" in html and "Amal Haddad" not in html


def test_a_cancelled_delivery_keeps_no_file_to_name_its_signatories(client, manager, appeal):
    sign(appeal)
    delivery = prepare(appeal).delivery
    assert delivering.cancel(delivery, user=None)

    assert stored(delivery) == {}
    client.force_login(manager)
    html = delivery_page(client, delivery)
    assert "data-cancelled-files" in html and "data-pdf-pending" not in html


def test_a_delivery_cancelled_while_its_files_are_made_again_stays_without_files(appeal):
    sign(appeal)
    delivery = prepare(appeal).delivery
    with TestCase.captureOnCommitCallbacks(execute=False) as rebuild:
        privacy.erase("amal@example.org")
    assert delivering.cancel(delivery, user=None)
    for callback in rebuild:
        callback()

    assert stored(delivery) == {}
    assert not Delivery.objects.get(pk=delivery.pk).is_being_rebuilt


def test_the_daily_purge_makes_again_the_files_a_lost_rebuild_left_out(appeal):
    sign(appeal)
    delivery = prepare(appeal).delivery
    with TestCase.captureOnCommitCallbacks(execute=False):  # the rebuild lost: never run
        privacy.erase("amal@example.org")
    assert list(Delivery.objects.being_rebuilt()) == [delivery]

    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.purge_personal_data.enqueue()

    assert not Delivery.objects.being_rebuilt().exists()
    files = stored(delivery)
    assert set(files) == {"html", "csv", "pdf"}
    assert "Amal Haddad" not in files["html"].decode() and "Boris Orlov" in files["html"].decode()
