"""Signing from the HTML page, with and without JavaScript."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.formats import number_format

from appeals.forms import SignatureForm
from appeals.models import Appeal, Signature
from appeals.signing import Confirmation
from tests.builders import (
    SAME_ORIGIN,
    confirm_signature,
    make_signature,
    set_appeal_option,
    sign_data,
)
from tests.builders import post_signature as post

pytestmark = pytest.mark.django_db


def test_the_page_shows_the_form_posting_to_the_appeal(client, tree, appeal):
    html = client.get(tree.case.url).content.decode()
    assert f'action="/en/appeals/{appeal.public_id}/sign/"' in html
    for name in ("name", "email", "country", "consent", "city", "message"):
        assert f'name="{name}"' in html
    assert f'data-signature-count="{appeal.signature_count}"' in html


def test_signing_without_javascript_redirects_to_a_thank_you_page(client, appeal):
    response = post(client, appeal, sign_data())
    assert response.status_code == 302
    assert response.url == f"/en/appeals/{appeal.public_id}/thanks/"
    thanks = client.get(response.url)
    assert "Check your e-mail" in thanks.content.decode()
    assert {"max-age=0", "no-store", "private"} <= set(thanks["Cache-Control"].split(", "))
    signature = Signature.objects.get(appeal=appeal)
    assert signature.name == "Marie Curie" and signature.language == "en"
    assert signature.confirmed_at is None


def test_signing_with_javascript_answers_json_without_a_reload(client, appeal):
    response = post(client, appeal, sign_data(), json=True)
    assert response.status_code == 202
    assert response.json()["status"] == "accepted"
    assert Signature.objects.filter(appeal=appeal).count() == 1


def test_the_signature_keeps_the_language_the_signer_used(client, appeal):
    post(client, appeal, sign_data(), language="ar")
    assert Signature.objects.get(appeal=appeal).language == "ar"


def test_the_email_is_normalised_and_compared_case_insensitively(client, appeal):
    post(client, appeal, sign_data(email="  Marie@Example.ORG "))
    post(client, appeal, sign_data(email="marie@example.org"))
    first, second = Signature.objects.filter(appeal=appeal).order_by("created_at")
    # The local part as typed, the domain in IDNA (lower case), one key for both.
    assert first.email == "Marie@example.org" and second.email == "marie@example.org"
    assert first.email_key == second.email_key  # one address: one signature once confirmed


def test_signatures_in_french_and_english_add_up_to_one_appeal(client, tree, appeal):
    (french_block,) = tree.french_case.get_appeal_blocks()
    assert tree.french_case.get_appeal(french_block.id) == appeal

    post(client, appeal, sign_data(email="a@example.org"), language="en")
    post(client, appeal, sign_data(email="b@example.org"), language="fr")
    for signature in Signature.objects.filter(appeal=appeal):
        outcome, _ = confirm_signature(signature=signature)
        assert outcome is Confirmation.CONFIRMED

    appeal.refresh_from_db()
    assert appeal.signature_count == 2
    assert 'data-signature-count="2"' in client.get(tree.french_case.url).content.decode()
    assert 'data-signature-count="2"' in client.get(tree.case.url).content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("name", {"name": ""}, "Please enter your name."),
        ("email", {"email": ""}, "Please enter your e-mail address."),
        (
            "email",
            {"email": "not an address"},
            "Enter a valid e-mail address, such as name@example.org.",
        ),
        ("country", {"country": ""}, "Please choose your country."),
        ("country", {"country": "XX"}, "Please choose a country from the list."),
        ("consent", {"consent": None}, "Please agree, so that we can deliver your signature."),
        ("name", {"name": "x" * 201}, None),
        ("message", {"message": "x" * 1001}, None),
        ("city", {"city": "Paris\x00"}, "Remove the invisible control characters from this field."),
    ],
)
def test_every_field_says_what_is_wrong_in_the_visitors_language(
    client, appeal, language, field, data, message
):
    response = post(client, appeal, sign_data(**data), language=language, json=True)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message:
        with translation.override(language):
            expected = translation.gettext(message)
        if language != "en":
            assert expected != message, f"{message!r} is not translated into {language}"
        assert errors[field] == [expected]
    assert not Signature.objects.exists()


def test_errors_without_javascript_are_shown_inline_with_the_values_kept(client, appeal):
    response = post(client, appeal, sign_data(email="nope"), language="fr")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Marie Curie"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_help id_email_error"' in html
    assert 'href="#id_email"' in html  # the error summary links to the field
    with translation.override("fr"):
        assert (
            translation.gettext("Enter a valid e-mail address, such as name@example.org.") in html
        )


def test_country_names_follow_the_visitors_language():
    with translation.override("fr"):
        choices = dict(SignatureForm().fields["country"].choices)
    assert choices["DE"] == "Allemagne"


def test_a_post_to_an_unknown_appeal_is_a_404_in_the_visitors_language(client):
    response = client.post("/fr/appeals/nothing-here/sign/", sign_data(), headers=SAME_ORIGIN)
    assert response.status_code == 404
    assert response["Content-Language"] == "fr"
    assert not Signature.objects.exists()


def test_opening_the_sign_address_leads_to_the_appeal_on_its_case_page(client, tree, appeal):
    # After a no-JavaScript error page the address bar holds it; opened again, it must not
    # be a blank 405.
    response = client.get(f"/fr/appeals/{appeal.public_id}/sign/")
    assert response.status_code == 302
    assert response.url == "/fr/cases/lena-orlova/#appeal"
    assert not Signature.objects.exists()


def test_opening_the_sign_address_of_an_unknown_appeal_is_a_404_in_the_visitors_language(client):
    response = client.get("/ar/appeals/no-such-appeal/sign/")
    assert response.status_code == 404
    with translation.override("ar"):
        assert translation.gettext("There is no appeal at this address.") in (
            response.content.decode()
        )


def test_html_in_every_text_field_is_stored_as_text_and_rendered_escaped(
    client, appeal, django_capture_on_commit_callbacks
):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with django_capture_on_commit_callbacks(execute=True):
        post(client, appeal, sign_data(name=payload, city=payload, message=payload))
    signature = Signature.objects.get(appeal=appeal)
    assert signature.name == payload and signature.city == payload and signature.message == payload
    (email,) = mail.outbox
    html = email.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_closing_the_appeal_replaces_the_form_and_refuses_posts(client, tree, appeal):
    Appeal.objects.filter(pk=appeal.pk).update(closed=True, signature_count=1234)
    html = client.get(tree.french_case.url).content.decode()
    assert 'name="email"' not in html
    with translation.override("fr"):
        assert translation.gettext("This appeal is closed") in html
        count = number_format(1234, force_grouping=True)
    assert count == "1\xa0234"
    assert f"<strong>{count}</strong>" in html

    response = post(client, appeal, sign_data(), language="fr", json=True)
    assert response.status_code == 410
    assert response.json()["count"] == 1234
    assert not Signature.objects.exists()


def test_a_closed_appeal_shows_the_letter_as_sent_without_inviting_signatures(client, tree, appeal):
    Appeal.objects.filter(pk=appeal.pk).update(closed=True)
    html = client.get(tree.case.url).content.decode()
    section = html[html.index('<section class="block-appeal"') :]
    assert "Add your name." not in section  # the block's introduction invites signing
    assert "[Your name]" not in section
    # Said first, then the letter as it was sent.
    assert section.index("This appeal is closed") < section.index('<article class="letter"')
    assert "I am writing about the search of her home." in section


def test_an_open_appeal_invites_signatures_with_its_introduction(client, tree):
    section = client.get(tree.case.url).content.decode()
    assert "Add your name." in section and "[Your name]" in section


def test_an_appeal_past_its_closing_time_is_closed(client, appeal):
    from datetime import timedelta

    from django.utils import timezone

    Appeal.objects.filter(pk=appeal.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert post(client, appeal, sign_data()).status_code == 410
    assert not Signature.objects.exists()


def test_an_editor_closes_the_appeal_by_publishing_the_source_page(client, tree, appeal):
    set_appeal_option(tree.case, closed=True)
    appeal.refresh_from_db()
    assert appeal.closed
    french = client.get(tree.french_case.url).content.decode()
    assert 'name="email"' not in french


def test_the_public_list_shows_first_names_of_consenting_confirmed_signers_only(
    client, tree, appeal
):
    set_appeal_option(tree.case, show_signers=True)
    make_signature(appeal, name="Amal Haddad", email="amal@example.org", show_publicly=True)
    make_signature(appeal, name="Boris Secret", email="boris@example.org", show_publicly=False)
    make_signature(
        appeal, name="Chloe Pending", email="chloe@example.org", show_publicly=True,
        confirmed_at=None,
    )  # fmt: skip
    html = client.get(tree.case.url).content.decode()
    assert "<bdi>Amal</bdi>, Lebanon" in html
    assert "Haddad" not in html and "amal@example.org" not in html
    assert "Boris" not in html and "Chloe" not in html


def test_no_signer_is_listed_unless_the_appeal_shows_them(client, tree, appeal):
    make_signature(appeal, name="Amal Haddad", email="amal@example.org", show_publicly=True)
    assert "Amal" not in client.get(tree.case.url).content.decode()


def test_the_public_opt_in_is_offered_only_when_the_appeal_shows_a_public_list(client, tree):
    assert 'name="show_publicly"' not in client.get(tree.case.url).content.decode()
    set_appeal_option(tree.case, show_signers=True)
    assert 'name="show_publicly"' in client.get(tree.case.url).content.decode()


def test_a_posted_opt_in_is_ignored_when_the_appeal_shows_no_list(client, appeal):
    post(client, appeal, sign_data(show_publicly="on"))
    assert Signature.objects.get().show_publicly is False


def test_a_posted_opt_in_is_kept_when_the_appeal_shows_a_list(client, tree, appeal):
    set_appeal_option(tree.case, show_signers=True)
    post(client, appeal, sign_data(show_publicly="on"))
    assert Signature.objects.get().show_publicly is True


def test_the_case_page_opens_with_a_link_to_the_form(client, tree):
    html = client.get(tree.french_case.url).content.decode()
    with translation.override("fr"):
        label = translation.gettext("Sign the letter")
    link = html.index(f'<a href="#appeal" class="jump-to-appeal">{label}</a>')
    assert link < html.index('<div class="case-body">')


def test_a_closed_appeal_has_no_link_inviting_to_sign(client, tree, appeal):
    Appeal.objects.filter(pk=appeal.pk).update(closed=True)
    assert 'class="jump-to-appeal"' not in client.get(tree.case.url).content.decode()
