"""One confirmed signature per address per appeal, and one count, also when confirmations race.

No test transaction here: the threads need to see committed rows, so the
fixture commits its appeal and removes everything it made.
"""

import threading
import uuid
from collections import Counter

import pytest
from django.db import connection

from appeals.models import Appeal, Signature
from appeals.signing import Confirmation, confirm, store_submission
from tests.builders import sign_data

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL"),
]


@pytest.fixture
def committed_appeal(django_db_setup, django_db_blocker):
    """An appeal committed outside any test transaction, seen by threads; removed after."""
    with django_db_blocker.unblock():
        appeal = Appeal.objects.create(case_key=uuid.uuid4(), block_id=uuid.uuid4())
        yield appeal
        Signature.objects.filter(appeal=appeal).delete()
        appeal.delete()


def submissions(appeal, count, django_db_blocker, **data):
    """``count`` unconfirmed submissions of one address, each with its own token."""
    cleaned = {**sign_data(**data), "keep_informed": False, "show_publicly": False, "message": ""}
    tokens = []
    with django_db_blocker.unblock():
        for _ in range(count):
            signature = store_submission(appeal, cleaned, "en", "1")
            tokens.append(signature.issue_token())
            signature.save()
    return tokens


def race(tokens, django_db_blocker):
    """Confirm every token at once, from as many threads; the outcomes, counted."""
    barrier = threading.Barrier(len(tokens))
    outcomes, errors = Counter(), []

    def confirm_one(token):
        try:
            with django_db_blocker.unblock():
                barrier.wait()
                outcome, _signature = confirm(token)
                outcomes[outcome] += 1
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm_one, args=[token]) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    return outcomes


def test_twenty_submissions_of_one_address_confirmed_at_once_give_one_signature(
    committed_appeal, django_db_blocker
):
    tokens = submissions(committed_appeal, 20, django_db_blocker)
    outcomes = race(tokens, django_db_blocker)
    assert outcomes == {Confirmation.CONFIRMED: 1, Confirmation.ALREADY_CONFIRMED: 19}
    with django_db_blocker.unblock():
        assert Signature.objects.filter(appeal=committed_appeal).confirmed().count() == 1
        committed_appeal.refresh_from_db()
        assert committed_appeal.signature_count == 1


def test_fifty_confirmations_of_one_link_count_once(committed_appeal, django_db_blocker):
    (token,) = submissions(committed_appeal, 1, django_db_blocker)
    outcomes = race([token] * 50, django_db_blocker)
    assert outcomes[Confirmation.CONFIRMED] == 1
    assert outcomes[Confirmation.ALREADY_CONFIRMED] == 49
    with django_db_blocker.unblock():
        committed_appeal.refresh_from_db()
        assert committed_appeal.signature_count == 1
