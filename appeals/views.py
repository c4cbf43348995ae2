"""Signing and confirming from the HTML page, with or without JavaScript."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from appeals import counters, outcomes
from appeals.models import Appeal, AppealsSettings
from appeals.protection import client_address, is_same_origin
from appeals.signing import Outcome, confirm, sign


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def message_response(request, title, message, *, status, page=None, extra=None):
    """A short page (or JSON, for scripts) that says what happened, in the visitor's language."""
    if wants_json(request):
        return JsonResponse(
            {"message": message, **(extra or {})},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    context = {"title": title, "message": message, "page": page, **(extra or {})}
    return TemplateResponse(request, "appeals/message.html", context, status=status)


def appeal_not_found(request):
    return message_response(
        request, _("Appeal not found"), outcomes.appeal_not_found_message(), status=404
    )


@csrf_exempt  # checked by origin instead, so that the page needs no CSRF cookie
@require_POST
@never_cache
def sign_view(request, public_id):
    appeal, page = Appeal.objects.with_case_page(public_id, get_language())
    if page is None:
        return appeal_not_found(request)
    if not is_same_origin(request):
        return message_response(
            request,
            _("Signature refused"),
            _("This form was sent from another website. Please sign on this site's own page."),
            status=403,
            page=page,
        )
    result = sign(
        appeal,
        request.POST,
        language=get_language(),
        client_address=client_address(request),
        consent_version=AppealsSettings.for_request(request).consent_version,
    )
    return SIGNING_RESPONSES[result.outcome](request, page, appeal, result)


def accepted_response(request, page, appeal, result):
    if wants_json(request):
        return JsonResponse(
            {"status": "accepted", "message": outcomes.check_email_message()},
            status=200,
            json_dumps_params={"ensure_ascii": False},
        )
    return redirect(reverse("appeals:thanks", args=[appeal.public_id]), permanent=False)


def invalid_response(request, page, appeal, result):
    if wants_json(request):
        errors = {
            name: [str(message) for message in messages]
            for name, messages in result.form.errors.items()
        }
        return JsonResponse(
            {"status": "invalid", "errors": errors},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    context = page.get_context(request)
    context.update(signature_form=result.form, signature_form_appeal=appeal.pk)
    return TemplateResponse(request, page.get_template(request), context, status=400)


def closed_response(request, page, appeal, result):
    answer = outcomes.signing_answer(result.outcome, appeal)
    return message_response(
        request,
        _("This appeal is closed"),
        answer.message,
        status=answer.status,
        page=page,
        extra={"status": "closed", "count": counters.current(appeal)},
    )


def rate_limited_response(request, page, appeal, result):
    answer = outcomes.signing_answer(result.outcome, appeal)
    response = message_response(
        request,
        _("Too many signatures from your connection"),
        answer.message,
        status=answer.status,
        page=page,
        extra={"status": "rate_limited"},
    )
    response["Retry-After"] = str(max(1, result.retry_after))
    return response


SIGNING_RESPONSES = {
    Outcome.ACCEPTED: accepted_response,
    Outcome.INVALID: invalid_response,
    Outcome.CLOSED: closed_response,
    Outcome.RATE_LIMITED: rate_limited_response,
    Outcome.RESUBMIT: invalid_response,  # placeholder until the outcomes table has its message
}


@require_GET
@never_cache
def thanks_view(request, public_id):
    appeal, page = Appeal.objects.with_case_page(public_id, get_language())
    if page is None:
        return appeal_not_found(request)
    return message_response(
        request, _("Thank you for signing"), outcomes.check_email_message(), status=200, page=page
    )


@csrf_exempt  # checked by origin instead
@require_http_methods(["GET", "POST"])
@never_cache
def confirm_view(request, token=None):
    """GET shows a button; only the POST it sends confirms, so mail scanners confirm no one.

    The token comes in the link's query string (or, in older links, its path) and
    goes back in the POST's body, so that the POST's address carries no secret.
    """
    token = request.POST.get("token") or request.GET.get("token") or token or ""
    if request.method == "GET":
        context = {"title": _("Confirm your signature"), "token": token}
        return TemplateResponse(request, "appeals/confirm.html", context)
    if not is_same_origin(request):
        return message_response(
            request,
            _("Confirmation refused"),
            _("This form was sent from another website. Please use the link in your e-mail."),
            status=403,
        )
    outcome, signature = confirm(token)
    answer = outcomes.confirmation_answer(outcome)
    page = signature.appeal.get_case_page(get_language()) if signature else None
    return message_response(
        request,
        _("Confirm your signature"),
        answer.message,
        status=answer.status,
        page=page,
        extra={"status": outcome.value},
    )
