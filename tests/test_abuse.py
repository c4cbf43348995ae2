"""Robots, floods, forged posts and spoofed addresses store nothing and learn nothing."""

import time
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from appeals.forms import signed_render_time
from appeals.models import Signature
from tests.builders import post_signature as post
from tests.builders import sign_data

pytestmark = pytest.mark.django_db


def test_the_honeypot_answers_like_a_success_and_stores_nothing(client, appeal):
    response = post(client, appeal, sign_data(website="http://spam.example"))
    assert response.status_code == 302 and response.url.endswith("/thanks/")
    assert not Signature.objects.exists()


def test_a_form_posted_faster_than_a_person_can_is_shown_again_and_stores_nothing(client, appeal):
    # Autofill sends a form back at once: the visitor is asked to send it again, not thanked.
    response = post(client, appeal, sign_data(rendered_at=signed_render_time(time.time())))
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_a_form_rendered_hours_ago_is_shown_again_and_stores_nothing(client, appeal):
    response = post(client, appeal, sign_data(rendered_at=signed_render_time(time.time() - 86400)))
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_a_forged_render_time_stores_nothing(client, appeal):
    post(client, appeal, sign_data(rendered_at="1:forged"))
    assert not Signature.objects.exists()


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=3)
def test_too_many_submissions_from_one_address_get_a_localised_429(client, appeal):
    for number in range(3):
        post(client, appeal, sign_data(email=f"s{number}@example.org"))
    response = post(client, appeal, sign_data(email="late@example.org"), language="ru")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    with translation.override("ru"):
        message = translation.gettext(
            "Too many signatures came from your connection. Please try again later."
        )
    assert message in response.content.decode()
    assert not Signature.objects.filter(email="late@example.org").exists()


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=2)
def test_a_spoofed_forwarded_for_header_does_not_dodge_the_limit(client, appeal):
    for number in range(3):
        response = post(
            client,
            appeal,
            sign_data(email=f"s{number}@example.org"),
            x_forwarded_for=f"198.51.100.{number}",
        )
    assert response.status_code == 429


@override_settings(
    APPEALS_SUBMISSIONS_PER_NETWORK=2,
    APPEALS_CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR",
    APPEALS_TRUSTED_PROXIES=["127.0.0.1"],
)
def test_behind_a_trusted_proxy_its_header_names_the_client(client, appeal):
    for number in range(3):
        response = post(
            client,
            appeal,
            sign_data(email=f"s{number}@example.org"),
            x_forwarded_for=f"spoofed, 198.51.100.{number}",
        )
    assert response.status_code == 302


@override_settings(APPEALS_EMAILS_PER_ADDRESS_PER_DAY=2, APPEALS_SUBMISSIONS_PER_NETWORK=100)
def test_one_address_receives_only_a_few_emails_a_day(
    client, appeal, django_capture_on_commit_callbacks
):
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            post(client, appeal, sign_data(email="victim@example.org"))
    assert len(mail.outbox) == 2


def test_a_cross_site_post_is_refused_and_stores_nothing(client, appeal):
    response = post(client, appeal, sign_data(), origin="https://evil.example")
    assert response.status_code == 403
    response = client.post(
        f"/en/appeals/{appeal.public_id}/sign/",
        sign_data(),
        headers={"referer": "https://evil.example/page"},
    )
    assert response.status_code == 403
    assert client.post(f"/en/appeals/{appeal.public_id}/sign/", sign_data()).status_code == 403
    assert not Signature.objects.exists()


def test_a_post_from_the_page_itself_is_accepted_by_referer(client, tree, appeal):
    response = client.post(
        f"/en/appeals/{appeal.public_id}/sign/",
        sign_data(),
        headers={"referer": f"http://testserver/en/cases/{tree.case.slug}/"},
    )
    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_the_client_address_is_stored_nowhere_in_clear(appeal):
    from django.test import Client

    post(Client(REMOTE_ADDR="203.0.113.77"), appeal, sign_data())
    assert Signature.objects.count() == 1
    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    assert "203.0.113.77" not in dump.getvalue()
