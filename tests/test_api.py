"""The appeals router on Wagtail's API v3: the same appeal, letter and signing as the page."""

import json

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from appeals.models import Appeal, Signature
from tests.builders import (
    api_payload,
    make_case,
    make_signature,
    post_signature,
    set_appeal_option,
    sign_data,
    translate,
)

pytestmark = pytest.mark.django_db

EMAILS = ("api-signer@example.org", "form-signer@example.org")


def read(client, appeal, **params):
    return client.get(f"/api/v3/appeals/{appeal.public_id}/", params)


def sign_json(client, appeal, payload, locale="en", raw=None):
    return client.post(
        f"/api/v3/appeals/{appeal.public_id}/signatures/?locale={locale}",
        raw if raw is not None else json.dumps(payload),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    ("locale", "salutation"), [("en", "Dear Prosecutor,"), ("fr", "Monsieur le Procureur,")]
)
def test_the_appeal_in_each_language(client, appeal, locale, salutation):
    response = read(client, appeal, locale=locale)
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == appeal.public_id
    assert data["language"] == locale
    assert data["letter"]["salutation"] == salutation
    assert len(data["letter"]["demands"]) == 2
    assert data["state"] == {
        "open": True, "signature_count": 0, "goal": 100, "closes_at": None,
    }  # fmt: skip


def test_the_language_can_come_from_accept_language(client, appeal):
    data = client.get(
        f"/api/v3/appeals/{appeal.public_id}/", headers={"accept-language": "fr"}
    ).json()
    assert data["language"] == "fr"
    assert data["letter"]["salutation"] == "Monsieur le Procureur,"


@pytest.mark.parametrize(("locale", "germany"), [("fr", "Allemagne"), ("ar", "ألمانيا")])
def test_the_form_schema_is_labelled_in_the_requested_language(client, appeal, locale, germany):
    form = read(client, appeal, locale=locale).json()["form"]
    fields = {field["name"]: field for field in form["fields"]}
    # No public list of signers on this appeal: no opt-in to appear on one.
    assert set(fields) == {
        "name", "email", "country", "city", "message", "consent", "keep_informed",
    }  # fmt: skip
    with translation.override(locale):
        assert fields["name"]["label"] == translation.gettext("Your full name")
    assert fields["name"] | {"label": ""} == {
        "name": "name", "type": "text", "required": True, "label": "",
        "help_text": "", "max_length": 200,
    }  # fmt: skip
    assert fields["consent"]["type"] == "checkbox" and fields["consent"]["required"]
    assert germany in {choice["label"] for choice in fields["country"]["choices"]}


def test_signing_through_the_api_accepts_with_202_and_sends_the_email(
    client, appeal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_json(client, appeal, api_payload(), locale="fr")
    assert response.status_code == 202
    assert response.json()["status"] == "accepted"
    signature = Signature.objects.get()
    assert signature.language == "fr"
    assert len(mail.outbox) == 1


def test_signing_again_answers_the_same(client, appeal):
    first = sign_json(client, appeal, api_payload())
    again = sign_json(client, appeal, api_payload(email="API-signer@example.org"))
    assert first.status_code == again.status_code == 202
    assert first.content == again.content
    # Two submissions, each awaiting its own confirmation; neither counts yet.
    assert Signature.objects.pending().count() == 2


@pytest.mark.parametrize("locale", ["en", "fr", "ar"])
def test_errors_are_per_field_in_the_requested_language(client, appeal, locale):
    response = sign_json(client, appeal, api_payload(email="nope", consent=False), locale=locale)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid"
    assert set(body["errors"]) == {"email", "consent"}
    with translation.override(locale):
        assert body["errors"]["consent"] == [
            translation.gettext("Please agree, so that we can deliver your signature.")
        ]


@pytest.mark.parametrize(
    ("raw", "status", "english"),
    [
        ("{not json", 400, {"message": "The request body is not valid JSON."}),
        ("[1, 2]", 400, {"message": "The request body must be a JSON object."}),
        (json.dumps({"name": "x", "admin": True}), 400, {"message": "Unknown fields: %(fields)s."}),
        (
            json.dumps({"name": {"nested": 1}, "email": 5, "country": [1]}),
            400,
            {
                "name": "Send this field as text (a JSON string).",
                "email": "Send this field as text (a JSON string).",
                "country": "Send this field as text (a JSON string).",
            },
        ),
        (json.dumps({"message": "x" * (70 * 1024)}), 413, {"message": "The request is too large."}),
    ],
)
def test_bad_bodies_get_a_json_4xx_in_the_requested_language_and_store_nothing(
    client, appeal, raw, status, english
):
    response = sign_json(client, appeal, None, locale="fr", raw=raw)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    # A message, or messages per field: each one in French, as asked.
    with translation.override("fr"):
        french = {key: translation.gettext(text) for key, text in english.items()}
    assert french != english
    if "message" in english:
        expected = french["message"].replace("%(fields)s", "admin")
        assert body == {"status": "error", "message": expected}
    else:
        assert body == {"status": "invalid", "errors": {k: [v] for k, v in french.items()}}
    assert not Signature.objects.exists()


def test_an_unknown_appeal_is_a_json_404(client):
    response = client.get("/api/v3/appeals/unknown/?locale=ar")
    assert response.status_code == 404
    with translation.override("ar"):
        assert response.json()["message"] == translation.gettext(
            "There is no appeal at this address."
        )


def test_a_closed_appeal_answers_410(client, appeal):
    Appeal.objects.filter(pk=appeal.pk).update(closed=True)
    response = sign_json(client, appeal, api_payload())
    assert response.status_code == 410
    assert read(client, appeal).json()["state"]["open"] is False
    assert not Signature.objects.exists()


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=1)
def test_rate_limited_signing_answers_429_with_retry_after(client, appeal):
    sign_json(client, appeal, api_payload())
    response = sign_json(client, appeal, api_payload(email="second@example.org"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_the_honeypot_answers_202_and_stores_nothing(client, appeal):
    assert sign_json(client, appeal, api_payload(website="x")).status_code == 202
    assert not Signature.objects.exists()


def test_confirming_through_the_api(client, appeal):
    sign_json(client, appeal, api_payload())
    signature = Signature.objects.get()
    token = signature.issue_token()
    signature.save()
    confirm = "/api/v3/appeals/confirm/?locale=fr"
    first = client.post(confirm, {"token": token}, content_type="application/json")
    again = client.post(confirm, {"token": token}, content_type="application/json")
    forged = client.post(confirm, {"token": "forged"}, content_type="application/json")
    assert (first.status_code, again.status_code, forged.status_code) == (200, 200, 404)
    assert first.json()["status"] == "confirmed"
    assert again.json()["status"] == "already_confirmed"
    appeal.refresh_from_db()
    assert appeal.signature_count == 1


# One table of cases for both doors: the HTML form and the API must agree.
SHARED_CASES = [
    ({}, "accepted"),
    ({"email": "bad"}, "invalid"),
    ({"consent": None}, "invalid"),
    ({"country": "XX"}, "invalid"),
    ({"website": "spam"}, "accepted"),
]


@pytest.mark.parametrize(("change", "outcome"), SHARED_CASES)
def test_the_html_form_and_the_api_give_identical_results(client, appeal, change, outcome):
    form = sign_data(**{"email": EMAILS[1], **change})
    html = post_signature(client, appeal, form, json=True)
    payload = api_payload(**{"email": EMAILS[0], **change})
    payload = {name: value for name, value in payload.items() if value is not None}
    api = sign_json(client, appeal, payload)
    assert html.json()["status"] == api.json()["status"] == outcome
    if outcome == "invalid":
        assert html.json()["errors"] == api.json()["errors"]
    stored = set(Signature.objects.values_list("email", flat=True))
    assert (EMAILS[0] in stored) == (EMAILS[1] in stored) == (change == {})


def test_no_response_reveals_an_email_or_a_signature(client, tree, appeal):
    sign_json(client, appeal, api_payload())
    Signature.objects.update(show_publicly=True, confirmed_at="2026-01-01T00:00:00Z")
    responses = [
        read(client, appeal),
        sign_json(client, appeal, api_payload()),
        client.get("/api/v3/pages/"),
        client.get(tree.case.url),
    ]
    for response in responses:
        assert "api-signer@example.org" not in response.content.decode()


def test_case_pages_are_listed_per_locale_and_by_translation(client, tree):
    french = client.get("/api/v3/pages/", {"type": "appeals.CasePage", "locale": "fr"}).json()
    assert [item["title"] for item in french["items"]] == ["Libérez Lena Orlova"]
    translations = client.get(
        "/api/v3/pages/", {"type": "appeals.CasePage", "translation_of": tree.case.id}
    ).json()
    assert {item["meta"]["locale"] for item in translations["items"]} == {"fr"}


def test_a_case_page_serialises_every_block_as_structured_data(client, tree):
    from appeals.models import CaseUpdate, Status

    status = Status.objects.create(
        name="Under investigation", slug="under-investigation", locale=tree.english
    )
    update = CaseUpdate(date="2024-05-02", text="Police searched her home.", status=status)
    case = make_case(tree.index, status=status, updates=[update])
    data = client.get(f"/api/v3/pages/{case.id}/").json()
    blocks = {}
    for block in data["body"]:
        blocks.setdefault(block["type"], block["value"])  # the first of each type
    assert blocks["incident"]["date"] == "2024-05-02"
    assert blocks["incident"]["narrative"].startswith("<p>")
    assert blocks["demands"]["introduction"] == "I urge the authorities to:"
    assert len(blocks["demands"]["demands"]) == 2
    assert blocks["recipient"]["phone"] == "+7 495 987 5656"
    assert blocks["recipient"]["address_lines"] == ["Bolshaya Dmitrovka 15a"]
    assert data["status_data"] == {
        "slug": "under-investigation", "name": "Under investigation", "closed": False,
    }  # fmt: skip
    assert data["timeline_data"][0]["date"] == "2024-05-02"
    (appeal_block,) = [block for block in data["body"] if block["type"] == "appeal"]
    assert appeal_block["appeal"]["letter"]["salutation"] == "Dear Prosecutor,"
    assert appeal_block["appeal"]["state"]["open"] is True
    assert "form" not in appeal_block["appeal"]


def test_the_appeal_block_in_the_body_carries_its_appeal(client, tree, appeal):
    data = client.get(f"/api/v3/pages/{tree.french_case.id}/").json()
    (appeal_block,) = [block for block in data["body"] if block["type"] == "appeal"]
    assert appeal_block["appeal"]["id"] == appeal.public_id
    assert appeal_block["appeal"]["language"] == "fr"
    assert appeal_block["appeal"]["letter"]["language"] == "fr"
    assert appeal_block["appeal"]["letter"]["salutation"] == "Monsieur le Procureur,"


def test_api_answers_are_utf8_not_ascii_escaped(
    client, tree, appeal, django_capture_on_commit_callbacks
):
    arabic = translate(
        tree.case, "ar", {"Free Lena Orlova": "أطلقوا سراح لينا أورلوفا"},
        capture=django_capture_on_commit_callbacks,
    )  # fmt: skip
    for url in (f"/api/v3/pages/{arabic.id}/", f"/api/v3/appeals/{appeal.public_id}/?locale=ar"):
        body = client.get(url).content
        assert b"\\u06" not in body and b"\\u04" not in body
        assert "أطلقوا سراح لينا أورلوفا".encode() in body  # as UTF-8, two bytes a letter


def test_the_read_answer_matches_its_typed_schema(client, appeal):
    from appeals.api.schemas import AppealOut

    for locale in ("en", "ar"):
        AppealOut.model_validate(read(client, appeal, locale=locale).json())


@override_settings(
    APPEALS_CONFIRMATION_URL="https://front.example/{language}/confirm?token={token}"
)
def test_the_emailed_link_can_point_at_a_front_end(
    client, appeal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_json(client, appeal, api_payload(), locale="fr")
    (email,) = mail.outbox
    assert "https://front.example/fr/confirm?token=" in email.body


def test_the_public_signers_list_gives_first_name_and_country_only(client, tree, appeal):
    assert read(client, appeal).json()["recent_signers"] is None  # not shown by default
    set_appeal_option(tree.case, show_signers=True)
    make_signature(appeal, name="Amal Haddad", email="amal@example.org", show_publicly=True)
    make_signature(
        appeal, name="Boris Hidden", email="boris@example.org", country="FR", show_publicly=False
    )
    response = read(client, appeal)
    assert response.json()["recent_signers"] == [{"first_name": "Amal", "country": "LB"}]
    assert "Haddad" not in response.content.decode() and "amal@" not in response.content.decode()


def test_every_block_type_is_served_and_typed(client, tree):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from tests.builders import case_body, stream_block

    image = Image.objects.create(title="Protest", file=get_test_image_file())
    body = case_body() + [
        stream_block("image", {"image": image.pk, "alt_text": "Protesters", "decorative": False})
    ]
    case = make_case(tree.index, body=body)
    data = client.get(f"/api/v3/pages/{case.id}/").json()
    served = {block["type"] for block in data["body"]}
    assert served == {
        "incident", "demands", "recipient", "appeal", "paragraph", "quote", "image",
    }  # fmt: skip
    schemas = client.get("/api/v3/openapi.json").json()["components"]["schemas"]
    for name in ("Incident", "Demands", "Recipient", "Appeal", "Paragraph", "Quote", "Image"):
        assert f"{name}Block" in schemas
    assert schemas["IncidentValue"]["properties"]["date"]["format"] == "date"


@pytest.mark.parametrize("path", ["/api/v3/appeals/{id}/", "/api/v3/appeals/{id}/signatures/"])
def test_an_unsupported_locale_is_a_400_in_the_best_language(client, appeal, path):
    url = path.format(id=appeal.public_id) + "?locale=klingon"
    method = client.get if path.endswith("/{id}/") else client.post
    response = method(url, headers={"accept-language": "fr"})
    assert response.status_code == 400
    with translation.override("fr"):
        expected = translation.gettext("Unsupported language. Use one of: %(languages)s.")
    assert expected != "Unsupported language. Use one of: %(languages)s."
    assert response.json()["message"].startswith(expected.split("%")[0])


def test_the_form_schema_offers_the_public_opt_in_only_with_a_public_list(client, tree, appeal):
    names = [field["name"] for field in read(client, appeal).json()["form"]["fields"]]
    assert "show_publicly" not in names
    set_appeal_option(tree.case, show_signers=True)
    names = [field["name"] for field in read(client, appeal).json()["form"]["fields"]]
    assert "show_publicly" in names


def test_an_api_opt_in_is_ignored_when_the_appeal_shows_no_list(client, appeal):
    assert sign_json(client, appeal, api_payload(show_publicly=True)).status_code == 202
    assert Signature.objects.get().show_publicly is False
