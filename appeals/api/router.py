"""The appeals router for Wagtail's API v3: read an appeal, sign it, confirm or withdraw a
signature.

Every route is anonymous (``auth=None``) and CSRF-exempt, on purpose: signing
needs no session, and no route returns anything personal. They are protected
by the same checks as the HTML form: validation, the honeypot, the render
time, the rate limit and the confirmation e-mail. The two posting routes take
only ``application/json`` and refuse an ``Origin`` they do not know: a browser
sends a ``text/plain`` or form post from any website without asking first.
Outcomes are answered from the one table in ``appeals.outcomes``.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from ninja import Router

from appeals import outcomes, privacy
from appeals.api.representations import appeal_data
from appeals.api.schemas import AppealOut, ClosedOut, InvalidOut, MessageOut, ResubmitOut
from appeals.models import Appeal, AppealsSettings
from appeals.protection import client_network, is_allowed_api_origin
from appeals.signing import confirm, sign


def json_response(data, *, status=200):
    """UTF-8 JSON: Arabic and Cyrillic as themselves, not as \\u escapes."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


router = Router(tags=["appeals"])
# Routes are matched in order: /confirm/ and /withdraw/ come before /{appeal_id}/.

MAX_BODY_BYTES = 64 * 1024
BOOLEAN_FIELDS = {"consent", "keep_informed", "show_publicly"}
STRING_FIELDS = {"name", "email", "country", "city", "message", "website", "rendered_at"}
SIGNATURE_FIELDS = BOOLEAN_FIELDS | STRING_FIELDS
CONFIRMATION_FIELDS = {"token"}


def supported_languages():
    return [code for code, _name in settings.LANGUAGES]


def requested_language(request, locale):
    """``?locale=`` when given, else the best of Accept-Language."""
    return locale or translation.get_language_from_request(request)


def unsupported_language(request, locale):
    """A 400 in the visitor's best language for a ``?locale=`` we do not speak, else None."""
    if not locale or locale in supported_languages():
        return None
    with translation.override(translation.get_language_from_request(request)):
        return error(
            400,
            translation.gettext("Unsupported language. Use one of: %(languages)s.")
            % {"languages": ", ".join(supported_languages())},
        )


def error(status, message, **extra):
    return json_response({"status": "error", "message": str(message), **extra}, status=status)


def refused_post(request, *, confirming=False, withdrawing=False):
    """A 403 for a post from an origin we do not know, a 415 for a body that is not JSON;
    None for a post the route may read."""
    if not is_allowed_api_origin(request):
        answer = outcomes.cross_site_answer(confirming=confirming, withdrawing=withdrawing)
        return outcomes.json_answer(answer)
    if request.content_type.lower() != "application/json":
        return error(
            415,
            translation.gettext(
                "Send the request body as JSON, with the header Content-Type: application/json."
            ),
        )
    return None


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def json_object(request, fields):
    """The JSON object posted, with only ``fields`` in it: (object, None), or (None, a 4xx)."""
    # Before reading the body: one over Django's own limit would be refused as HTML.
    if declared_length(request) > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        return None, error(413, translation.gettext("The request is too large."))
    try:
        payload = json.loads(request.body or b"null")
    except RecursionError:
        return None, error(400, translation.gettext("The request body is nested too deeply."))
    except (ValueError, UnicodeDecodeError):
        return None, error(400, translation.gettext("The request body is not valid JSON."))
    if not isinstance(payload, dict):
        return None, error(400, translation.gettext("The request body must be a JSON object."))
    unknown = sorted(set(payload) - fields)
    if unknown:
        names = ", ".join(printable(name) for name in unknown)[:200]
        return None, error(
            400, translation.gettext("Unknown fields: %(fields)s.") % {"fields": names}
        )
    if errors := type_errors(payload):
        return None, json_response({"status": "invalid", "errors": errors}, status=400)
    return payload, None


def printable(text):
    """``text`` as it can be written back in UTF-8 (a lone surrogate as its escape)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def encodes_to_utf8(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, such as "\ud800"
        return False
    return True


def type_errors(payload):
    """Per field, what is not of the field's JSON type: a boolean is ``true`` or ``false``, a
    text is a string that is valid Unicode. ``null`` is taken as absent."""
    errors = {}
    for name, value in payload.items():
        if value is None:
            continue
        if name in BOOLEAN_FIELDS and not isinstance(value, bool):
            errors[name] = [translation.gettext("Send true or false for this field.")]
        elif name not in BOOLEAN_FIELDS and not isinstance(value, str):
            errors[name] = [translation.gettext("Send this field as text (a JSON string).")]
        elif isinstance(value, str) and not encodes_to_utf8(value):
            errors[name] = [
                translation.gettext("This text contains characters that are not valid Unicode.")
            ]
    return errors


def as_form_data(payload):
    """The checked JSON as an HTML form sends it: text as it is, checkboxes present when true."""
    data = {}
    for name, value in payload.items():
        if value is True:
            data[name] = "on"
        elif isinstance(value, str):
            data[name] = value
    return data


def json_request_body(fields, description):
    """An OpenAPI request body: a JSON object of ``fields`` and nothing else."""
    return {"content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": False, **fields,
    }}}, "required": True, "description": description}  # fmt: skip


BODY_RULES = (
    "Only `Content-Type: application/json` (else 415), at most 64 KB (else 413). A present "
    "`Origin` must be this site's or one of `CORS_ALLOWED_ORIGINS` (else 403). `null` is "
    "taken as an absent field; any other value of the wrong JSON type is a 400 naming the field."
)

CONFIRMATION_REQUEST_BODY = json_request_body(
    {"properties": {"token": {"type": ["string", "null"], "maxLength": 100,
                              "description": "The token of the e-mailed link."}}},
    BODY_RULES,
)  # fmt: skip

WITHDRAWAL_REQUEST_BODY = json_request_body(
    {"properties": {"token": {"type": ["string", "null"], "maxLength": 100,
                              "description": "The token of the e-mailed withdrawal link."}}},
    BODY_RULES,
)  # fmt: skip


@router.post(
    "/confirm/",
    auth=None,
    summary="Confirm a signature with its e-mailed token",
    operation_id="appeals_api_confirm_signature",
    description=(
        "200: confirmed, or already confirmed; 400: not a JSON object of `token`; "
        "403: another site's origin; 404: unknown token; 410: expired; 413: over 64 KB; "
        "415: not JSON."
    ),
    openapi_extra={"requestBody": CONFIRMATION_REQUEST_BODY},
    response={
        200: MessageOut,
        400: InvalidOut | MessageOut,
        403: MessageOut,
        404: MessageOut,
        410: MessageOut,
        413: MessageOut,
        415: MessageOut,
    },
)
def confirm_signature(request, locale: str | None = None):
    return settle_token(request, locale, confirm, outcomes.confirmation_answer, confirming=True)


@router.post(
    "/withdraw/",
    auth=None,
    summary="Withdraw a signature with its e-mailed withdrawal token",
    operation_id="appeals_api_withdraw_signature",
    description=(
        "Confirmed or not, the signature is deleted and no longer counted. 200: withdrawn, "
        "or already withdrawn; 400: not a JSON object of `token`; 403: another site's "
        "origin; 404: unknown token (or a signature no longer kept); 413: over 64 KB; "
        "415: not JSON."
    ),
    openapi_extra={"requestBody": WITHDRAWAL_REQUEST_BODY},
    response={
        200: MessageOut,
        400: InvalidOut | MessageOut,
        403: MessageOut,
        404: MessageOut,
        413: MessageOut,
        415: MessageOut,
    },
)
def withdraw_signature(request, locale: str | None = None):
    return settle_token(
        request, locale, privacy.withdraw, outcomes.withdrawal_answer, withdrawing=True
    )


def settle_token(request, locale, settle, answer, **post_kind):
    """An e-mailed link's token posted as ``{"token": ...}``: ``settle`` acts on it (confirm,
    withdraw) and ``answer`` turns its outcome into the reply, in the request's language."""
    if problem := unsupported_language(request, locale):
        return problem
    with translation.override(requested_language(request, locale)):
        if refusal := refused_post(request, **post_kind):
            return refusal
        payload, problem = json_object(request, CONFIRMATION_FIELDS)
        if problem:
            return problem
        outcome, _settled = settle(payload.get("token") or "")
        return outcomes.json_answer(answer(outcome))


@router.get(
    "/{appeal_id}/",
    auth=None,
    summary="An appeal in one language, with its letter, state and form",
    operation_id="appeals_api_read_appeal",
    response={200: AppealOut, 400: MessageOut, 404: MessageOut},
)
def read_appeal(request, appeal_id: str, locale: str | None = None):
    if problem := unsupported_language(request, locale):
        return problem
    language = requested_language(request, locale)
    with translation.override(language):
        appeal, page = Appeal.objects.with_case_page(appeal_id, language)
        if page is None:
            return outcomes.json_answer(outcomes.not_found_answer())
        return json_response(appeal_data(appeal, page))


TEXT = ["string", "null"]
SIGNATURE_REQUEST_BODY = json_request_body(
    {
        "required": ["name", "email", "country", "consent", "rendered_at"],
        "properties": {
            "name": {"type": "string", "maxLength": 200},
            "email": {"type": "string", "format": "email", "maxLength": 254},
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
            "city": {"type": TEXT, "maxLength": 100},
            "message": {"type": TEXT, "maxLength": 1000},
            "consent": {"type": "boolean"},
            "keep_informed": {"type": ["boolean", "null"]},
            "show_publicly": {"type": ["boolean", "null"]},
            "website": {"type": TEXT, "description": "Honeypot: leave empty."},
            "rendered_at": {
                "type": "string",
                "description": "The form's signed render time, from GET /appeals/{id}/.",
            },
        },
    },
    BODY_RULES,
)


@router.post(
    "/{appeal_id}/signatures/",
    auth=None,
    summary="Sign an appeal",
    operation_id="appeals_api_create_signature",
    description=(
        "Answers 202 with the same body whether or not the address had signed. "
        "400: invalid input, with `errors` per field, or `resubmit` (the form came back "
        "too soon or after hours: send it once more with the `rendered_at` given); "
        "403: another site's origin; 404: unknown appeal; 410: the appeal is closed (or its "
        "block was removed from the page); 413: body over 64 KB; 415: not JSON; "
        "429: rate-limited, see Retry-After. "
        "Messages are in the language of `?locale=` or Accept-Language."
    ),
    openapi_extra={"requestBody": SIGNATURE_REQUEST_BODY},
    response={
        202: MessageOut,
        400: InvalidOut | ResubmitOut | MessageOut,
        403: MessageOut,
        404: MessageOut,
        410: ClosedOut,
        413: MessageOut,
        415: MessageOut,
        429: MessageOut,
    },
)
def create_signature(request, appeal_id: str, locale: str | None = None):
    if problem := unsupported_language(request, locale):
        return problem
    language = requested_language(request, locale)
    with translation.override(language):
        return signature_response(request, appeal_id, language)


def signature_response(request, appeal_id, language):
    if refusal := refused_post(request):
        return refusal
    appeal, page = Appeal.objects.with_case_page(appeal_id, language)
    if page is None:
        return outcomes.json_answer(outcomes.not_found_answer())
    payload, problem = json_object(request, SIGNATURE_FIELDS)
    if problem:
        return problem
    result = sign(
        appeal,
        as_form_data(payload),
        page=page,
        language=language,
        network=client_network(request),
        consent_version=AppealsSettings.for_page(page, request).consent_version,
    )
    return outcomes.json_answer(outcomes.signing_answer(result, appeal))
