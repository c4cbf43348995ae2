"""What each outcome of signing and confirming answers, for the HTML views and the API alike.

One table: an outcome's HTTP status, the status word of its JSON body (the outcome's own
value), its message in the active language and what goes with it (the count of a closed
appeal, Retry-After, a fresh render time). The HTML views add only their rendering (the
thanks page, the case page again with the form, a short message page), so that the page, its
script and the API can never disagree.
"""

from dataclasses import dataclass, field

from django.http import JsonResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appeals import counters
from appeals.forms import signed_render_time
from appeals.informing import Unsubscribed
from appeals.privacy import Withdrawn
from appeals.signing import Confirmation, Outcome


@dataclass(frozen=True)
class Answer:
    status: int
    word: str  # the JSON body's "status"
    message: str | None = None  # None: an invalid form answers per field instead
    title: str | None = None  # the heading of the HTML page that tells it
    extra: dict = field(default_factory=dict)  # more of the JSON body
    headers: dict = field(default_factory=dict)

    @property
    def refused(self) -> bool:
        """Whether the visitor must be shown a refusal, not a thank-you."""
        return self.status >= 400

    def body(self) -> dict:
        body = {"status": self.word}
        if self.message is not None:
            body["message"] = str(self.message)
        return {**body, **self.extra}


def json_answer(answer: Answer) -> JsonResponse:
    """The answer as UTF-8 JSON: Arabic and Cyrillic as themselves, not as \\u escapes."""
    response = JsonResponse(
        answer.body(), status=answer.status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in answer.headers.items():
        response[name] = value
    return response


def check_email_message():
    return _(
        "Thank you. Check your e-mail: we sent you a link to confirm your signature. "
        "It counts once you confirm it."
    )


def closed_message(appeal):
    count = counters.current(appeal)
    return ngettext(
        "This appeal is closed. It gathered %(count)s signature. Thank you.",
        "This appeal is closed. It gathered %(count)s signatures. Thank you.",
        count,
    ) % {"count": number_format(count, force_grouping=True)}


def rate_limited_message():
    return _("Too many signatures came from your connection. Please try again later.")


def resubmit_message():
    # Shown above the form, filled in as the visitor left it: autofill and forms left
    # open overnight come back too fast or too late for us to count them.
    return _(
        "Please send the form once more: it came back sooner than we expected, or after "
        "several hours. What you entered is still there."
    )


def appeal_not_found_message():
    return _("There is no appeal at this address.")


def form_errors(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


@dataclass(frozen=True)
class Row:
    """One outcome's line in the table; ``message`` and ``title`` are called when answering,
    so that they are in the language active then."""

    status: int
    message: object = None  # (appeal) -> str
    title: object = None  # () -> str


SIGNING_ANSWERS = {
    Outcome.ACCEPTED: Row(
        202, lambda appeal: check_email_message(), lambda: _("Thank you for signing")
    ),
    Outcome.INVALID: Row(400),
    Outcome.CLOSED: Row(410, closed_message, lambda: _("This appeal is closed")),
    Outcome.RATE_LIMITED: Row(
        429,
        lambda appeal: rate_limited_message(),
        lambda: _("Too many signatures from your connection"),
    ),
    # Answered on the case page itself, above the form: no title of its own.
    Outcome.RESUBMIT: Row(400, lambda appeal: resubmit_message()),
}


def signing_extra(result, appeal):
    """What an outcome's JSON body carries besides its status and message."""
    if result.outcome is Outcome.INVALID:
        return {"errors": form_errors(result.form)}
    if result.outcome is Outcome.CLOSED:
        return {"count": counters.current(appeal)}
    if result.outcome is Outcome.RESUBMIT:
        # The form goes back to the visitor with a new render time, so that sending it
        # once more is enough.
        return {"rendered_at": signed_render_time()}
    return {}


def signing_answer(result, appeal) -> Answer:
    """The answer to a ``SigningResult`` on ``appeal``."""
    row = SIGNING_ANSWERS[result.outcome]
    headers = {}
    if result.outcome is Outcome.RATE_LIMITED:
        headers["Retry-After"] = str(max(1, result.retry_after))
    return Answer(
        row.status,
        result.outcome.value,
        message=row.message(appeal) if row.message else None,
        title=row.title() if row.title else None,
        extra=signing_extra(result, appeal),
        headers=headers,
    )


CONFIRMATION_ANSWERS = {
    Confirmation.CONFIRMED: Row(
        200, lambda: _("Your signature is confirmed. Thank you for taking action.")
    ),
    Confirmation.ALREADY_CONFIRMED: Row(
        200, lambda: _("Your signature was already confirmed. It is counted once.")
    ),
    Confirmation.EXPIRED: Row(
        410,
        lambda: _(
            "This confirmation link has expired. Sign the appeal again to receive a new one."
        ),
    ),
    Confirmation.INVALID: Row(
        404,
        lambda: _("This confirmation link is not valid. Check that you copied the whole link."),
    ),
}


def confirmation_answer(outcome) -> Answer:
    row = CONFIRMATION_ANSWERS[outcome]
    return Answer(
        row.status, outcome.value, message=row.message(), title=_("Confirm your signature")
    )


WITHDRAWAL_ANSWERS = {
    Withdrawn.WITHDRAWN: Row(
        200, lambda: _("Your signature is withdrawn: it is deleted and no longer counted.")
    ),
    Withdrawn.ALREADY_WITHDRAWN: Row(
        200, lambda: _("This signature was already withdrawn: nothing of it is kept.")
    ),
    # Unknown, forged, or a signature no longer kept: alike, so that nothing tells
    # whether an address signed.
    Withdrawn.INVALID: Row(
        404,
        lambda: _("This withdrawal link is not valid. Check that you copied the whole link."),
    ),
}


def withdrawal_answer(outcome) -> Answer:
    row = WITHDRAWAL_ANSWERS[outcome]
    return Answer(
        row.status, outcome.value, message=row.message(), title=_("Withdraw your signature")
    )


UNSUBSCRIBE_ANSWERS = {
    Unsubscribed.UNSUBSCRIBED: Row(
        200,
        lambda: _(
            "Done: you will receive no more updates about this appeal. Your signature stays."
        ),
    ),
    Unsubscribed.ALREADY: Row(
        200, lambda: _("You receive no updates about this appeal already. Your signature stays.")
    ),
    # Unknown, forged, or of a signature no longer kept: alike.
    Unsubscribed.INVALID: Row(
        404,
        lambda: _("This link to stop updates is not valid. Check that you copied the whole link."),
    ),
}


def unsubscribe_answer(outcome) -> Answer:
    row = UNSUBSCRIBE_ANSWERS[outcome]
    return Answer(row.status, outcome.value, message=row.message(), title=_("Stop the updates"))


def not_found_answer() -> Answer:
    return Answer(404, "not_found", message=appeal_not_found_message(), title=_("Appeal not found"))


def cross_site_answer(*, confirming=False, withdrawing=False) -> Answer:
    """A post another website made the visitor's browser send: nothing is taken from it."""
    if confirming or withdrawing:
        return Answer(
            403,
            "cross_site",
            message=_(
                "This form was sent from another website. Please use the link in your e-mail."
            ),
            title=_("Withdrawal refused") if withdrawing else _("Confirmation refused"),
        )
    return Answer(
        403,
        "cross_site",
        message=_("This form was sent from another website. Please sign on this site's own page."),
        title=_("Signature refused"),
    )
