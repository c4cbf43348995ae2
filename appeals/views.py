"""Signing and confirming from the HTML page, with or without JavaScript."""

from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from appeals import counters, informing, outcomes, privacy
from appeals.cache import is_shared_request
from appeals.conf import appeals_conf
from appeals.forms import SignatureForm, signed_render_time
from appeals.localization import content_language, text_language
from appeals.models import Appeal, AppealsSettings
from appeals.printed_letter import letter_choices
from appeals.protection import client_network, is_same_origin
from appeals.signing import Outcome, SigningResult, check_token, confirm, sign
from appeals.templatetags.appeals_tags import localized_number


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def answer_response(request, answer, *, page=None):
    """An answer from ``appeals.outcomes``: its JSON for scripts, else a short page that
    says what happened (a refusal marked as one), in the visitor's language."""
    if wants_json(request):
        return outcomes.json_answer(answer)
    context = {
        "title": answer.title,
        "message": answer.message,
        "page": page,
        "refused": answer.refused,
    }
    response = TemplateResponse(request, "appeals/message.html", context, status=answer.status)
    for name, value in answer.headers.items():
        response[name] = value
    return response


def form_data(request):
    """The posted form. A body that is not UTF-8 is read with its broken bytes as U+FFFD,
    which the form refuses field by field; Django would read it as Latin-1 instead, and
    store mojibake nobody typed."""
    body = request.body
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        if request.content_type == "application/x-www-form-urlencoded":
            return QueryDict(body.decode("utf-8", errors="replace"))
    return request.POST


@csrf_exempt  # checked by origin instead, so that the page needs no CSRF cookie
@require_http_methods(["GET", "POST"])
@never_cache
def sign_view(request, public_id):
    """POST signs. GET, the address left in the address bar by a page answered without
    JavaScript, leads back to the appeal on its case page."""
    appeal, page = Appeal.objects.with_case_page(public_id, get_language())
    if page is None:
        return answer_response(request, outcomes.not_found_answer())
    if request.method == "GET":
        return redirect(f"{page.get_url(request)}#appeal")
    if not is_same_origin(request):
        return answer_response(request, outcomes.cross_site_answer(), page=page)
    result = sign(
        appeal,
        form_data(request),
        page=page,
        language=get_language(),
        network=client_network(request),
        consent_version=AppealsSettings.for_page(page, request).consent_version,
    )
    return signing_response(request, page, appeal, result)


def signing_response(request, page, appeal, result):
    """The table's answer to ``result``, rendered: JSON for the script; else the thanks page,
    the case page again with the form, or a short message page."""
    answer = outcomes.signing_answer(result, appeal)
    if wants_json(request):
        return outcomes.json_answer(answer)
    if result.outcome is Outcome.ACCEPTED:
        return redirect(reverse("appeals:thanks", args=[appeal.public_id]), permanent=False)
    if result.outcome is Outcome.INVALID:
        return page_with_form(request, page, appeal, result.form, answer)
    if result.outcome is Outcome.RESUBMIT:
        public_list = appeal.show_signers
        form = resubmitted_form(request, answer, public_list)
        return page_with_form(request, page, appeal, form, answer)
    return answer_response(request, answer, page=page)


def resubmitted_form(request, answer, public_list):
    """The visitor's form as they sent it, with the fresh render time of ``answer``."""
    data = form_data(request).copy()
    data["rendered_at"] = answer.extra["rendered_at"]
    return SignatureForm(data, auto_id="id_%s", public_list=public_list)


def page_with_form(request, page, appeal, form, answer):
    """The case page again, with the visitor's form (its errors, or a message above it)."""
    context = page.get_context(request)
    context.update(
        signature_form=form,
        signature_form_appeal=appeal.pk,
        signature_form_message=answer.message,
    )
    return TemplateResponse(request, page.get_template(request), context, status=answer.status)


@require_GET
@never_cache
def thanks_view(request, public_id):
    appeal, page = Appeal.objects.with_case_page(public_id, get_language())
    if page is None:
        return answer_response(request, outcomes.not_found_answer())
    answer = outcomes.signing_answer(SigningResult(Outcome.ACCEPTED), appeal)
    # The page after a redirect: it shows the message, with 200, not the API's 202.
    return TemplateResponse(
        request,
        "appeals/message.html",
        {"title": answer.title, "message": answer.message, "page": page},
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
        return confirmation_page(request, token)
    if not is_same_origin(request):
        return answer_response(request, outcomes.cross_site_answer(confirming=True))
    outcome, signature = confirm(token)
    page = signature.appeal.get_case_page(get_language()) if signature else None
    return answer_response(request, outcomes.confirmation_answer(outcome), page=page)


def confirmation_page(request, token):
    """The page a confirmation link opens: it names the appeal, and offers the button only
    while the submission awaits confirmation; a used, expired or unknown link says so."""
    refusal, signature = check_token(token)
    answer = outcomes.confirmation_answer(refusal) if refusal else None
    return link_page(request, "confirm", _("Confirm your signature"), token, answer, signature)


@csrf_exempt  # checked by origin instead
@require_http_methods(["GET", "POST"])
@never_cache
def withdraw_view(request):
    """GET shows a button; only the POST it sends withdraws, so mail scanners withdraw no one.

    The token comes in the link's query string and goes back in the POST's body.
    """
    token = request.POST.get("token") or request.GET.get("token") or ""
    if request.method == "GET":
        refusal, signature = privacy.check_withdrawal(token)
        answer = outcomes.withdrawal_answer(refusal) if refusal else None
        title = _("Withdraw your signature")
        return link_page(request, "withdraw", title, token, answer, signature)
    if not is_same_origin(request):
        return answer_response(request, outcomes.cross_site_answer(withdrawing=True))
    outcome, appeal = privacy.withdraw(token)
    page = appeal.get_case_page(get_language()) if appeal else None
    return answer_response(request, outcomes.withdrawal_answer(outcome), page=page)


@csrf_exempt  # the token is the authority: a mail client's one-click POST has no Origin
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe_view(request):
    """GET shows a button; the POST it sends, or a mail client's one-click POST to the
    List-Unsubscribe address (RFC 8058: the token in the address, no cookie, no Origin),
    stops the signature's updates. Nothing else of the signature changes.
    """
    token = request.POST.get("token") or request.GET.get("token") or ""
    if request.method == "GET":
        refusal, signature = informing.check_unsubscribe(token)
        answer = outcomes.unsubscribe_answer(refusal) if refusal else None
        title = _("Stop the updates")
        return link_page(request, "unsubscribe", title, token, answer, signature)
    outcome, signature = informing.unsubscribe(token)
    page = signature.appeal.get_case_page(get_language()) if signature else None
    response = answer_response(request, outcomes.unsubscribe_answer(outcome), page=page)
    response["Referrer-Policy"] = "strict-origin"  # a one-click POST's address holds the token
    return response


def link_page(request, action, title, token, answer, signature):
    """The page an e-mailed link opens, with its button posting to the route ``action``
    (``appeals/<action>.html``), or the ``answer`` that refuses it.

    It reads and writes nothing else, and shows only what the e-mail already told the
    link's holder (which appeal), never whose signature it is.
    """
    page = signature.appeal.get_case_page(get_language()) if signature else None
    context = {
        "title": title,
        "link_action": action,
        "token": token,
        "answer": answer,
        "page": page,
        "page_language": text_language(page) if page else None,
        "appeal_heading": appeal_heading(page, signature.appeal) if page else None,
    }
    response = TemplateResponse(
        request, f"appeals/{action}.html", context, status=answer.status if answer else 200
    )
    # The address holds the token: no request from this page may carry it away. Only the
    # origin goes in a Referer ("no-referrer" would make the button's POST send
    # `Origin: null`, which the same-origin check rightly refuses).
    response["Referrer-Policy"] = "strict-origin"
    return response


def appeal_heading(page, appeal):
    """The heading of ``appeal``'s block on ``page``, else the appeal's own title."""
    block = page.get_appeal_block(appeal)
    return block.value["heading"] if block else appeal.title


@require_safe
def count_view(request, public_id):
    """An appeal's live count, read by the script of a case page that may come from a cache.

    The same for every visitor, in their language: a front cache may keep it
    ``APPEALS_COUNT_CACHE_SECONDS``, unless asked with a cookie, which Django may answer
    with one (the page's script sends none).
    """
    appeal = Appeal.objects.with_live_case(public_id)
    if appeal is None:
        response = outcomes.json_answer(outcomes.not_found_answer())
    else:
        response = JsonResponse(live_count(appeal), json_dumps_params={"ensure_ascii": False})
    if is_shared_request(request):
        seconds = appeals_conf.COUNT_CACHE_SECONDS
        patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    else:
        add_never_cache_headers(response)
    return response


def live_count(appeal):
    """The count as the page shows it (``html`` is its count element), and a fresh render
    time for the form: a cached page shares its own among all its visitors."""
    count = counters.current(appeal)
    progress = counters.progress_percent(appeal)
    context = {"appeal": appeal, "signature_count": count, "progress_percent": progress}
    return {
        "count": count,
        "count_display": localized_number(count),
        "progress_percent": progress,
        "goal": appeal.goal,
        "accepts_signatures": appeal.accepts_signatures(),
        "rendered_at": signed_render_time(),
        "html": render_to_string("appeals/includes/signature_count.html", context),
    }


@require_safe
def letter_view(request, public_id, delivered=False):
    """The appeal's letter alone, laid out to print and post (``appeals.printed_letter``):
    in the visitor's language, or as its recipient reads it when ``delivered``. The
    visitor's letter is the one their case page shows, from the default language's page
    where their language has no pages of its own."""
    appeal, page = Appeal.objects.with_case_page(public_id, content_language())
    if page is not None:
        page = page.as_served()
    if page is None or page.get_appeal_block(appeal) is None:
        return answer_response(request, outcomes.not_found_answer())
    choices = letter_choices(page, appeal, delivered=delivered)
    context = {
        "page": page,
        "case_url": case_url(request, page),
        "appeal": appeal,
        "choices": choices if len(choices) > 1 else [],
        "letter": next(choice.letter for choice in choices if choice.current),
        "today": timezone.localdate(),
    }
    response = TemplateResponse(request, "appeals/letter_print.html", context)
    if is_shared_request(request):
        patch_cache_control(
            response,
            public=True,
            max_age=appeals_conf.PAGE_BROWSER_SECONDS,
            s_maxage=appeals_conf.PAGE_CACHE_SECONDS,
        )
    else:
        add_never_cache_headers(response)
    return response


def case_url(request, page):
    """``page``'s address under the visitor's language prefix, where Wagtail serves a
    language without pages of its own (Persian) from the default language's."""
    url, language = page.get_url(request), get_language()
    if page.locale.language_code == language:
        return url
    with translation.override(page.locale.language_code):
        return translate_url(url, language)
