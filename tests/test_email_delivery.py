"""Delivery by e-mail: a test to the manager first; then, once confirmed, the letter once
with its signatories attached, through the task queue, within the appeal's sending hours
and under its hourly cap, retried on failure; cancellable until it has gone."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from appeals import delivering, privacy, tasks
from appeals.admin import log_actions
from appeals.models import CasePage, DeliveredSignature, Delivery, DeliveryState, Signature
from appeals.sending_hours import SendingHours, next_send_time
from tests.builders import make_user
from tests.test_deliveries import prepare, signatures
from tests.test_delivery_desk import messages_of

pytestmark = pytest.mark.django_db

# In Moscow (UTC+3), where the seed case's ministry reads its mail.
WEDNESDAY_MORNING = datetime(2027, 1, 6, 7, 30, tzinfo=UTC)  # 10:30 in Moscow
FRIDAY_EVENING = datetime(2027, 1, 8, 15, 0, tzinfo=UTC)  # 18:00 in Moscow
MONDAY_OPENING = datetime(2027, 1, 11, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
DEAD_SMTP = override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=9,  # nothing listens: the connection is refused
    EMAIL_TIMEOUT=2,
)


@pytest.fixture
def appeal(appeal):
    appeal.email_time_zone = "Europe/Moscow"
    appeal.save()
    return appeal


@pytest.fixture
def manager():
    return make_user("manager", groups=["Campaign managers"])


def at(moment):
    return time_machine.travel(moment, tick=False)


def prepared(appeal, number=3, start=0, manager=None):
    signatures(appeal, number, start=start)
    made = prepare(appeal, user=manager, method="email")
    assert made.outcome == "made"
    return made.delivery


def with_test_sent(delivery, address="manager@example.org"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert delivering.request_test(delivery, address=address, language="en")
    delivery.refresh_from_db()
    return delivery


def queue(delivery, user=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        outcome = delivering.queue_email(delivery, user=user)
    delivery.refresh_from_db()
    return outcome


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_the_test_goes_to_the_manager_marked_as_a_test_with_the_attachments(appeal, manager):
    delivery = with_test_sent(prepared(appeal, manager=manager))
    (test,) = mail.outbox
    assert test.to == ["manager@example.org"]
    assert test.subject.startswith("[Test] ")
    assert "3 signatures" in test.subject
    assert "Dear Prosecutor," in test.body
    assert "Attached: the 3 signatories of this letter, as PDF and as CSV." in test.body
    names = sorted(name for name, _content, _type in test.attachments)
    assert names == sorted(f.name for f in delivery.files.exclude(format="html"))
    pdf = next(content for name, content, _type in test.attachments if name.endswith(".pdf"))
    assert pdf.startswith(b"%PDF")
    csv = next(content for name, content, _type in test.attachments if name.endswith(".csv"))
    assert "Signer 0" in (csv.decode("utf-8-sig") if isinstance(csv, bytes) else csv)
    assert delivery.test_sent_to == "manager@example.org"
    assert delivery.state == DeliveryState.PREPARED  # a test delivers nothing


def test_nothing_leaves_untested_or_unconfirmed(appeal):
    delivery = prepared(appeal)
    assert queue(delivery) == "untested"
    assert delivery.state == DeliveryState.PREPARED
    assert mail.outbox == []


def test_within_the_sending_hours_it_goes_once_with_its_signatories(appeal, manager):
    with at(WEDNESDAY_MORNING):
        delivery = with_test_sent(prepared(appeal, manager=manager))
        mail.outbox.clear()
        assert queue(delivery, manager) == "queued"
        # A second click, and the same task run again, send nothing more.
        assert queue(delivery, manager) == "already"
        assert tasks.send_delivery_email.call(delivery.pk) == "not_due"
    (sent,) = mail.outbox
    assert sent.to == ["office@example.org"]
    assert not sent.subject.startswith("[Test]")
    assert sent.extra_headers["Message-ID"]
    assert len(sent.attachments) == 2
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.delivered_at == WEDNESDAY_MORNING
    assert delivery.email_to == "office@example.org"
    assert delivery.message_id == sent.extra_headers["Message-ID"]
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(appeal.pk)).values_list("action", flat=True)
    )
    assert log_actions.SEND_DELIVERY in actions
    assert log_actions.DELIVER in actions


def test_outside_the_sending_hours_it_waits_for_the_next_opening(appeal):
    with at(FRIDAY_EVENING):
        delivery = with_test_sent(prepared(appeal))
        mail.outbox.clear()
        assert queue(delivery) == "queued"
    assert mail.outbox == []
    assert delivery.state == DeliveryState.QUEUED
    assert delivery.send_after == MONDAY_OPENING  # Saturday and Sunday skipped
    with at(MONDAY_OPENING - timedelta(minutes=1)):
        assert tasks.queue_due_emails() == 0
    with at(MONDAY_OPENING):
        assert tasks.queue_due_emails() == 1
    assert sent_to("office@example.org")
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED


def test_the_sending_hours_are_the_recipients(appeal):
    hours = SendingHours.of(appeal)
    assert hours.contains(WEDNESDAY_MORNING)
    assert not hours.contains(datetime(2027, 1, 6, 14, 30, tzinfo=UTC))  # 17:30 in Moscow
    appeal.email_weekdays_only = False
    appeal.email_hours_start, appeal.email_hours_end = time(8, 0), time(20, 0)
    saturday = datetime(2027, 1, 9, 16, 0, tzinfo=UTC)  # 19:00 in Moscow
    assert next_send_time(appeal, saturday) == saturday
    late = datetime(2027, 1, 9, 17, 0, tzinfo=UTC)  # 20:00: the next morning at 8
    assert next_send_time(appeal, late) == datetime(2027, 1, 10, 5, 0, tzinfo=UTC)


def test_the_hourly_cap_spreads_the_deliveries_out(appeal):
    appeal.emails_per_hour = 1
    appeal.save()
    with at(WEDNESDAY_MORNING):
        first = with_test_sent(prepared(appeal, 2))
        assert queue(first) == "queued"
    with at(WEDNESDAY_MORNING + timedelta(minutes=10)):
        second = with_test_sent(prepared(appeal, 2, start=2))
        mail.outbox.clear()
        assert queue(second) == "queued"
    assert mail.outbox == []
    assert second.send_after == WEDNESDAY_MORNING + timedelta(hours=1)
    with at(WEDNESDAY_MORNING + timedelta(hours=1)):
        assert tasks.queue_due_emails() == 1
    assert len(sent_to("office@example.org")) == 1
    second.refresh_from_db()
    assert second.state == DeliveryState.DELIVERED


def test_a_cancelled_delivery_sends_nothing(appeal):
    with at(FRIDAY_EVENING):
        delivery = with_test_sent(prepared(appeal))
        queue(delivery)
        assert delivering.cancel(delivery, user=None)
    mail.outbox.clear()
    with at(MONDAY_OPENING):
        assert tasks.queue_due_emails() == 0
        assert tasks.send_delivery_email.call(delivery.pk) == "not_due"
    assert mail.outbox == []
    assert not DeliveredSignature.objects.filter(delivery=delivery).exists()


@override_settings(APPEALS_DELIVERY_ATTEMPTS=2, APPEALS_DELIVERY_RETRY_DELAY=600)
def test_a_failed_send_is_retried_then_frees_its_signatures(appeal):
    with at(WEDNESDAY_MORNING):
        delivery = with_test_sent(prepared(appeal, 3))
        with DEAD_SMTP:
            assert queue(delivery) == "queued"
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.QUEUED
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert delivery.send_after == WEDNESDAY_MORNING + timedelta(seconds=600)
    with at(WEDNESDAY_MORNING + timedelta(seconds=600)), DEAD_SMTP:
        assert tasks.queue_due_emails() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.attempts == 2
    assert not DeliveredSignature.objects.filter(delivery=delivery).exists()
    # Two deliveries and a failed send: every signature once, none missing.
    with at(WEDNESDAY_MORNING + timedelta(hours=1)):
        second = with_test_sent(prepared(appeal, 2, start=3))
        assert queue(second) == "queued"
    assert second.state == DeliveryState.DELIVERED
    assert second.signature_count == 5
    confirmed = set(Signature.objects.confirmed().values_list("pk", flat=True))
    delivered = list(
        DeliveredSignature.objects.filter(delivery__state=DeliveryState.DELIVERED).values_list(
            "signature", flat=True
        )
    )
    assert sorted(delivered) == sorted(confirmed)
    assert ModelLogEntry.objects.filter(action=log_actions.FAIL_DELIVERY).count() == 1


def test_a_recipient_whose_address_is_gone_is_not_sent_to(appeal):
    delivery = with_test_sent(prepared(appeal))
    source = appeal.get_source_page()
    for block in source.body:
        if block.block_type == "recipient":
            block.value["email"] = ""
    source.save_revision().publish()
    assert queue(delivery) == "no_address"
    assert delivery.state == DeliveryState.PREPARED


def test_a_failed_test_is_shown_and_lets_nothing_go(appeal):
    delivery = prepared(appeal)
    with DEAD_SMTP:
        with_test_sent(delivery)
    assert delivery.test_sent_at is None
    assert "ConnectionRefusedError" in delivery.last_error
    assert queue(delivery) == "untested"


def test_the_delivery_keeps_the_letter_it_was_prepared_with(appeal):
    delivery = prepared(appeal)
    assert "Dear Prosecutor," in delivery.letter_text
    assert delivery.letter_subject == appeal.get_source_page().title
    assert timezone.is_aware(delivery.prepared_at)
    assert Delivery.objects.due_to_send().count() == 0


def desk(name, *args):
    return reverse(f"appeals_deliveries:{name}", args=args)


def test_a_manager_tests_confirms_and_sends_from_the_desk(
    client, manager, appeal, django_capture_on_commit_callbacks
):
    with at(WEDNESDAY_MORNING):
        delivery = prepared(appeal)
        client.force_login(manager)
        page = client.get(desk("delivery", delivery.pk)).content.decode()
        assert "office@example.org" in page
        assert desk("test", delivery.pk) in page
        assert desk("send", delivery.pk) not in page  # not before a test
        assert desk("delivered", delivery.pk) not in page  # e-mail goes through the queue
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(desk("test", delivery.pk))
        assert "The test is on its way to manager@example.org" in messages_of(response)[0]
        page = client.get(desk("delivery", delivery.pk)).content.decode()
        assert desk("send", delivery.pk) in page
        unticked = client.post(desk("send", delivery.pk), {})
        assert unticked.status_code == 200
        assert "Tick the box to confirm" in unticked.content.decode()
        assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.PREPARED
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(desk("send", delivery.pk), {"confirmed": "on"})
            again = client.post(desk("send", delivery.pk), {"confirmed": "on"})
    assert "The delivery is queued" in messages_of(sent)[0]
    assert "nothing more is sent" in messages_of(again)[-1]
    assert len(sent_to("office@example.org")) == 1
    page = client.get(desk("delivery", delivery.pk)).content.decode()
    assert "Sent to office@example.org" in page
    assert desk("cancel", delivery.pk) not in page


def test_a_manager_without_an_address_is_told_how_to_get_the_test(client, appeal):
    delivery = prepared(appeal)
    nobody = make_user("nobody", groups=["Campaign managers"])
    nobody.email = ""
    nobody.save()
    client.force_login(nobody)
    response = client.post(desk("test", delivery.pk))
    assert "Your account has no e-mail address" in messages_of(response)[0]
    assert mail.outbox == []


def test_the_sending_hours_are_set_per_appeal_and_checked(client, manager, appeal):
    client.force_login(manager)
    form = client.get(desk("sending_hours", appeal.pk)).content.decode()
    assert "Europe/Moscow" in form
    bad = client.post(
        desk("sending_hours", appeal.pk),
        {"email_hours_start": "18:00", "email_hours_end": "09:00", "emails_per_hour": "0"},
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "The sending hours must end after they start." in text
    assert "Ensure this value is greater than or equal to 1." in text
    saved = client.post(
        desk("sending_hours", appeal.pk),
        {
            "email_hours_start": "08:30",
            "email_hours_end": "12:00",
            "email_time_zone": "Asia/Yerevan",
            "emails_per_hour": "5",
        },
    )
    assert saved.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.email_hours_start, appeal.email_hours_end) == (time(8, 30), time(12, 0))
    assert appeal.email_time_zone == "Asia/Yerevan"
    assert appeal.emails_per_hour == 5
    assert appeal.email_weekdays_only is False  # unticked
    unknown = client.post(
        desk("sending_hours", appeal.pk),
        {"email_hours_start": "08:30", "email_hours_end": "12:00", "email_time_zone": "Mars/Base",
         "emails_per_hour": "5"},
    )  # fmt: skip
    assert unknown.status_code == 200
    appeal.refresh_from_db()
    assert appeal.email_time_zone == "Asia/Yerevan"


def test_a_pack_whose_files_are_missing_waits_rather_than_goes_bare(appeal):
    with at(WEDNESDAY_MORNING):
        delivery = with_test_sent(prepared(appeal))
        mail.outbox.clear()
        delivery.files.filter(format="csv").delete()  # being made again
        assert queue(delivery) == "queued"
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.QUEUED
    assert delivery.attempts == 0
    assert delivery.send_after == WEDNESDAY_MORNING + timedelta(minutes=1)


def interrupted_send(appeal, since):
    """A delivery a worker took to send at ``since`` and never finished (it stopped)."""
    delivery = with_test_sent(prepared(appeal))
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, claimed_at=since, attempts=1, email_to="office@example.org"
    )
    delivery.refresh_from_db()
    return delivery


def test_an_interrupted_send_is_left_to_a_manager_who_sends_it_again(client, manager, appeal):
    with at(WEDNESDAY_MORNING):
        delivery = interrupted_send(appeal, WEDNESDAY_MORNING - timedelta(minutes=5))
        assert not delivery.was_interrupted  # it may still be going on
        assert not delivering.send_again(delivery, user=manager)
    later = WEDNESDAY_MORNING + timedelta(minutes=20)
    with at(later):
        delivery.refresh_from_db()
        assert delivery.was_interrupted
        assert tasks.queue_due_emails() == 0  # never sent again by itself
        client.force_login(manager)
        page = client.get(desk("delivery", delivery.pk)).content.decode()
        assert "was interrupted: it may or may not have left" in page
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = client.post(desk("send_again", delivery.pk))
        assert "queued again" in messages_of(response)[-1]
    assert len(sent_to("office@example.org")) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.attempts == 2


def test_an_interrupted_send_that_left_is_marked_delivered(appeal):
    with at(WEDNESDAY_MORNING):
        delivery = interrupted_send(appeal, WEDNESDAY_MORNING - timedelta(hours=2))
        assert delivering.mark_delivered(delivery, delivered_at=WEDNESDAY_MORNING, user=None)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED


def test_an_interrupted_send_stops_holding_a_place_under_the_cap(appeal):
    appeal.emails_per_hour = 1
    appeal.save()
    with at(WEDNESDAY_MORNING):
        interrupted_send(appeal, WEDNESDAY_MORNING - timedelta(minutes=10))
        assert next_send_time(appeal, WEDNESDAY_MORNING) > WEDNESDAY_MORNING
        later = WEDNESDAY_MORNING + timedelta(hours=1)
        assert next_send_time(appeal, later) == later


def test_a_signer_erased_while_the_delivery_waits_is_not_in_what_it_sends(appeal):
    with at(FRIDAY_EVENING):
        delivery = with_test_sent(prepared(appeal, 3))
        assert queue(delivery) == "queued"
        with TestCase.captureOnCommitCallbacks(execute=True):
            privacy.erase("signer0@example.org")
    mail.outbox.clear()
    with at(MONDAY_OPENING):
        assert tasks.queue_due_emails() == 1
    (sent,) = mail.outbox
    csv = next(content for name, content, _type in sent.attachments if name.endswith(".csv"))
    text = csv.decode("utf-8-sig") if isinstance(csv, bytes) else csv
    assert "Signer 0" not in text
    assert "Signer 1" in text and "Signer 2" in text


def test_a_waiting_delivery_whose_pack_cannot_be_made_again_fails_and_frees_nothing_twice(
    tree, appeal
):
    with at(FRIDAY_EVENING):
        delivery = with_test_sent(prepared(appeal, 3))
        assert queue(delivery) == "queued"
        CasePage.objects.get(pk=tree.case.pk).delete()
        with TestCase.captureOnCommitCallbacks(execute=True):
            privacy.erase("signer0@example.org")
    mail.outbox.clear()
    with at(MONDAY_OPENING):
        assert tasks.queue_due_emails() == 1
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert "cannot be made again" in delivery.last_error
    assert not DeliveredSignature.objects.filter(delivery=delivery).exists()
