"""Updates to signers when they race: two workers send one mailing at once, or two
mailings of one entry run at once. On PostgreSQL only, with committed rows that the
threads can see; removed after."""

import uuid
from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appeals import informing
from appeals.models import CasePage, CaseUpdate, Signature, SignerUpdate, UpdateSent
from tests.conftest import build_tree
from tests.test_concurrency import at_once

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]

ENTRY = "The racing entry."
SIGNERS = 30


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """The test tree's appeal, its case with a published entry, and 30 committed
    signatures that asked to be kept informed: (appeal, the entry's key); removed after."""
    with django_db_blocker.unblock():
        tree = build_tree()
        case = CasePage.objects.get(pk=tree.case.pk)
        case.updates.add(CaseUpdate(date=date(2026, 3, 14), text=ENTRY, locale=case.locale))
        case.save_revision().publish()
        key = CasePage.objects.get(pk=case.pk).updates.get(text=ENTRY).translation_key
        (block,) = case.get_appeal_blocks()
        appeal = case.get_appeal(block.id)
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
                keep_informed=True,
            )
            for number in range(SIGNERS)
        )
        yield appeal, key
        SignerUpdate.objects.filter(appeal=appeal).delete()
        ModelLogEntry.objects.filter(
            object_id=str(appeal.pk), action__startswith="appeals."
        ).delete()
        Signature.objects.filter(appeal=appeal, email__startswith="racer").delete()
        case = CasePage.objects.get(pk=case.pk)
        case.updates.filter(text=ENTRY).delete()
        case.save_revision().publish()


def recipients():
    return [message.to[0] for message in mail.outbox]


def test_two_workers_sending_one_mailing_at_once_send_each_signer_once(
    committed, django_db_blocker
):
    appeal, key = committed
    with django_db_blocker.unblock():
        mailing = informing.start(appeal, key, user=None, token=uuid.uuid4()).mailing

    def work(_argument):
        return informing.send_batch(mailing.pk, SIGNERS).sent

    sent = at_once(work, [1, 2], django_db_blocker)
    with django_db_blocker.unblock():
        assert sum(sent) == SIGNERS
        assert len(recipients()) == len(set(recipients())) == SIGNERS
        assert UpdateSent.objects.filter(update_key=key).count() == SIGNERS
        mailing.refresh_from_db()
        assert mailing.sent == SIGNERS


def test_two_mailings_of_one_entry_at_once_send_each_signer_once(committed, django_db_blocker):
    appeal, key = committed

    def work(_argument):
        mailing = informing.start(appeal, key, user=None, token=uuid.uuid4()).mailing
        return informing.send_batch(mailing.pk, SIGNERS).sent if mailing else 0

    sent = at_once(work, [1, 2], django_db_blocker)
    with django_db_blocker.unblock():
        assert sum(sent) == SIGNERS
        assert len(recipients()) == len(set(recipients())) == SIGNERS
