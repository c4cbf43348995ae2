"""Hostile input at the signing routes, each test written as the attack: a clear 4xx in the
visitor's language, nothing stored, never a 500."""

import json
import time

import pytest
from django.test import RequestFactory, override_settings
from django.utils import translation

from appeals import outcomes, views
from appeals.forms import seconds_since_render, signed_render_time
from appeals.models import Appeal, CasePage, Signature
from appeals.signing import Outcome, SigningResult
from tests.builders import SAME_ORIGIN, api_payload, make_signature, post_signature, sign_data

pytestmark = pytest.mark.django_db

EVIL = "http://evil.example"
BOOLEAN_FIELDS = ["consent", "keep_informed", "show_publicly"]
STRING_FIELDS = ["name", "email", "country", "city", "message", "website", "rendered_at"]
NOT_BOOLEANS = [0, 1, "0", "1", "no", "off", "on", "true", "", [], {}, [True], 0.0]
NOT_STRINGS = [True, False, 0, 7, 1.5, [], ["Marie"], {}, {"first": "Marie"}]


def api_sign(client, appeal_id, body, *, content_type="application/json", locale="en", **headers):
    if not isinstance(body, str | bytes):
        body = json.dumps(body)
    return client.post(
        f"/api/v3/appeals/{appeal_id}/signatures/?locale={locale}",
        body,
        content_type=content_type,
        headers=headers,
    )


def api_confirm(client, body, *, content_type="application/json", locale="en", **headers):
    if not isinstance(body, str | bytes):
        body = json.dumps(body)
    return client.post(
        f"/api/v3/appeals/confirm/?locale={locale}",
        body,
        content_type=content_type,
        headers=headers,
    )


def french(message):
    with translation.override("fr"):
        translated = translation.gettext(message)
    assert translated != message, f"not translated: {message}"
    return translated


def pending_signature(appeal):
    signature = make_signature(appeal, confirmed_at=None)
    token = signature.issue_token()
    signature.save()
    return signature, token


# 1. Loose types: every value that is not a JSON boolean or string is refused, by field.


@pytest.mark.parametrize("field", BOOLEAN_FIELDS)
@pytest.mark.parametrize("value", NOT_BOOLEANS, ids=repr)
def test_a_non_boolean_for_a_boolean_field_is_a_400_naming_it(client, appeal, field, value):
    response = api_sign(client, appeal.public_id, api_payload(**{field: value}), locale="fr")
    assert response.status_code == 400
    assert response.json() == {
        "status": "invalid",
        "errors": {field: [french("Send true or false for this field.")]},
    }
    assert not Signature.objects.exists()


@pytest.mark.parametrize("field", STRING_FIELDS)
@pytest.mark.parametrize("value", NOT_STRINGS, ids=repr)
def test_a_non_string_for_a_text_field_is_a_400_naming_it(client, appeal, field, value):
    response = api_sign(client, appeal.public_id, api_payload(**{field: value}), locale="fr")
    assert response.status_code == 400
    assert response.json() == {
        "status": "invalid",
        "errors": {field: [french("Send this field as text (a JSON string).")]},
    }
    assert not Signature.objects.exists()


def test_null_for_an_optional_field_is_taken_as_absent(client, appeal):
    body = api_payload(
        city=None, message=None, keep_informed=None, show_publicly=None, website=None
    )
    assert api_sign(client, appeal.public_id, body).status_code == 202
    signature = Signature.objects.get()
    assert (signature.city, signature.message) == ("", "")
    assert (signature.keep_informed, signature.show_publicly) == (False, False)


@pytest.mark.parametrize("field", STRING_FIELDS)
def test_a_lone_surrogate_in_a_text_field_is_a_field_error(client, appeal, field):
    # json.dumps writes "\ud800" as its escape: valid JSON, but no UTF-8 text.
    response = api_sign(
        client, appeal.public_id, api_payload(**{field: "Mar\ud800ie"}), locale="fr"
    )
    assert response.status_code == 400
    assert response.json() == {
        "status": "invalid",
        "errors": {field: [french("This text contains characters that are not valid Unicode.")]},
    }
    assert not Signature.objects.exists()


def test_a_lone_surrogate_as_a_field_name_is_a_400(client, appeal):
    response = api_sign(client, appeal.public_id, {**api_payload(), "\ud800": 1})
    assert response.status_code == 400
    assert response.json()["status"] == "error"


def test_a_lone_surrogate_or_a_number_as_the_token_is_a_400(client, appeal):
    signature, _token = pending_signature(appeal)
    assert api_confirm(client, {"token": "\ud800"}).status_code == 400
    assert api_confirm(client, {"token": 12345}).status_code == 400
    signature.refresh_from_db()
    assert signature.confirmed_at is None


# 2. Cross-site signing: only JSON, only from this site or an allowed front end.


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_cross_site_text_plain_post_stores_nothing(client, appeal, content_type):
    # What a page on another site can make its visitor's browser send without a preflight.
    response = api_sign(
        client, appeal.public_id, api_payload(), content_type=content_type, origin=EVIL, locale="fr"
    )
    assert response.status_code == 403
    assert response.json()["message"] == french(
        "This form was sent from another website. Please sign on this site's own page."
    )
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]
)
def test_a_body_that_is_not_json_is_a_415_even_from_no_origin(client, appeal, content_type):
    response = api_sign(
        client, appeal.public_id, api_payload(), content_type=content_type, locale="fr"
    )
    assert response.status_code == 415
    assert response.json() == {
        "status": "error",
        "message": french(
            "Send the request body as JSON, with the header Content-Type: application/json."
        ),
    }
    assert api_confirm(client, {"token": "x"}, content_type="text/plain").status_code == 415
    assert not Signature.objects.exists()


def test_a_json_post_from_an_unknown_origin_is_refused(client, appeal):
    assert api_sign(client, appeal.public_id, api_payload(), origin=EVIL).status_code == 403
    assert not Signature.objects.exists()


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_this_site_an_allowed_front_end_and_no_origin_may_sign(client, appeal):
    origins = [{"origin": "http://testserver"}, {"origin": "https://front.example"}, {}]
    for number, headers in enumerate(origins):
        body = api_payload(email=f"signer{number}@example.org")
        assert api_sign(client, appeal.public_id, body, **headers).status_code == 202
    assert Signature.objects.count() == 3


def test_without_cors_settings_only_this_site_may_sign(client, appeal, settings):
    del settings.CORS_ALLOWED_ORIGINS  # a site without django-cors-headers
    assert api_sign(client, appeal.public_id, api_payload(), origin=EVIL).status_code == 403
    own = api_sign(client, appeal.public_id, api_payload(), origin="http://testserver")
    assert own.status_code == 202


def test_a_cross_site_confirmation_through_the_api_confirms_nothing(client, appeal):
    signature, token = pending_signature(appeal)
    for content_type in ("text/plain", "application/json"):
        response = api_confirm(client, {"token": token}, content_type=content_type, origin=EVIL)
        assert response.status_code == 403
    signature.refresh_from_db()
    assert signature.confirmed_at is None


def test_origin_null_is_refused_on_every_route(client, appeal):
    # A sandboxed frame or a data: page sends "Origin: null", whatever the Referer says.
    null = {"origin": "null", "referer": "http://testserver/en/cases/"}
    signature, token = pending_signature(appeal)
    responses = [
        client.post(f"/en/appeals/{appeal.public_id}/sign/", sign_data(), headers=null),
        client.post(f"/en/appeals/confirm/{token}/", headers=null),
        api_sign(client, appeal.public_id, api_payload(), **null),
        api_confirm(client, {"token": token}, **null),
    ]
    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert Signature.objects.get().pk == signature.pk
    signature.refresh_from_db()
    assert signature.confirmed_at is None


# 3. No 500 on bad input.


def nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("route", ["sign", "confirm"])
def test_json_nested_1000_deep_is_a_400(client, appeal, route):
    body = '{"name": ' + nested(1000) + "}" if route == "sign" else nested(1000)
    if route == "sign":
        response = api_sign(client, appeal.public_id, body, locale="fr")
    else:
        response = api_confirm(client, body, locale="fr")
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "message": french("The request body is nested too deeply."),
    }
    assert not Signature.objects.exists()


def test_a_confirmation_body_over_64_kb_is_a_413(client, appeal):
    signature, token = pending_signature(appeal)
    response = api_confirm(client, json.dumps({"token": token, "pad": "x" * 70_000}), locale="fr")
    assert response.status_code == 413
    assert response.json()["message"] == french("The request is too large.")
    signature.refresh_from_db()
    assert signature.confirmed_at is None


def test_unknown_fields_in_a_confirmation_are_a_400(client, appeal):
    signature, token = pending_signature(appeal)
    assert api_confirm(client, {"token": token, "admin": True}).status_code == 400
    signature.refresh_from_db()
    assert signature.confirmed_at is None


NUL_ROUTES = [
    ("post", "/en/appeals/{id}/sign/"),
    ("get", "/en/appeals/{id}/thanks/"),
    ("get", "/api/v3/appeals/{id}/"),
    ("post", "/api/v3/appeals/{id}/signatures/"),
]


@pytest.mark.parametrize(("method", "route"), NUL_ROUTES)
@pytest.mark.parametrize(
    ("inserted", "status"),
    [("%00", 400), ("%21", 404), ("%C3%A9", 404)],  # the request guard answers a NUL first
)
def test_an_appeal_id_that_is_not_one_never_reaches_the_database(
    client, appeal, method, route, inserted, status
):
    # PostgreSQL refuses a NUL in a query: the id must never reach it.
    path = route.format(id=f"{appeal.public_id[:4]}{inserted}{appeal.public_id[4:]}")
    if method == "post":
        response = client.post(
            path, json.dumps(api_payload()), content_type="application/json", headers=SAME_ORIGIN
        )
    else:
        response = client.get(path)
    assert response.status_code == status
    assert not Signature.objects.exists()


def test_a_nul_in_a_confirmation_token_is_not_a_server_error(client, appeal):
    assert client.post("/en/appeals/confirm/ab%00cd/", headers=SAME_ORIGIN).status_code == 400
    assert api_confirm(client, {"token": "ab\x00cd"}).status_code == 404


def remove_appeal_block(case):
    page = CasePage.objects.get(pk=case.pk)
    page.body = [block for block in page.body.raw_data if block["type"] != "appeal"]
    page.save_revision().publish()
    return page


def test_an_appeal_whose_block_was_removed_reads_closed_and_accepts_nothing(client, tree, appeal):
    remove_appeal_block(tree.case)
    appeal.refresh_from_db()
    assert not appeal.accepts_signatures()  # publishing the source closed it everywhere

    read = client.get(f"/api/v3/appeals/{appeal.public_id}/")
    assert read.status_code == 200
    data = read.json()
    assert data["state"]["open"] is False
    assert data["form"] is None and data["letter"] is None

    page = client.get(tree.case.url).content.decode()
    assert f"/appeals/{appeal.public_id}/sign/" not in page

    html = post_signature(client, appeal, sign_data(email="html@example.org"))
    script = post_signature(client, appeal, sign_data(email="js@example.org"), json=True)
    api = api_sign(client, appeal.public_id, api_payload())
    assert [html.status_code, script.status_code, api.status_code] == [410, 410, 410]
    assert script.json() == api.json()
    assert api.json()["status"] == "closed"
    assert not Signature.objects.exists()


def test_a_translation_not_synced_since_the_block_was_removed_accepts_nothing(client, tree, appeal):
    # The French page still shows its copy of the block until it is synced.
    remove_appeal_block(tree.case)
    french = post_signature(client, appeal, sign_data(email="fr@example.org"), language="fr")
    assert tree.french_case.get_appeal_block(appeal) is not None
    assert french.status_code == 410
    assert not Signature.objects.exists()


def test_an_appeal_whose_block_was_removed_by_an_unpublished_draft_stays_open(tree, appeal):
    page = CasePage.objects.get(pk=tree.case.pk)
    page.body = [block for block in page.body.raw_data if block["type"] != "appeal"]
    page.save_revision()  # a draft: visitors still see the block
    appeal.refresh_from_db()
    assert appeal.accepts_signatures()


# 4. One table of outcomes: the page's script and the API answer alike.


def test_a_closed_appeal_answers_the_same_to_the_script_and_the_api(client, appeal):
    Appeal.objects.filter(pk=appeal.pk).update(closed=True)
    script = post_signature(client, appeal, sign_data(), json=True, language="fr")
    api = api_sign(client, appeal.public_id, api_payload(), locale="fr")
    assert script.status_code == api.status_code == 410
    assert script.json() == api.json()
    assert script.json()["count"] == 0


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=1)
def test_a_rate_limited_signer_is_answered_the_same_by_both(client, appeal):
    post_signature(client, appeal, sign_data(), json=True)
    script = post_signature(client, appeal, sign_data(email="b@example.org"), json=True)
    api = api_sign(client, appeal.public_id, api_payload())
    assert script.status_code == api.status_code == 429
    assert (
        script.json()
        == api.json()
        == {
            "status": "rate_limited",
            "message": outcomes.rate_limited_message(),
        }
    )
    assert script["Retry-After"] and api["Retry-After"]


def test_the_resubmit_answer_carries_a_fresh_render_time(appeal):
    with translation.override("fr"):
        answer = outcomes.signing_answer(SigningResult(Outcome.RESUBMIT), appeal)
        assert answer.message == outcomes.resubmit_message()
    assert (answer.status, answer.word) == (400, "resubmit")
    assert french(
        "Please send the form once more: it came back sooner than we expected, or after "
        "several hours. What you entered is still there."
    )
    body = answer.body()
    assert set(body) == {"status", "message", "rendered_at"}
    assert 0 <= seconds_since_render(body["rendered_at"]) < 60


def test_resubmit_shows_the_form_again_with_what_was_typed_and_a_new_render_time(tree, appeal):
    stale = signed_render_time(time.time() - 10 * 3600)
    request = RequestFactory().post(
        "/en/", sign_data(name="Marie Typed", rendered_at=stale), headers=SAME_ORIGIN
    )
    with translation.override("en"):
        response = views.signing_response(
            request, tree.case, appeal, SigningResult(Outcome.RESUBMIT)
        )
        html = response.render().content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html and outcomes.resubmit_message() in html
    assert 'value="Marie Typed"' in html
    assert stale not in html
    assert not Signature.objects.exists()


def test_resubmit_is_answered_as_json_to_the_script(tree, appeal):
    request = RequestFactory().post(
        "/en/", sign_data(), headers={**SAME_ORIGIN, "accept": "application/json"}
    )
    response = views.signing_response(request, tree.case, appeal, SigningResult(Outcome.RESUBMIT))
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["status"] == "resubmit" and body["rendered_at"]


# 5. A refusal looks like a refusal, not like a thank-you.


def test_a_refusal_without_javascript_is_an_alert_not_a_thank_you(client, appeal):
    Appeal.objects.filter(pk=appeal.pk).update(closed=True)
    closed = post_signature(client, appeal, language="fr").content.decode()
    assert 'class="refusal" role="alert"' in closed
    cross_site = post_signature(client, appeal, origin=EVIL).content.decode()
    assert 'class="refusal" role="alert"' in cross_site
    Appeal.objects.filter(pk=appeal.pk).update(closed=False)
    thanks = client.get(f"/en/appeals/{appeal.public_id}/thanks/").content.decode()
    assert 'role="status"' in thanks and "refusal" not in thanks
