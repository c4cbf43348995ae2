"""One signature per e-mail per appeal, also when twenty arrive at once.

No test transaction here: the threads need to see committed rows, so the
fixture commits its appeal and removes everything it made.
"""

import threading
import uuid

import pytest
from django.db import connection

from appeals.models import Appeal, Signature
from appeals.signing import store_signature
from tests.builders import sign_data


@pytest.fixture
def committed_appeal(django_db_setup, django_db_blocker):
    """An appeal committed outside any test transaction, seen by threads; removed after."""
    with django_db_blocker.unblock():
        appeal = Appeal.objects.create(case_key=uuid.uuid4(), block_id=uuid.uuid4())
        yield appeal
        Signature.objects.filter(appeal=appeal).delete()
        appeal.delete()


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
def test_twenty_concurrent_signatures_with_one_email_leave_one_row(
    committed_appeal, django_db_blocker
):
    data = sign_data()
    cleaned = {**data, "keep_informed": False, "show_publicly": False, "message": ""}
    barrier = threading.Barrier(20)
    errors = []

    def sign():
        try:
            with django_db_blocker.unblock():
                barrier.wait()
                store_signature(committed_appeal, cleaned, "en", "1")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with django_db_blocker.unblock():
        assert Signature.objects.filter(appeal=committed_appeal).count() == 1
