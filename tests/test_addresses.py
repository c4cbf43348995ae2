"""One mailbox, one signature: the address that is stored, counted and written to is one address."""

import json

import pytest
from django.core import mail
from django.utils import translation

from appeals.addresses import delivery_address, email_key
from appeals.models import Signature
from tests.builders import confirm_signature, post_signature, sign_data

pytestmark = pytest.mark.django_db

# Each reaches the mailbox marie@example.org: delivery converts the domain to
# ASCII, and the invisible characters vanish on the way.
SAME_MAILBOX = [
    "marie@example.org",
    "marie@exa\u200bmple.org",  # zero-width space
    "marie@exam\u00adple.org",  # soft hyphen
    "marie@exa\u200dmple.org",  # zero-width joiner
    "marie@exa\u2060mple.org",  # word joiner
    "marie@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.org",  # full-width letters
    "MARIE@EXAMPLE.ORG",
]


def test_one_mailbox_signs_once_however_its_domain_is_written(client, appeal):
    for address in SAME_MAILBOX:
        post_signature(client, appeal, sign_data(email=address))
    rows = Signature.objects.filter(appeal=appeal)
    # Invisible characters are refused; every other spelling is one mailbox, one key.
    assert set(rows.values_list("email_key", flat=True)) == {"marie@example.org"}
    assert {email.split("@")[1] for email in rows.values_list("email", flat=True)} == {
        "example.org"
    }
    # Each submission awaits its own confirmation; confirming them all makes one signature.
    for signature in rows:
        confirm_signature(signature=signature)
    assert rows.confirmed().count() == 1
    appeal.refresh_from_db()
    assert appeal.signature_count == 1


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\u200d", "\u2060", "\ufeff", "\x00"])
@pytest.mark.parametrize("where", ["local", "domain"])
def test_an_address_with_an_invisible_character_is_refused_with_a_message(
    client, appeal, invisible, where
):
    address = f"ma{invisible}rie@example.org" if where == "local" else f"marie@ex{invisible}.org"
    response = post_signature(client, appeal, sign_data(email=address), json=True)
    assert response.status_code == 400
    assert "invisible" in json.dumps(response.json()["errors"]["email"])
    assert not Signature.objects.filter(appeal=appeal).exists()


def test_the_invisible_characters_message_is_in_the_visitors_language(client, appeal):
    response = post_signature(
        client, appeal, sign_data(email="marie@exa\u200bmple.org"), language="fr", json=True
    )
    with translation.override("fr"):
        expected = translation.gettext("Remove the invisible characters from your e-mail address.")
    assert expected != "Remove the invisible characters from your e-mail address."
    assert response.json()["errors"]["email"] == [expected]


def test_the_email_is_delivered_to_the_ascii_domain(
    client, appeal, django_capture_on_commit_callbacks
):
    full_width = "Marie@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.org"
    with django_capture_on_commit_callbacks(execute=True):
        post_signature(client, appeal, sign_data(email=full_width))
    (email,) = mail.outbox
    assert email.to == ["Marie@example.org"]


def test_an_internationalised_domain_is_stored_and_written_to_as_its_ascii_form(
    client, appeal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_signature(client, appeal, sign_data(email="lena@пример.рф"))
    signature = Signature.objects.get(appeal=appeal)
    assert signature.email == "lena@xn--e1afmkfd.xn--p1ai"
    assert mail.outbox[0].to == ["lena@xn--e1afmkfd.xn--p1ai"]


def test_the_local_part_is_kept_as_typed_and_the_key_is_case_folded():
    assert delivery_address("  Marie@Example.ORG ") == "Marie@example.org"
    assert delivery_address("\uff2d\uff41rie@example.org") == "Marie@example.org"  # full-width
    assert email_key("Marie@EXAMPLE.org") == "marie@example.org"
    # IDNA 2008: straße.de is its own domain, not strasse.de (as IDNA 2003 would have it).
    assert delivery_address("lena@Straße.de") == "lena@xn--strae-oqa.de"


def test_an_address_that_grows_past_254_when_folded_is_a_form_error_not_a_500(client, appeal):
    address = "a@" + "ß" * 246 + ".de"  # 251 characters as typed, 497 folded
    response = post_signature(client, appeal, sign_data(email=address), json=True)
    assert response.status_code == 400
    assert response.json()["errors"]["email"]
    assert not Signature.objects.filter(appeal=appeal).exists()


def test_an_address_that_grows_past_254_in_ascii_is_a_form_error(client, appeal):
    label = "".join(chr(0x4E00 + 37 * n) for n in range(18))  # 18 characters, 44 in ASCII
    address = "a@" + ".".join([label] * 6) + ".cn"
    assert len(address) < 120
    response = post_signature(client, appeal, sign_data(email=address), json=True)
    assert response.status_code == 400
    assert response.json()["errors"]["email"] == [
        "This e-mail address is too long: an address has at most 254 characters."
    ]
    assert not Signature.objects.filter(appeal=appeal).exists()


def test_the_cleaned_email_is_the_delivery_address():
    from appeals.forms import SignatureForm

    form = SignatureForm(sign_data(email=" marie@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.org "))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "marie@example.org"
