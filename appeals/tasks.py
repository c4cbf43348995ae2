"""Every background job, and the periodic ones' schedules.

A periodic job runs as a chain of tasks, each run enqueuing the next one
(``manage.py appeals_schedule`` starts the chains, at every deploy): no daemon
and no cron beside the task worker. Only a task backend that defers tasks
(``supports_defer``, as django-tasks-db's does) can hold a chain.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from appeals import counters, delivery, delivery_by_email, informing, privacy, redaction
from appeals.conf import appeals_conf
from appeals.emails import send_due_email
from appeals.models import Appeal, Delivery, PeriodicWork, Signature


@task()
def send_signature_email(signature_id):
    """Send the e-mail due for a submission. A failure leaves it due for the next retry."""
    return send_due_email(signature_id)


@task()
def make_delivery_pdf(delivery_id):
    """Draw a delivery pack's PDF from its stored print page: a minute and more for ten
    thousand signatories, longer than a request may take. Returns its size, or None."""
    return delivery.draw_pdf(delivery_id)


@task()
def send_delivery_test(delivery_id, address, language):
    """Send a delivery's e-mail to the manager who asked, marked as a test."""
    return delivery_by_email.send_test(delivery_id, address, language)


@task()
def send_delivery_email(delivery_id):
    """Send a delivery a manager confirmed, if its time has come; else, where the
    backend can wait, enqueue this again for its time (sending hours, the hourly cap,
    a retry). Returns what it did."""
    done = delivery_by_email.attempt(delivery_id)
    if done.retry_at is not None and can_defer(send_delivery_email):
        send_delivery_email.using(run_after=done.retry_at).enqueue(delivery_id)
    return done.outcome


@task()
def rebuild_delivery_packs(delivery_ids):
    """Make again the files of deliveries redacted by an erasure, a withdrawal or the
    purge, without the signatories taken out, then have their PDFs drawn. Returns the
    ids of those it made again."""
    rebuilt = [delivery_id for delivery_id in delivery_ids if redaction.rebuild(delivery_id)]
    for delivery_id in rebuilt:
        make_delivery_pdf.enqueue(delivery_id)
    return rebuilt


@task()
def send_signer_update(mailing_id):
    """Send a timeline entry to the signers due it, APPEALS_UPDATE_EMAILS_PER_MINUTE at a
    time: where the backend can defer, the next batch a minute later (after a failed
    send, after APPEALS_EMAIL_RETRY_INTERVAL); else every batch at once, stopping at a
    failure. Returns how many it sent."""
    sent = 0
    while True:
        batch = informing.send_batch(mailing_id, appeals_conf.UPDATE_EMAILS_PER_MINUTE)
        sent += batch.sent
        if not batch.due:
            return sent
        if can_defer(send_signer_update):
            wait = appeals_conf.EMAIL_RETRY_INTERVAL if batch.failed else 60
            later = timezone.now() + timedelta(seconds=wait)
            send_signer_update.using(run_after=later).enqueue(mailing_id)
            return sent
        if batch.failed or not batch.progressed:
            return sent  # left due: a later send (the desk's button) carries on


@task()
def fold_counts(chain=None):
    """Add the signatures confirmed since the last fold to the counts and tallies.

    Without ``chain``, once, counting everything confirmed before it began; as a link
    of a chain, again every APPEALS_COUNT_INTERVAL seconds, never waiting on a row a
    signer's transaction holds (the next run counts it). Returns how many signatures
    it counted.
    """
    if not carry_on(fold_counts, chain):
        return None
    return counters.fold(wait=chain is None)


@task()
def recount_counts(chain=None):
    """Recount every appeal from its signature rows, correcting any drift of a count or
    its tallies (daily, as a chain). Returns how many appeals had drifted."""
    if not carry_on(recount_counts, chain):
        return None
    return len(counters.recount(Appeal.objects.all()))


@task()
def purge_personal_data(chain=None):
    """Delete unconfirmed submissions whose link has expired, anonymise the signatures
    of appeals ended more than APPEALS_RETENTION_DAYS ago, and have the files of any
    redacted pack still without them made again (daily, as a chain). Returns how many
    submissions it deleted and how many signatures it anonymised."""
    if not carry_on(purge_personal_data, chain):
        return None
    purged = privacy.purge()
    rebuild_left_over_packs()
    return {"expired": purged.expired, "anonymised": purged.anonymised.total}


def rebuild_left_over_packs():
    """Have the files made again of every pack a redaction left without them: its rebuild
    failed, or a worker lost it. Those redacted just now are queued already, and a rebuild
    run twice makes them once."""
    left_over = list(Delivery.objects.being_rebuilt().values_list("pk", flat=True))
    if left_over:
        rebuild_delivery_packs.enqueue(left_over)


@task()
def retry_due_emails(chain=None):
    """Queue again every signer e-mail not sent yet whose link still works (every
    APPEALS_EMAIL_RETRY_INTERVAL seconds, as a chain): a mail server that was down
    gets them once it is back. Returns how many it queued."""
    if not carry_on(retry_due_emails, chain):
        return None
    return queue_due_emails()


def queue_due_emails():
    """Queue a send for every e-mail due, a signer's or a delivery's whose time has come
    (a worker that was down, a backend that cannot wait); the send finds out whether it
    still is."""
    queued = 0
    for signature_id in Signature.objects.email_due().values_list("pk", flat=True).iterator():
        send_signature_email.enqueue(signature_id)
        queued += 1
    for delivery_id in Delivery.objects.due_to_send().values_list("pk", flat=True):
        send_delivery_email.enqueue(delivery_id)
        queued += 1
    return queued


def at_once(now: datetime) -> datetime:
    return now


def after_the_count_interval(now: datetime) -> datetime:
    return now + timedelta(seconds=appeals_conf.COUNT_INTERVAL)


def after_the_email_retry_interval(now: datetime) -> datetime:
    return now + timedelta(seconds=appeals_conf.EMAIL_RETRY_INTERVAL)


def at_the_daily_time(now: datetime) -> datetime:
    """The next APPEALS_DAILY_WORK_AT after ``now``, in the project's time zone."""
    local = timezone.localtime(now)
    at = appeals_conf.DAILY_WORK_AT
    next_run = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return next_run if next_run > local else next_run + timedelta(days=1)


def at_the_daily_time_tomorrow(now: datetime) -> datetime:
    """The daily time at least half a day after a run started at ``now``: a run a little
    early (a worker's clock behind) or late (a long queue) is still once a day."""
    return at_the_daily_time(now + timedelta(hours=12))


@dataclass(frozen=True)
class Schedule:
    first_run: Callable[[datetime], datetime]
    next_run: Callable[[datetime], datetime]


# Each periodic job's schedule: when its chain's first run is due, and its next one
# after a run that starts at ``now``.
SCHEDULES = {
    fold_counts.module_path: Schedule(at_once, after_the_count_interval),
    recount_counts.module_path: Schedule(at_the_daily_time, at_the_daily_time_tomorrow),
    purge_personal_data.module_path: Schedule(at_the_daily_time, at_the_daily_time_tomorrow),
    retry_due_emails.module_path: Schedule(
        after_the_email_retry_interval, after_the_email_retry_interval
    ),
}
PERIODIC_TASKS = [fold_counts, recount_counts, purge_personal_data, retry_due_emails]


def can_defer(task) -> bool:
    """Whether ``task``'s backend can hold a run for later (a worker's queue can;
    the immediate backend of development runs every task at once)."""
    return task.get_backend().supports_defer


def start_chain(task, *, now=None):
    """Start ``task``'s periodic chain, replacing the one running (if any); the first run's
    result. The fold starts at once, the daily work at its next daily time."""
    chain = str(PeriodicWork.objects.start_chain(task.module_path))
    first_run = SCHEDULES[task.module_path].first_run(now or timezone.now())
    return task.using(run_after=first_run).enqueue(chain=chain)


def carry_on(task, chain) -> bool:
    """Whether this run of ``task`` goes ahead.

    A one-off run (no ``chain``) does. A run of a chain replaced by a newer one
    stops, leaving that one to run alone; any other first enqueues the chain's
    next run, so that a run that fails keeps its chain.
    """
    if chain is None:
        return True
    if not PeriodicWork.objects.claim(task.module_path, chain):
        return False
    next_run = SCHEDULES[task.module_path].next_run(timezone.now())
    task.using(run_after=next_run).enqueue(chain=chain)
    return True
