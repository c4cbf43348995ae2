"""The appeals router for Wagtail's API v3: read an appeal, sign it, confirm a signature.

Every route is anonymous (``auth=None``) and CSRF-exempt, on purpose: signing
needs no session, and no route returns anything personal. They are protected
by the same checks as the HTML form: validation, the honeypot, the render
time, the rate limit and the confirmation e-mail.
"""

import json

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from ninja import Router

from appeals import counters, outcomes
from appeals.api.representations import appeal_data
from appeals.api.schemas import AppealOut, ClosedOut, InvalidOut, MessageOut
from appeals.models import Appeal, AppealsSettings
from appeals.protection import client_address
from appeals.signing import Outcome, confirm, sign


def json_response(data, *, status=200):
    """UTF-8 JSON: Arabic and Cyrillic as themselves, not as \\u escapes."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


router = Router(tags=["appeals"])
# Routes are matched in order: /confirm/ comes before /{appeal_id}/.

MAX_BODY_BYTES = 64 * 1024
SIGNATURE_FIELDS = {
    "name", "email", "country", "city", "message", "consent", "keep_informed",
    "show_publicly", "website", "rendered_at",
}  # fmt: skip


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


@router.post(
    "/confirm/",
    auth=None,
    summary="Confirm a signature with its e-mailed token",
    operation_id="appeals_api_confirm_signature",
    response={200: MessageOut, 400: MessageOut, 404: MessageOut, 410: MessageOut},
)
def confirm_signature(request, locale: str | None = None):
    if problem := unsupported_language(request, locale):
        return problem
    language = requested_language(request, locale)
    with translation.override(language):
        try:
            token = json.loads(request.body or b"{}").get("token", "")
        except (ValueError, AttributeError, UnicodeDecodeError):
            return error(400, translation.gettext("The request body is not valid JSON."))
        outcome, _signature = confirm(token if isinstance(token, str) else "")
        answer = outcomes.confirmation_answer(outcome)
        return json_response(
            {"status": outcome.value, "message": str(answer.message)}, status=answer.status
        )


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
            return error(404, outcomes.appeal_not_found_message())
        return json_response(appeal_data(appeal, page))


def signature_payload(request):
    """The JSON object posted, or an error message (in the active language)."""
    if len(request.body) > MAX_BODY_BYTES:
        return None, translation.gettext("The request is too large.")
    try:
        payload = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None, translation.gettext("The request body is not valid JSON.")
    if not isinstance(payload, dict):
        return None, translation.gettext("The request body must be a JSON object.")
    unknown = sorted(set(payload) - SIGNATURE_FIELDS)
    if unknown:
        return None, translation.gettext("Unknown fields: %(fields)s.") % {
            "fields": ", ".join(unknown)[:200]
        }
    return as_form_data(payload), None


def as_form_data(payload):
    """JSON values as an HTML form would send them: text, and checkboxes present when true."""
    data = {}
    for name, value in payload.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, str | int | float):
            data[name] = str(value)
        elif value is not None:
            data[name] = json.dumps(value)  # refused by the field's validation
    return data


SIGNATURE_REQUEST_BODY = {
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "email", "country", "consent", "rendered_at"],
                "properties": {
                    "name": {"type": "string", "maxLength": 200},
                    "email": {"type": "string", "format": "email", "maxLength": 254},
                    "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
                    "city": {"type": "string", "maxLength": 100},
                    "message": {"type": "string", "maxLength": 1000},
                    "consent": {"type": "boolean"},
                    "keep_informed": {"type": "boolean"},
                    "show_publicly": {"type": "boolean"},
                    "website": {"type": "string", "description": "Honeypot: leave empty."},
                    "rendered_at": {
                        "type": "string",
                        "description": "The form's signed render time, from GET /appeals/{id}/.",
                    },
                },
            }
        }
    },
    "required": True,
}


@router.post(
    "/{appeal_id}/signatures/",
    auth=None,
    summary="Sign an appeal",
    operation_id="appeals_api_create_signature",
    description=(
        "Answers 202 with the same body whether or not the address had signed. "
        "400: invalid input, with `errors` per field; 404: unknown appeal; "
        "410: the appeal is closed; 413: body over 64 KB; 429: rate-limited, see Retry-After. "
        "Messages are in the language of `?locale=` or Accept-Language."
    ),
    openapi_extra={"requestBody": SIGNATURE_REQUEST_BODY},
    response={
        202: MessageOut,
        400: InvalidOut | MessageOut,
        404: MessageOut,
        410: ClosedOut,
        413: MessageOut,
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
    appeal, page = Appeal.objects.with_case_page(appeal_id, language)
    if page is None:
        return error(404, outcomes.appeal_not_found_message())
    data, problem = signature_payload(request)
    if problem:
        status = 413 if len(request.body) > MAX_BODY_BYTES else 400
        return error(status, problem)
    result = sign(
        appeal,
        data,
        language=language,
        client_address=client_address(request),
        consent_version=AppealsSettings.for_request(request).consent_version,
    )
    if result.outcome is Outcome.RESUBMIT:  # placeholder until the outcomes table has it
        return error(400, "resubmit")
    if result.outcome is Outcome.INVALID:
        errors = {name: list(messages) for name, messages in result.form.errors.items()}
        return json_response({"status": "invalid", "errors": errors}, status=400)
    answer = outcomes.signing_answer(result.outcome, appeal, api=True)
    if result.outcome is Outcome.CLOSED:
        return error(answer.status, answer.message, count=counters.current(appeal))
    if result.outcome is Outcome.RATE_LIMITED:
        response = error(answer.status, answer.message)
        response["Retry-After"] = str(max(1, result.retry_after))
        return response
    return json_response({"status": "accepted", "message": answer.message}, status=answer.status)
