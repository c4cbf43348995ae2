"""Deliveries when they race: two managers prepare deliveries to the same recipient at once,
or one form is sent twice at once. On PostgreSQL only, with committed rows that the threads
can see; removed after."""

import uuid
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appeals import delivering
from appeals.delivery import recipients
from appeals.models import DeliveredSignature, Delivery, Signature
from tests.conftest import build_tree
from tests.test_concurrency import at_once

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """The test tree's appeal with 40 committed confirmed signatures; removed after."""
    with django_db_blocker.unblock():
        tree = build_tree()
        (block,) = tree.case.get_appeal_blocks()
        appeal = tree.case.get_appeal(block.id)
        Signature.objects.bulk_create(
            Signature(
                appeal=appeal,
                language="en",
                country=("FR", "LB", "RU")[number % 3],
                name=f"Racer {number}",
                email=f"racer{number}@example.org",
                email_key=f"racer{number}@example.org",
                consent_version="1",
                confirmed_at=timezone.now(),
            )
            for number in range(40)
        )
        yield appeal
        Delivery.objects.filter(appeal=appeal).delete()
        ModelLogEntry.objects.filter(object_id=str(appeal.pk)).delete()
        Signature.objects.filter(appeal=appeal, email__startswith="racer").delete()


def prepare_with(appeal, token):
    def work(_argument):
        return delivering.prepare(
            appeal,
            recipient_key=recipients(appeal.get_source_page())[0].key,
            language="en",
            method="post",
            cut_off=timezone.now(),
            user=None,
            token=token or uuid.uuid4(),
        ).outcome

    return work


def test_two_deliveries_prepared_at_once_hold_no_signature_twice(committed, django_db_blocker):
    outcomes = at_once(prepare_with(committed, None), [1, 2], django_db_blocker)
    with django_db_blocker.unblock():
        # The second either waited and found nothing new, or lost to the first's rows.
        assert sorted(outcomes) in (["made", "nothing"], ["made", "race"])
        delivered = DeliveredSignature.objects.filter(delivery__appeal=committed)
        ids = list(delivered.values_list("signature_id", flat=True))
        assert len(ids) == len(set(ids)) == 40
        assert Delivery.objects.filter(appeal=committed).count() == 1


def test_one_form_sent_twice_at_once_makes_one_delivery(committed, django_db_blocker):
    outcomes = at_once(prepare_with(committed, uuid.uuid4()), [1, 2], django_db_blocker)
    with django_db_blocker.unblock():
        assert Counter(outcomes) == {"made": 1, "already": 1}
        assert Delivery.objects.filter(appeal=committed).count() == 1
