"""What each outcome of signing and confirming answers: one HTTP status and one message,
in the active language, for the HTML views and the API alike."""

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appeals import counters
from appeals.signing import Confirmation, Outcome


@dataclass(frozen=True)
class Answer:
    status: int
    message: str


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


def appeal_not_found_message():
    return _("There is no appeal at this address.")


def signing_answer(outcome, appeal, *, api=False):
    """The status and message of a signing outcome (the API answers an acceptance with 202).

    An invalid form is answered with its errors, field by field, not with one message.
    """
    if outcome is Outcome.ACCEPTED:
        return Answer(202 if api else 200, check_email_message())
    if outcome is Outcome.CLOSED:
        return Answer(410, closed_message(appeal))
    if outcome is Outcome.RATE_LIMITED:
        return Answer(429, rate_limited_message())
    raise ValueError(f"{outcome} has no single message")


CONFIRMATION_ANSWERS = {
    Confirmation.CONFIRMED: (
        200,
        lambda: _("Your signature is confirmed. Thank you for taking action."),
    ),
    Confirmation.ALREADY_CONFIRMED: (
        200,
        lambda: _("Your signature was already confirmed. It is counted once."),
    ),
    Confirmation.EXPIRED: (
        410,
        lambda: _(
            "This confirmation link has expired. Sign the appeal again to receive a new one."
        ),
    ),
    Confirmation.INVALID: (
        404,
        lambda: _("This confirmation link is not valid. Check that you copied the whole link."),
    ),
}


def confirmation_answer(outcome):
    status, message = CONFIRMATION_ANSWERS[outcome]
    return Answer(status, message())
