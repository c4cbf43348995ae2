"""Names, cities and messages hold text a person typed: nothing invisible, nothing unstorable."""

import json
from urllib.parse import urlencode

import pytest
from django.utils import translation

from appeals.forms import SignatureForm, seconds_since_render
from appeals.models import Signature
from tests.builders import post_signature, sign_data

pytestmark = pytest.mark.django_db

CONTROL_MESSAGE = "Remove the invisible control characters from this field."

# Characters that change how a line reads or where it breaks, and that no one
# types into a name: line breaks, tabs, bidi overrides and isolates, zero widths.
NOT_IN_A_LINE = {
    "CR": "\r",
    "LF": "\n",
    "TAB": "\t",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    **{f"bidi U+{code:04X}": chr(code) for code in range(0x202A, 0x202F)},
    **{f"isolate U+{code:04X}": chr(code) for code in range(0x2066, 0x206A)},
    "zero-width space": "\u200b",
    "word joiner": "\u2060",
    "byte order mark": "\ufeff",
    "NUL": "\x00",
    "escape": "\x1b",
    "noncharacter U+FFFE": "\ufffe",
    "noncharacter U+FDD0": "\ufdd0",
    "noncharacter U+10FFFF": "\U0010ffff",
}
# Zero-width joiners between letters are part of how some scripts are written.
STRAY_JOINERS = {"ZWNJ": "\u200c", "ZWJ": "\u200d"}


def sign_json(client, appeal, **fields):
    return client.post(
        f"/en/appeals/{appeal.public_id}/sign/",
        sign_data(**fields),
        headers={"origin": "http://testserver", "accept": "application/json"},
    )


def api_sign(client, appeal, **fields):
    payload = {
        "name": "Marie Curie",
        "email": "marie@example.org",
        "country": "FR",
        "consent": True,
        **fields,
    }
    return client.post(
        f"/api/v3/appeals/{appeal.public_id}/signatures/?locale=en",
        json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize("field", ["name", "city"])
@pytest.mark.parametrize(
    "character",
    [*NOT_IN_A_LINE.values(), *STRAY_JOINERS.values()],
    ids=[*NOT_IN_A_LINE, *STRAY_JOINERS],
)
def test_a_single_line_field_refuses_what_breaks_or_hides_a_line(client, appeal, field, character):
    response = sign_json(client, appeal, **{field: f"Marie {character}Curie"})
    assert response.status_code == 400
    assert response.json()["errors"][field] == [CONTROL_MESSAGE]
    assert not Signature.objects.exists()


def test_the_message_keeps_its_line_breaks_and_tabs():
    form = SignatureForm(sign_data(message="Dear sir,\r\n\tRelease her.\nMarie"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["message"] == "Dear sir,\r\n\tRelease her.\nMarie"


@pytest.mark.parametrize(
    "character",
    [c for name, c in NOT_IN_A_LINE.items() if name not in {"CR", "LF", "TAB"}],
    ids=[name for name in NOT_IN_A_LINE if name not in {"CR", "LF", "TAB"}],
)
def test_the_message_refuses_the_rest(character):
    form = SignatureForm(sign_data(message=f"Release {character}her."))
    assert not form.is_valid()
    assert form.errors["message"] == [CONTROL_MESSAGE]


def test_a_persian_name_keeps_its_zero_width_non_joiner():
    form = SignatureForm(sign_data(name="علی\u200cرضا احمدی", city="تهران"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "علی\u200cرضا احمدی"


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u2060", "...", "123", "-- --", "\u0301"])
def test_a_name_needs_at_least_one_letter(client, appeal, name):
    response = sign_json(client, appeal, name=name)
    assert response.status_code == 400
    assert response.json()["errors"]["name"]
    assert not Signature.objects.exists()


def test_the_letter_message_is_in_the_visitors_language(client, appeal):
    response = post_signature(client, appeal, sign_data(name="1234"), language="ar", json=True)
    with translation.override("ar"):
        expected = translation.gettext("Please enter your name, with at least one letter.")
    assert expected != "Please enter your name, with at least one letter."
    assert response.json()["errors"]["name"] == [expected]


@pytest.mark.parametrize("field", ["name", "city", "message", "email"])
def test_a_lone_surrogate_through_the_api_is_a_field_error_not_a_500(client, appeal, field):
    value = "marie\ud800@example.org" if field == "email" else "Marie \ud800"
    response = api_sign(client, appeal, **{field: value})
    assert response.status_code == 400
    assert response.json()["errors"][field]
    assert not Signature.objects.exists()


def test_a_lone_surrogate_in_the_render_stamp_is_a_forged_stamp():
    assert seconds_since_render("\ud800") is None


@pytest.mark.parametrize("field", ["name", "city", "message"])
def test_bytes_that_are_not_utf8_in_a_form_post_are_refused_not_stored(client, appeal, field):
    # Django decodes them as U+FFFD: a signature would keep a character nobody typed.
    data = sign_data()
    data.pop(field, None)
    body = urlencode(data).encode() + f"&{field}=x".encode() + b"\xff\xfe"
    response = client.post(
        f"/en/appeals/{appeal.public_id}/sign/",
        body,
        content_type="application/x-www-form-urlencoded",
        headers={"origin": "http://testserver", "accept": "application/json"},
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Signature.objects.exists()
