"""Counts that never serialise on one row: confirming writes its own row, a periodic fold counts.

A signature joins its appeal's count, and the tallies by language and country,
when ``appeals.counters.fold`` marks it counted; the fold, the recount and a
removal hold one advisory lock, so that none of them counts anything twice.
"""

import re
import uuid
from collections import Counter
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from appeals import counters, tasks
from appeals.models import Appeal, AppealTally, PeriodicWork, Signature
from appeals.privacy import purge_expired_submissions
from appeals.signing import Confirmation, confirm
from tests.builders import make_signature

pytestmark = pytest.mark.django_db

WITH_A_WORKER = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
WRITE = re.compile(r'^\s*(?:UPDATE|INSERT INTO|DELETE FROM)\s+"(\w+)"', re.IGNORECASE)


def written_tables(queries):
    return {match.group(1) for query in queries if (match := WRITE.match(query["sql"]))}


def submission(appeal, number=0, **fields):
    """An unconfirmed submission and the token that confirms it."""
    signature = make_signature(
        appeal, email=f"signer{number}@example.org", confirmed_at=None, **fields
    )
    token = signature.issue_token()
    signature.save()
    return token


def confirmed(appeal, keys):
    """Confirmed signatures not counted yet: one per (language, country) in ``keys``."""
    now = timezone.now()
    batch = uuid.uuid4().hex[:8]
    return Signature.objects.bulk_create(
        Signature(
            appeal=appeal,
            language=language,
            country=country,
            name=f"Signer {number}",
            email=f"{batch}-{number}@example.org",
            email_key=f"{batch}-{number}@example.org",
            consent_version="1",
            confirmed_at=now,
        )
        for number, (language, country) in enumerate(keys)
    )


def another_appeal():
    return Appeal.objects.create(case_key=uuid.uuid4(), block_id=uuid.uuid4())


def count_of(appeal):
    appeal.refresh_from_db()
    return counters.current(appeal)


# Confirming


@WITH_A_WORKER
def test_with_a_task_worker_confirming_writes_only_the_signatures_own_row(appeal):
    token = submission(appeal)
    with CaptureQueriesContext(connection) as queries:
        outcome, _signature = confirm(token)
    assert outcome is Confirmation.CONFIRMED
    assert written_tables(queries) == {"appeals_signature"}  # no count, no tally, no task
    assert count_of(appeal) == 0
    assert counters.fold() == 1
    assert count_of(appeal) == 1


def test_where_tasks_run_at_once_a_confirmation_is_counted_at_once(appeal):
    token = submission(appeal, language="fr", country="FR")
    assert confirm(token)[0] is Confirmation.CONFIRMED
    assert count_of(appeal) == 1
    assert AppealTally.objects.by_language(appeal) == {"fr": 1}
    assert Signature.objects.get().counted_at is not None


def test_a_link_confirmed_twice_is_folded_once(appeal):
    token = submission(appeal)
    confirm(token)
    assert confirm(token)[0] is Confirmation.ALREADY_CONFIRMED
    assert counters.fold() == 0
    assert count_of(appeal) == 1


# The fold


def test_the_fold_counts_every_confirmed_signature_once_with_its_tallies(appeal):
    other = another_appeal()
    confirmed(appeal, [("fr", "FR")] * 4 + [("en", "GB")] * 2 + [("ar", "FR")])
    confirmed(other, [("ru", "RU")] * 3)
    make_signature(appeal, email="pending@example.org", confirmed_at=None)  # not confirmed

    assert counters.fold(batch_size=3) == 10
    assert (count_of(appeal), count_of(other)) == (7, 3)
    assert AppealTally.objects.by_language(appeal) == {"fr": 4, "en": 2, "ar": 1}
    assert AppealTally.objects.by_country(appeal) == {"FR": 5, "GB": 2}
    assert AppealTally.objects.by_country(other) == {"RU": 3}

    assert counters.fold() == 0  # nothing is counted twice
    assert count_of(appeal) == 7
    assert counters.recount(Appeal.objects.all()) == []


def test_a_fold_adds_to_the_counts_already_kept(appeal):
    confirmed(appeal, [("fr", "FR")] * 2)
    counters.fold()
    confirmed(appeal, [("fr", "FR"), ("es", "ES")])
    counters.fold()
    assert count_of(appeal) == 4
    assert AppealTally.objects.by_language(appeal) == {"fr": 3, "es": 1}


def fold_queries(*appeals_and_keys):
    for appeal, keys in appeals_and_keys:
        confirmed(appeal, keys)
    with CaptureQueriesContext(connection) as queries:
        counters.fold(batch_size=1000)
    return len(queries)


def test_a_batch_takes_the_same_statements_however_many_appeals_and_tallies(appeal):
    one = fold_queries((appeal, [("en", "GB")] * 3))
    many = fold_queries(
        *[(another_appeal(), [(language, "FR"), (language, "LB"), ("en", "US")])
          for language in ["fr", "es", "ru", "ar", "fa"] for _ in range(2)]
    )  # fmt: skip
    assert one == many


def test_the_tallies_are_read_in_one_query_per_lookup(appeal):
    confirmed(appeal, [("fr", "FR"), ("en", "GB"), ("en", "FR")])
    counters.fold()
    with CaptureQueriesContext(connection) as queries:
        AppealTally.objects.by_language(appeal)
        AppealTally.objects.by_country(appeal)
    assert len(queries) == 2


def test_a_fold_interrupted_half_way_loses_nothing_and_counts_nothing_twice(appeal, monkeypatch):
    confirmed(appeal, [("fr", "FR")] * 5)
    add = counters.add_to_counts
    calls = Counter()

    def fail_the_second_batch(added):
        calls["batches"] += 1
        if calls["batches"] == 2:
            raise ConnectionError("the worker was stopped")
        add(added)

    monkeypatch.setattr(counters, "add_to_counts", fail_the_second_batch)
    with pytest.raises(ConnectionError):
        counters.fold(batch_size=2)
    # The first batch is kept whole; the second left no mark and no count.
    assert count_of(appeal) == 2
    assert Signature.objects.filter(counted_at__isnull=False).count() == 2

    monkeypatch.setattr(counters, "add_to_counts", add)
    assert counters.fold(batch_size=2) == 3
    assert count_of(appeal) == 5
    assert AppealTally.objects.by_language(appeal) == {"fr": 5}


# Recount, removal, purge


def test_recount_reports_and_fixes_a_drifted_count_and_rebuilds_its_tallies(appeal):
    confirmed(appeal, [("fr", "FR")] * 3 + [("en", "GB")])
    counters.fold()
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=40)
    AppealTally.objects.filter(appeal=appeal, language="en").delete()
    AppealTally.objects.create(appeal=appeal, language="ru", country="RU", count=9)

    (drift,) = counters.recount(Appeal.objects.all(), fix=False)
    assert (drift.counter, drift.rows, drift.tallies) == (40, 4, True)
    assert count_of(appeal) == 40  # a dry run changes nothing

    counters.recount(Appeal.objects.all())
    assert count_of(appeal) == 4
    assert AppealTally.objects.by_language(appeal) == {"fr": 3, "en": 1}
    assert counters.recount(Appeal.objects.all()) == []


def test_recount_fixes_tallies_that_drifted_under_a_right_count(appeal):
    confirmed(appeal, [("fr", "FR"), ("en", "GB")])
    counters.fold()
    AppealTally.objects.filter(appeal=appeal, language="fr").update(language="es")
    out = StringIO()
    call_command("appeals_recount", stdout=out)
    assert "counter 2, rows 2, tallies by language and country drifted" in out.getvalue()
    assert AppealTally.objects.by_language(appeal) == {"en": 1, "fr": 1}


def test_recount_leaves_signatures_not_folded_yet_to_the_fold(appeal):
    confirmed(appeal, [("fr", "FR")])
    counters.fold()
    confirmed(appeal, [("fr", "FR")] * 2)  # confirmed meanwhile
    assert counters.recount(Appeal.objects.all()) == []
    assert counters.fold() == 2
    assert count_of(appeal) == 3


def test_a_counted_signature_removed_leaves_its_count_and_tallies(appeal):
    first, _second = confirmed(appeal, [("fr", "FR"), ("en", "GB")])
    counters.fold()
    assert counters.signature_removed(first)
    first.delete()
    assert count_of(appeal) == 1
    assert AppealTally.objects.by_language(appeal) == {"en": 1}
    assert counters.recount(Appeal.objects.all()) == []


def test_a_signature_removed_before_it_was_folded_subtracts_nothing(appeal):
    confirmed(appeal, [("fr", "FR")])
    counters.fold()
    (not_yet,) = confirmed(appeal, [("fr", "FR")])
    assert not counters.signature_removed(not_yet)
    not_yet.delete()
    assert counters.fold() == 0
    assert count_of(appeal) == 1
    assert AppealTally.objects.by_language(appeal) == {"fr": 1}


def test_a_signature_taken_out_but_kept_confirmed_is_counted_again(appeal):
    (signature,) = confirmed(appeal, [("fr", "FR")])
    counters.fold()
    counters.signature_removed(signature)
    assert count_of(appeal) == 0
    assert counters.fold() == 1  # still confirmed: the count stays true to the rows
    assert count_of(appeal) == 1


def test_the_purge_of_expired_submissions_never_touches_counted_signatures(appeal):
    long_ago = timezone.now() - timedelta(days=30)
    confirmed(appeal, [("fr", "FR")] * 2)
    Signature.objects.update(created_at=long_ago)
    counters.fold()
    make_signature(appeal, email="late@example.org", confirmed_at=None, created_at=long_ago)
    assert purge_expired_submissions() == 1
    assert Signature.objects.folded().count() == 2
    assert count_of(appeal) == 2
    assert counters.recount(Appeal.objects.all()) == []


def test_the_fold_command_reports_what_it_counted(appeal):
    confirmed(appeal, [("fr", "FR")] * 3)
    out = StringIO()
    call_command("appeals_fold_counts", "--batch-size", "2", stdout=out)
    assert out.getvalue().strip() == "Counted 3 signatures."
    assert count_of(appeal) == 3


# Periodic work


def queued(task):
    return DBTaskResult.objects.filter(task_path=task.module_path).order_by("enqueued_at")


def run(db_result):
    """Run a queued task as the worker does."""
    result = db_result.task_result
    return db_result.task.call(*result.args, **result.kwargs)


@WITH_A_WORKER
def test_a_fold_chain_counts_and_enqueues_its_next_run_after_the_interval(appeal):
    tasks.start_chain(tasks.fold_counts)
    (first,) = queued(tasks.fold_counts)
    confirmed(appeal, [("fr", "FR")] * 2)

    started = timezone.now()
    assert run(first) == 2
    assert count_of(appeal) == 2
    following = queued(tasks.fold_counts).exclude(pk=first.pk).get()
    assert following.args_kwargs == first.args_kwargs  # the same chain
    interval = timedelta(seconds=10)
    assert started + interval <= following.run_after <= timezone.now() + interval
    work = PeriodicWork.objects.get(name=tasks.fold_counts.module_path)
    assert work.last_started_at >= started


@WITH_A_WORKER
@override_settings(APPEALS_COUNT_INTERVAL=2)
def test_the_count_interval_is_a_setting(appeal):
    tasks.start_chain(tasks.fold_counts)
    started = timezone.now()
    run(queued(tasks.fold_counts).get())
    following = queued(tasks.fold_counts).last()
    assert following.run_after <= timezone.now() + timedelta(seconds=2)
    assert following.run_after >= started + timedelta(seconds=2)


@WITH_A_WORKER
def test_a_replaced_chain_stops_and_the_new_one_runs_alone(appeal):
    tasks.start_chain(tasks.fold_counts)
    tasks.start_chain(tasks.fold_counts)  # a second deploy
    old, new = queued(tasks.fold_counts)
    confirmed(appeal, [("fr", "FR")])

    assert run(old) is None  # stopped: no count, no next run
    assert queued(tasks.fold_counts).count() == 2
    assert count_of(appeal) == 0
    assert run(new) == 1
    assert queued(tasks.fold_counts).count() == 3


@WITH_A_WORKER
def test_a_run_that_fails_keeps_its_chain(appeal, monkeypatch):
    tasks.start_chain(tasks.fold_counts)
    (first,) = queued(tasks.fold_counts)

    def database_gone(*args, **kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(counters, "fold", database_gone)
    with pytest.raises(ConnectionError):
        run(first)
    assert queued(tasks.fold_counts).count() == 2  # the next run was enqueued first


@WITH_A_WORKER
def test_the_schedule_command_starts_each_chain_once_at_every_deploy():
    call_command("appeals_schedule", stdout=StringIO())
    out = StringIO()
    call_command("appeals_schedule", stdout=out)
    for task in tasks.PERIODIC_TASKS:
        assert task.name in out.getvalue()
        live = str(PeriodicWork.objects.get(name=task.module_path).chain)
        chains = [result.args_kwargs["kwargs"]["chain"] for result in queued(task)]
        assert len(chains) == 2 and chains[-1] == live
        assert run(queued(task).first()) is None  # the first deploy's chain stops


@WITH_A_WORKER
def test_the_daily_chains_start_at_the_daily_time_and_recount_and_purge(appeal):
    confirmed(appeal, [("fr", "FR")])
    counters.fold()
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=7)
    call_command("appeals_schedule", stdout=StringIO())
    recount = queued(tasks.recount_counts).get()
    assert timezone.localtime(recount.run_after).time() == time(3, 0)
    assert recount.run_after > timezone.now()
    assert run(recount) == 1
    assert count_of(appeal) == 1
    assert run(queued(tasks.purge_personal_data).get()) == {"expired": 0, "anonymised": 0}
    following = queued(tasks.recount_counts).last()
    assert timezone.localtime(following.run_after).time() == time(3, 0)
    assert following.run_after > timezone.now() + timedelta(hours=12)


@override_settings(APPEALS_DAILY_WORK_AT=time(3, 30))
def test_the_daily_time_is_the_next_one_to_come():
    zone = timezone.get_current_timezone()
    night = datetime(2026, 3, 1, 2, 0, tzinfo=zone)
    morning = datetime(2026, 3, 1, 4, 0, tzinfo=zone)
    assert tasks.at_the_daily_time(night) == datetime(2026, 3, 1, 3, 30, tzinfo=zone)
    assert tasks.at_the_daily_time(morning) == datetime(2026, 3, 2, 3, 30, tzinfo=zone)


def test_a_daily_run_a_little_early_or_late_runs_next_on_the_following_day():
    zone = timezone.get_current_timezone()
    tomorrow = datetime(2026, 3, 2, 3, 0, tzinfo=zone)
    for started in [(2, 59, 50), (3, 0, 5), (11, 0, 0)]:
        now = datetime(2026, 3, 1, *started, tzinfo=zone)
        assert tasks.at_the_daily_time_tomorrow(now) == tomorrow


def test_the_schedule_command_refuses_a_backend_that_cannot_defer():
    with pytest.raises(CommandError, match="cannot hold them for later"):
        call_command("appeals_schedule", stdout=StringIO())
    assert not PeriodicWork.objects.exists()


def test_a_one_off_fold_needs_no_chain(appeal):
    confirmed(appeal, [("fr", "FR")])
    result = tasks.fold_counts.enqueue()
    assert result.return_value == 1
    assert not PeriodicWork.objects.exists()


def test_the_migration_counts_the_signatures_confirmed_before_it_once(appeal):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("appeals.migrations.0005_counts_folded_periodically")
    # Before it, confirming added to the count at once: these are in it already.
    confirmed(appeal, [("fr", "FR")] * 2 + [("en", "GB")])
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=3)
    migration.count_the_confirmed_signatures(apps, None)
    assert counters.fold() == 0
    assert count_of(appeal) == 3
    assert AppealTally.objects.by_language(appeal) == {"fr": 2, "en": 1}


@WITH_A_WORKER
@override_settings(APPEALS_EMAIL_RETRY_INTERVAL=300)
def test_the_email_retry_chain_queues_again_every_email_still_due(appeal):
    from appeals.models.signatures import EmailDue

    make_signature(appeal, confirmed_at=None, email_due=EmailDue.CONFIRM)
    make_signature(appeal, email="sent@example.org", confirmed_at=None)
    started = timezone.now()
    first = tasks.start_chain(tasks.retry_due_emails)
    assert first.task.run_after >= started + timedelta(seconds=300)
    assert run(queued(tasks.retry_due_emails).get()) == 1
    assert queued(tasks.send_signature_email).count() == 1
    following = queued(tasks.retry_due_emails).last()
    assert following.run_after >= started + timedelta(seconds=300)
    assert following.pk != queued(tasks.retry_due_emails).first().pk
