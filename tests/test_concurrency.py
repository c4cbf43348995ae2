"""One confirmed signature per address per appeal, and one count, also when confirmations race.

No test transaction here: the threads need to see committed rows, so the
fixture commits its appeal and removes everything it made.
"""

import threading
import uuid
from collections import Counter

import pytest
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from appeals import counters
from appeals.models import Appeal, AppealTally, Signature
from appeals.signing import Confirmation, confirm, store_submission
from tests.builders import sign_data
from tests.test_counters import WITH_A_WORKER, written_tables

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


def at_once(work, arguments, django_db_blocker):
    """Run ``work`` on each of ``arguments`` at once, from as many threads, each on its
    own connection; the results, in the order of ``arguments``."""
    barrier = threading.Barrier(len(arguments))
    results, errors = [None] * len(arguments), []

    def run(index, argument):
        try:
            with django_db_blocker.unblock():
                barrier.wait()
                results[index] = work(argument)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    return results


def race(tokens, django_db_blocker):
    """Confirm every token at once, from as many threads; the outcomes, counted."""
    return Counter(outcome for outcome, _signature in at_once(confirm, tokens, django_db_blocker))


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


def distinct_submissions(appeal, count, django_db_blocker):
    """``count`` unconfirmed submissions of as many addresses, in five languages."""
    languages = ["en", "fr", "es", "ru", "ar"]
    tokens = []
    with django_db_blocker.unblock():
        for number in range(count):
            data = {
                **sign_data(email=f"signer{number}@example.org"),
                "keep_informed": False, "show_publicly": False, "message": "",
            }  # fmt: skip
            signature = store_submission(appeal, data, languages[number % 5], "1")
            tokens.append(signature.issue_token())
            signature.save()
    return tokens


def confirm_waiting_on_no_lock(tokens):
    """Confirm each of ``tokens`` as signers do, on a session that fails rather than wait
    50 ms for any lock; the outcomes and the tables written."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '50ms'")
    with CaptureQueriesContext(connection) as queries:
        outcomes = [confirm(token)[0] for token in tokens]
    return outcomes, written_tables(queries)


@WITH_A_WORKER
def test_a_hundred_confirmations_of_one_appeal_at_once_wait_on_no_shared_row(
    committed_appeal, django_db_blocker
):
    tokens = distinct_submissions(committed_appeal, 100, django_db_blocker)
    # 25 sessions at once, four confirmations each: on a shared row they would queue.
    sessions = [tokens[start::25] for start in range(25)]
    results = at_once(confirm_waiting_on_no_lock, sessions, django_db_blocker)
    outcomes = Counter(outcome for session, _tables in results for outcome in session)
    assert outcomes == {Confirmation.CONFIRMED: 100}
    assert set().union(*(tables for _outcomes, tables in results)) == {"appeals_signature"}
    with django_db_blocker.unblock():
        assert not DBTaskResult.objects.exists()  # a confirmation enqueues nothing
        assert counters.fold() == 100
        committed_appeal.refresh_from_db()
        assert committed_appeal.signature_count == 100
        languages = ["ar", "en", "es", "fr", "ru"]
        assert AppealTally.objects.by_language(committed_appeal) == dict.fromkeys(languages, 20)


def committed_confirmed(appeal, count, django_db_blocker):
    with django_db_blocker.unblock():
        now = timezone.now()
        Signature.objects.bulk_create(
            Signature(
                appeal=appeal, language="fr", country="FR", name=f"Signer {number}",
                email=f"s{number}@example.org", email_key=f"s{number}@example.org",
                consent_version="1", confirmed_at=now,
            )
            for number in range(count)
        )  # fmt: skip


def test_two_folds_at_once_count_nothing_twice(committed_appeal, django_db_blocker):
    committed_confirmed(committed_appeal, 1000, django_db_blocker)
    folded = at_once(lambda size: counters.fold(batch_size=size), [50, 70], django_db_blocker)
    assert sum(folded) == 1000
    with django_db_blocker.unblock():
        committed_appeal.refresh_from_db()
        assert committed_appeal.signature_count == 1000
        assert AppealTally.objects.by_country(committed_appeal) == {"FR": 1000}


def while_held(hold, work, django_db_blocker):
    """Run ``work`` on a session of its own with a lock timeout, while another session
    holds what ``hold`` locks: what ``work`` returned, and what it raised (or None)."""
    held, done = threading.Event(), threading.Event()

    def holder():
        with django_db_blocker.unblock(), transaction.atomic():
            hold()
            held.set()
            done.wait(timeout=30)
        connection.close()

    outcome = {"returned": None, "raised": None}

    def attempt():
        with django_db_blocker.unblock():
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '200ms'")
                outcome["returned"] = work()
            except OperationalError as error:
                outcome["raised"] = error
            finally:
                connection.close()

    holding = threading.Thread(target=holder)
    holding.start()
    held.wait(timeout=30)
    attempting = threading.Thread(target=attempt)
    attempting.start()
    attempting.join()
    done.set()
    holding.join()
    return outcome["returned"], outcome["raised"]


def hold_the_counts_lock():
    counters.lock_counts("default")


def test_a_fold_waits_for_the_counts_lock_and_counts_after_it(committed_appeal, django_db_blocker):
    committed_confirmed(committed_appeal, 3, django_db_blocker)
    _folded, error = while_held(hold_the_counts_lock, counters.fold, django_db_blocker)
    assert "lock timeout" in str(error)
    with django_db_blocker.unblock():
        assert not Signature.objects.filter(counted_at__isnull=False).exists()
        assert counters.fold() == 3


def test_a_recount_waits_for_a_fold_holding_the_counts_lock(committed_appeal, django_db_blocker):
    _drifts, error = while_held(
        hold_the_counts_lock, lambda: counters.recount(Appeal.objects.all()), django_db_blocker
    )
    assert "lock timeout" in str(error)


def test_the_periodic_fold_passes_over_a_row_a_signer_holds_and_a_one_off_fold_waits_for_it(
    committed_appeal, django_db_blocker
):
    committed_confirmed(committed_appeal, 3, django_db_blocker)
    with django_db_blocker.unblock():
        held = Signature.objects.filter(appeal=committed_appeal).first()

    def hold_one_signature():
        list(Signature.objects.filter(pk=held.pk).select_for_update())

    folded, error = while_held(hold_one_signature, counters.fold, django_db_blocker)
    assert (folded, error) == (2, None)  # passed over it, without waiting
    _folded, error = while_held(
        hold_one_signature, lambda: counters.fold(wait=True), django_db_blocker
    )
    assert "lock timeout" in str(error)  # waited for it
    with django_db_blocker.unblock():
        assert counters.fold(wait=True) == 1
        committed_appeal.refresh_from_db()
        assert committed_appeal.signature_count == 3
