"""A signature belongs to whoever confirms it: every submission keeps its own data and link."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appeals.models import Signature
from appeals.privacy import purge_expired_submissions
from tests.builders import (
    SAME_ORIGIN,
    emailed_link,
    make_signature,
    post_signature,
    set_appeal_option,
    sign_data,
)

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.org"
DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 9,  # nothing listens: the connection is refused
    "EMAIL_TIMEOUT": 2,
}


@pytest.fixture
def submit(client, appeal, django_capture_on_commit_callbacks):
    """Submit the form (e-mails sent at once); returns the link e-mailed, or None."""

    def submit_one(language="en", **data):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = post_signature(client, appeal, sign_data(**data), language=language)
        assert response.status_code == 302
        return emailed_link() if len(mail.outbox) > before else None

    return submit_one


def test_a_squatter_never_decides_what_is_stored_for_a_victims_address(
    client, submit, tree, appeal
):
    set_appeal_option(tree.case, show_signers=True)
    squatter_link = submit(
        "en", name="Eve Mallory", email=VICTIM, country="US", city="Nowhere", show_publicly="on"
    )
    victim_link = submit("fr", name="Victor Hugo", email=VICTIM, country="FR", city="Paris")
    victims_email = mail.outbox[-1]
    assert victims_email.to == [VICTIM] and "Victor Hugo" in victims_email.body
    assert "Eve Mallory" not in victims_email.body

    assert client.post(victim_link, headers=SAME_ORIGIN).status_code == 200
    # The squatter's link, followed later (by the victim by mistake, or anyone), changes nothing.
    assert client.post(squatter_link, headers=SAME_ORIGIN).status_code == 200

    (signature,) = Signature.objects.confirmed()
    assert signature.name == "Victor Hugo"
    assert (signature.country.code, signature.city) == ("FR", "Paris")
    assert signature.language == "fr" and not signature.show_publicly
    page = client.get(tree.case.url).content.decode()
    assert "Eve" not in page and "Victor" not in page  # the victim chose not to be shown
    appeal.refresh_from_db()
    assert appeal.signature_count == 1


def test_a_second_submission_leaves_the_first_link_working(client, submit):
    first = submit(email=VICTIM)
    submit(email=VICTIM, name="Someone Else")
    assert client.post(first, headers=SAME_ORIGIN).status_code == 200
    (signature,) = Signature.objects.confirmed()
    assert signature.name == "Marie Curie"


def test_signing_for_a_new_and_a_signed_address_does_the_same_work(client, appeal):
    make_signature(appeal, email=VICTIM)

    def queries_for(email):
        with CaptureQueriesContext(connection) as queries:
            post_signature(client, appeal, sign_data(email=email))
        return [query["sql"].split()[0] for query in queries]

    queries_for("warm@example.org")  # the first request caches what every request reads
    assert queries_for(VICTIM) == queries_for("new@example.org")


def test_an_already_signed_address_is_told_so_and_the_submission_is_not_kept(submit, appeal):
    make_signature(appeal, email=VICTIM)
    assert submit(email=VICTIM, name="Eve Mallory") is None  # no link: a note that it signed
    assert "Eve Mallory" in mail.outbox[-1].body
    assert list(Signature.objects.values_list("name", flat=True)) == ["Amal Haddad"]


def test_three_failed_sends_then_a_working_server_deliver_the_email_once(
    client, appeal, django_capture_on_commit_callbacks
):
    with override_settings(**DEAD_SMTP):
        with django_capture_on_commit_callbacks(execute=True):
            post_signature(client, appeal)
        for _retry in range(2):
            call_command("appeals_send_due_emails", stdout=StringIO())
    signature = Signature.objects.get()
    assert signature.email_attempts == 3 and signature.email_due == "confirm"
    assert mail.outbox == []

    # More failures than the day's e-mails for the address used none of them.
    call_command("appeals_send_due_emails", stdout=StringIO())
    call_command("appeals_send_due_emails", stdout=StringIO())
    assert len(mail.outbox) == 1 and emailed_link() is not None
    signature.refresh_from_db()
    assert signature.email_due == ""


def test_an_email_is_not_retried_once_its_link_has_expired(appeal):
    eight_days_ago = timezone.now() - timedelta(days=8)
    make_signature(appeal, confirmed_at=None, email_due="confirm", created_at=eight_days_ago)
    out = StringIO()
    call_command("appeals_send_due_emails", stdout=out)
    assert "Queued 0 e-mails." in out.getvalue()


def test_expired_submissions_are_deleted_and_purging_twice_is_harmless(appeal):
    old = timezone.now() - timedelta(days=8)
    make_signature(appeal, email="old@example.org", confirmed_at=None, created_at=old)
    make_signature(appeal, email="fresh@example.org", confirmed_at=None)
    make_signature(appeal, email="signed@example.org", created_at=old)  # confirmed: kept
    assert purge_expired_submissions() == 1
    assert purge_expired_submissions() == 0
    assert sorted(Signature.objects.values_list("email", flat=True)) == [
        "fresh@example.org",
        "signed@example.org",
    ]
    out = StringIO()
    call_command("appeals_purge_unconfirmed", stdout=out)
    assert "Deleted 0 unconfirmed submissions." in out.getvalue()


@override_settings(APPEALS_EMAILS_PER_ADDRESS_PER_DAY=2)
def test_an_address_receives_its_few_emails_a_day_and_no_more(submit):
    links = [submit(email=VICTIM) for _ in range(3)]
    assert links[0] and links[1] and links[2] is None
    assert len(mail.outbox) == 2
    assert Signature.objects.count() == 2  # the third, never e-mailed, could never be confirmed
