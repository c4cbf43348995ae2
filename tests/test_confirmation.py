"""The confirmation e-mail, its link, and counting a signature once."""

from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.html import strip_tags

from appeals.models import Signature
from appeals.models.signatures import hash_token
from tests.builders import (
    SAME_ORIGIN,
    confirm_signature,
    emailed_link,
    post_signature,
    sign_data,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(client, appeal, django_capture_on_commit_callbacks):
    """Sign in French; returns the path of the confirmation link e-mailed (None if none)."""

    def sign(language="fr", **data):
        with django_capture_on_commit_callbacks(execute=True):
            post_signature(client, appeal, sign_data(**data), language=language)
        return emailed_link()

    return sign


def test_the_email_is_in_the_signers_language_with_the_letter_and_a_link(signed):
    path = signed("fr")
    (email,) = mail.outbox
    assert email.to == ["marie@example.org"]
    with translation.override("fr"):
        assert translation.gettext("The letter you signed:") in email.body
        assert translation.gettext("The letter you signed:") != "The letter you signed:"
    assert "Monsieur le Procureur," in email.body
    assert "J’exhorte les autorités à :" in email.body
    assert "Marie Curie\nParis, France" in email.body
    html = email.alternatives[0][0]
    assert '<html lang="fr" dir="ltr">' in html and path in html
    assert path.startswith("/fr/appeals/confirm/")


def test_the_arabic_email_reads_right_to_left(signed, tree, django_capture_on_commit_callbacks):
    translate(tree.case, "ar", {}, capture=django_capture_on_commit_callbacks)
    signed("ar")
    assert '<html lang="ar" dir="rtl">' in mail.outbox[0].alternatives[0][0]


def test_the_token_is_stored_only_as_a_hash(signed):
    token = signed().rsplit("token=", 1)[-1]
    assert len(token) >= 43  # 256 bits in URL-safe base64
    signature = Signature.objects.get()
    assert signature.token_hash == hash_token(token)
    assert token not in str(Signature.objects.values().get())


def test_opening_the_link_confirms_nothing(client, signed, appeal):
    path = signed()
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    # The button posts the token in the body, to an address that carries no secret.
    token = path.rsplit("token=", 1)[-1]
    assert '<form method="post" action="/fr/appeals/confirm/">' in html
    assert f'<input type="hidden" name="token" value="{token}">' in html
    assert {"max-age=0", "no-store", "private"} <= set(response["Cache-Control"].split(", "))
    assert Signature.objects.get().confirmed_at is None
    appeal.refresh_from_db()
    assert appeal.signature_count == 0


def test_pressing_the_button_confirms_and_counts_once(client, signed, appeal):
    path = signed()
    first = client.post(path, headers=SAME_ORIGIN)
    second = client.post(path, headers=SAME_ORIGIN)
    assert first.status_code == 200 and second.status_code == 200
    with translation.override("fr"):
        assert translation.gettext("Your signature was already confirmed. It is counted once.") in (
            second.content.decode()
        )
    appeal.refresh_from_db()
    assert appeal.signature_count == 1
    assert Signature.objects.get().confirmed_at is not None


def test_a_forged_token_is_refused_in_the_visitors_language(client, appeal):
    response = client.post("/ar/appeals/confirm/forged-token/", headers=SAME_ORIGIN)
    assert response.status_code == 404
    with translation.override("ar"):
        message = translation.gettext(
            "This confirmation link is not valid. Check that you copied the whole link."
        )
    assert message in response.content.decode()


def test_an_overlong_token_is_refused_without_a_lookup(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post("/en/appeals/confirm/" + "a" * 500 + "/", headers=SAME_ORIGIN)
    assert response.status_code == 404
    assert not [query for query in queries if "appeals_signature" in query["sql"]]


def test_an_expired_link_confirms_nothing(client, signed, appeal):
    path = signed()
    Signature.objects.update(created_at=timezone.now() - timedelta(days=8))
    response = client.post(path, headers=SAME_ORIGIN)
    assert response.status_code == 410
    assert Signature.objects.get().confirmed_at is None


def test_a_confirmation_posted_from_another_site_is_refused(client, signed):
    path = signed()
    assert client.post(path, headers={"origin": "https://evil.example"}).status_code == 403
    assert Signature.objects.get().confirmed_at is None


def test_signing_again_unconfirmed_sends_a_second_link_and_either_confirms_once(
    client, signed, appeal
):
    first = signed()
    second = signed()
    assert len(mail.outbox) == 2 and first != second
    assert client.post(second, headers=SAME_ORIGIN).status_code == 200
    # The first link still answers, and counts nothing more.
    assert client.post(first, headers=SAME_ORIGIN).status_code == 200
    appeal.refresh_from_db()
    assert appeal.signature_count == 1
    assert Signature.objects.confirmed().count() == 1


def test_signing_again_confirmed_tells_the_owner_they_already_signed(client, signed):
    signed()
    confirm_signature(client)
    assert signed() is None  # the second e-mail carries no confirmation link
    email = mail.outbox[-1]
    with translation.override("fr"):
        subject = translation.gettext("You have already signed – %(site)s")
        assert subject % {"site": "Appeals"} == email.subject
        assert translation.gettext("If it was not you, you can ignore this e-mail.") in email.body
    assert subject != "You have already signed – %(site)s"
    assert "Libérez Lena Orlova" in email.body
    assert Signature.objects.count() == 1


def test_resigning_reveals_nothing(client, appeal, django_capture_on_commit_callbacks):
    def sign(email):
        with django_capture_on_commit_callbacks(execute=True):
            return post_signature(client, appeal, sign_data(email=email), json=True)

    first = sign("a@example.org")
    again = sign("A@example.org")
    other = sign("b@example.org")
    assert first.status_code == again.status_code == other.status_code == 202
    assert first.content == again.content == other.content
    assert Signature.objects.pending().count() == 3  # the same work for every submission


@override_settings(APPEALS_COUNT_UNCONFIRMED=True)
def test_no_setting_makes_the_count_tell_whether_an_address_signed(client, signed, appeal):
    # With unconfirmed signatures counted, a probe could watch the count move or not.
    from django.core import checks

    signed()
    appeal.refresh_from_db()
    assert appeal.signature_count == 0
    warnings = [message.id for message in checks.run_checks()]
    assert "appeals.W001" in warnings  # the project is told the setting is gone


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=9,  # nothing listens: the connection is refused
    EMAIL_TIMEOUT=2,
)
def test_a_failing_mail_server_keeps_the_signature_and_the_email_due(
    client, appeal, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        response = post_signature(client, appeal)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.email_due == "confirm"
    assert signature.email_attempts == 1

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("appeals_send_due_emails", stdout=open("/dev/null", "w"))
    signature.refresh_from_db()
    assert signature.email_due == ""
    assert len(mail.outbox) == 1


def test_recount_reports_and_fixes_drift(client, signed, appeal):
    from io import StringIO

    from django.core.management import call_command

    signed()
    confirm_signature(client)
    type(appeal).objects.filter(pk=appeal.pk).update(signature_count=40)
    out = StringIO()
    call_command("appeals_recount", stdout=out)
    assert "counter 40, rows 1" in out.getvalue()
    appeal.refresh_from_db()
    assert appeal.signature_count == 1


def address_block(html):
    start = html.index('<address class="letter-addressee">')
    return html[start : html.index("</address>", start)]


def test_the_html_email_lays_the_address_out_one_line_per_line(signed):
    signed("en")
    (email,) = mail.outbox
    address = address_block(email.alternatives[0][0])
    lines = [
        "Mr Ivan Petrov", "Prosecutor General", "Prosecutor General's Office",
        "Bolshaya Dmitrovka 15a", "125993 Moscow", "Russian Federation",
    ]  # fmt: skip
    # E-mail clients drop the page's stylesheet: each line ends in a break of its own.
    assert [unescape(strip_tags(line)).strip() for line in address.split("<br>")] == lines
    text_lines = email.body.splitlines()
    assert text_lines[text_lines.index(lines[0]) :][: len(lines)] == lines


def test_the_letter_inside_an_email_carries_its_own_direction(
    signed, tree, django_capture_on_commit_callbacks
):
    # Persian has no content tree: the e-mail is Persian, the letter it quotes English.
    signed("fa")
    html = mail.outbox[0].alternatives[0][0]
    assert '<html lang="fa" dir="rtl">' in html
    assert '<article class="letter" lang="en" dir="ltr">' in html


def test_an_arabic_letter_reads_right_to_left_in_its_email(
    signed, tree, django_capture_on_commit_callbacks
):
    translate(tree.case, "ar", {}, capture=django_capture_on_commit_callbacks)
    signed("ar")
    assert '<article class="letter" lang="ar" dir="rtl">' in mail.outbox[0].alternatives[0][0]


def test_the_subject_names_the_site_not_the_case(signed, tree):
    signed("en")
    confirm_signature_email = mail.outbox[-1]
    assert confirm_signature_email.subject == "Confirm your signature – Appeals"
    assert "Lena Orlova" not in confirm_signature_email.subject


def test_the_already_signed_subject_names_the_site_not_the_case(client, signed):
    signed("en")
    confirm_signature(client)
    signed("en")
    assert mail.outbox[-1].subject == "You have already signed – Appeals"


@override_settings(APPEALS_EMAIL_SUBJECT_NAMES_CASE=True)
def test_an_organisation_can_name_the_case_in_the_subject(client, signed):
    signed("fr")
    with translation.override("fr"):
        subject = translation.gettext("Confirm your signature: %(title)s")
    assert mail.outbox[-1].subject == subject % {"title": "Libérez Lena Orlova"}


def test_the_subject_is_translated(signed):
    signed("fr")
    with translation.override("fr"):
        subject = translation.gettext("Confirm your signature – %(site)s")
    assert subject != "Confirm your signature – %(site)s"
    assert mail.outbox[-1].subject == subject % {"site": "Appeals"}


def test_the_already_signed_email_answers_in_the_language_of_the_latest_attempt(
    client, signed, tree, django_capture_on_commit_callbacks
):
    translate(tree.case, "es", {}, capture=django_capture_on_commit_callbacks)
    signed("fr")
    confirm_signature(client)
    assert signed("es") is None
    email = mail.outbox[-1]
    with translation.override("es"):
        assert translation.gettext("If it was not you, you can ignore this e-mail.") in email.body
    assert "http://testserver/es/cases/" in email.body
    html = email.alternatives[0][0]
    assert '<html lang="es" dir="ltr">' in html
    assert 'href="http://testserver/es/cases/' in html


def test_the_already_signed_email_is_in_the_attempts_language_where_the_case_is_not(client, signed):
    # No Arabic translation of the case: the e-mail is Arabic all the same, and says so.
    signed("fr")
    confirm_signature(client)
    signed("ar")
    html = mail.outbox[-1].alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html
    with translation.override("ar"):
        assert translation.gettext("If it was not you, you can ignore this e-mail.") in html


def test_the_confirmation_page_names_the_appeal_in_the_visitors_language(client, signed):
    path = signed("fr")
    html = client.get(path).content.decode()
    assert "Libérez Lena Orlova" in html and "Écrivez au procureur" in html
    assert 'name="token"' in html
    # Nothing more than the e-mail told its reader: not the name, not the address.
    assert "Marie Curie" not in html and "marie@example.org" not in html


def test_a_used_link_says_the_signature_is_already_confirmed(client, signed):
    path = signed("fr")
    client.post(path, headers=SAME_ORIGIN)
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 200
    with translation.override("fr"):
        assert translation.gettext("Your signature was already confirmed. It is counted once.") in (
            html
        )
    assert "Libérez Lena Orlova" in html
    assert 'name="token"' not in html and "<button" not in html


def test_an_expired_link_says_so_on_opening(client, signed):
    path = signed("fr")
    Signature.objects.update(created_at=timezone.now() - timedelta(days=8))
    response = client.get(path)
    assert response.status_code == 410
    with translation.override("fr"):
        message = translation.gettext(
            "This confirmation link has expired. Sign the appeal again to receive a new one."
        )
    assert message in response.content.decode()
    assert "<button" not in response.content.decode()


@pytest.mark.parametrize("path", ["/ar/appeals/confirm/?token=forged", "/ar/appeals/confirm/"])
def test_an_invalid_link_says_so_on_opening(client, appeal, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    with translation.override("ar"):
        message = translation.gettext(
            "This confirmation link is not valid. Check that you copied the whole link."
        )
    assert message in html
    assert "<button" not in html and "Lena Orlova" not in html


def test_opening_a_link_writes_nothing(client, signed):
    path = signed("fr")
    before = list(Signature.objects.values())
    client.get(path)
    assert list(Signature.objects.values()) == before


def test_the_confirmation_page_lets_no_token_out_and_its_button_keep_its_origin(client, signed):
    # The address holds the token: a Referer may carry the origin only. "no-referrer" would
    # make the button's POST send `Origin: null`, which the same-origin check refuses.
    response = client.get(signed())
    assert response["Referrer-Policy"] == "strict-origin"
