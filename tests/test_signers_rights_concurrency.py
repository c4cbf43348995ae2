"""The signers' rights when they race: two purges at once, one withdrawal link pressed twice at
once. On PostgreSQL only, with committed rows that the threads can see; removed after.
"""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appeals import counters, privacy
from appeals.admin import log_actions
from appeals.models import Appeal, Signature, Withdrawal
from appeals.models.signatures import hash_token
from tests.test_concurrency import at_once

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]


@pytest.fixture
def ended_appeal(django_db_setup, django_db_blocker):
    """A committed appeal that ended 400 days ago, with 50 counted signatures; removed after."""
    with django_db_blocker.unblock():
        appeal = Appeal.objects.create(
            case_key=uuid.uuid4(),
            block_id=uuid.uuid4(),
            closes_at=timezone.now() - timedelta(days=400),
        )
        Signature.objects.bulk_create(
            Signature(
                appeal=appeal,
                language=("en", "fr")[number % 2],
                country=("FR", "LB", "RU")[number % 3],
                name=f"Signer {number}",
                email=f"signer{number}@example.org",
                email_key=f"signer{number}@example.org",
                consent_version="1",
                confirmed_at=timezone.now(),
            )
            for number in range(50)
        )
        counters.fold()
        yield appeal
        ModelLogEntry.objects.filter(object_id=str(appeal.pk)).delete()
        Signature.objects.filter(appeal=appeal).delete()
        appeal.delete()


def figures(appeal):
    appeal.refresh_from_db()
    return appeal.signature_count, counters.recount(Appeal.objects.filter(pk=appeal.pk), fix=False)


def test_two_purges_at_once_anonymise_each_signature_once(ended_appeal, django_db_blocker):
    results = at_once(lambda _: privacy.purge().anonymised.total, [1, 2], django_db_blocker)
    with django_db_blocker.unblock():
        assert sorted(results) == [0, 50]
        assert not Signature.objects.filter(appeal=ended_appeal).identified().exists()
        assert figures(ended_appeal) == (50, [])
        entries = ModelLogEntry.objects.filter(
            object_id=str(ended_appeal.pk), action=log_actions.PURGE
        )
        assert [entry.data["signatures"] for entry in entries] == [50]


def test_a_withdrawal_link_pressed_twice_at_once_withdraws_once(ended_appeal, django_db_blocker):
    with django_db_blocker.unblock():
        signature = Signature.objects.filter(appeal=ended_appeal).first()
        token = signature.issue_withdrawal_token()
        signature.save()
    try:
        outcomes = at_once(lambda _: privacy.withdraw(token)[0], [1, 2], django_db_blocker)
        with django_db_blocker.unblock():
            assert Counter(outcomes) == {
                privacy.Withdrawn.WITHDRAWN: 1,
                privacy.Withdrawn.ALREADY_WITHDRAWN: 1,
            }
            assert figures(ended_appeal) == (49, [])
    finally:
        with django_db_blocker.unblock():
            Withdrawal.objects.filter(token_hash=hash_token(token)).delete()
