"""The letter of an appeal alone, to print, sign and post in an A4 window envelope.

The same for every visitor of one appeal in one language (it holds no one's name),
so a front cache may keep it as it keeps a case page.
"""

from dataclasses import dataclass

from django.urls import reverse

from appeals.letter import Letter, compose_letter, delivered_letter


@dataclass
class LetterChoice:
    """One of the letters the print page offers: the visitor's, or the recipient's."""

    letter: Letter
    url: str
    recipients: bool  # whether it is the letter as the recipient reads it
    current: bool = False


def letter_choices(page, appeal, *, delivered):
    """The letters to print for ``appeal`` on ``page``: the one ``page`` shows and, where
    the recipient reads another language, the delivered one; ``delivered`` picks which is
    current (the only one, where both are written alike)."""
    own = compose_letter(page, appeal)
    recipients = delivered_letter(page, appeal)
    if not appeal.accepts_signatures():
        own, recipients = own.as_sent(), recipients.as_sent()
    choices = [LetterChoice(own, reverse("appeals:letter", args=[appeal.public_id]), False)]
    if recipients.language != own.language:
        url = reverse("appeals:recipient_letter", args=[appeal.public_id])
        choices.append(LetterChoice(recipients, url, True))
    current = choices[-1] if delivered else choices[0]
    current.current = True
    return choices
