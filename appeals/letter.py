"""Composes the letter of an appeal from the case page it sits on.

One function, ``compose_letter``, serves the page, the e-mails, the mailto
link, the API, the printed letter and the delivery pack: the letter is always
the case's own words, in the language of the page it is composed from.
``delivered_letter`` composes it as its recipient reads it, in the appeal's
delivery language.
"""

from dataclasses import dataclass, field, replace
from html import unescape
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from appeals.countries import country_name
from appeals.localization import direction, in_language, source_locale, text_language


def place_separator():
    # Translators: between a town and its country ("Paris, France"), or a signer's
    # first name and country; Arabic and Persian write "، ".
    return pgettext("between a place and its country", ", ")


@dataclass
class Signer:
    name: str
    city: str = ""
    country: str = ""  # ISO 3166 code

    @property
    def country_name(self):
        return country_name(self.country)

    @property
    def place(self):
        return place_separator().join(part for part in (self.city, self.country_name) if part)


@dataclass
class Letter:
    language: str
    addressee: object | None  # the first recipient block's value
    copies_to: list = field(default_factory=list)
    salutation: str = ""
    paragraphs: object = None  # RichText
    demands_introduction: str = ""
    demands: list = field(default_factory=list)
    closing: str = ""
    signer: Signer | None = None
    # Without a signer, whether the letter ends in a placeholder for one: not once the
    # appeal is closed, when it is shown as it was sent.
    awaits_signer: bool = True

    def as_sent(self):
        """This letter as it was sent, with no place left for another signer."""
        return replace(self, awaits_signer=False)

    @property
    def direction(self):
        return direction(self.language)

    def as_text(self):
        """The letter as plain text, for e-mails and mailto links."""
        return render_to_string("appeals/letter.txt", {"letter": self}).strip() + "\n"

    def as_html(self):
        return render_to_string("appeals/letter.html", {"letter": self})

    @property
    def paragraph_texts(self):
        """The letter's paragraphs as plain text, one per HTML block."""
        if self.paragraphs is None:
            return []
        html = str(self.paragraphs)
        blocks = html.replace("</p>", "</p>\n\n").split("\n\n")
        return [text for text in (unescape(strip_tags(block)).strip() for block in blocks) if text]

    @property
    def signer_placeholder(self):
        return _("[Your name]")


def compose_letter(page, appeal=None, signer: Signer | None = None) -> Letter:
    """The letter of ``appeal`` (an ``Appeal``) on ``page``; by default, of its first appeal block.

    The words (salutation, paragraphs, closing, the demands) are the page's own,
    in its language; whether the demands are included is a setting of the
    appeal, the source page's, read from its row so that every language agrees
    at once. Only a case never published, which has no row yet (a preview), is
    composed from its block's own setting.

    Recipients are every recipient block on the page: the first is addressed,
    the others receive copies. The salutation is the appeal's, or else the
    addressee's; the page's demands are numbered.
    """
    if appeal is None:
        block = page.body.first_block_by_name("appeal")
        appeal = page.get_appeal(block.id) if hasattr(page, "get_appeal") else None
    else:
        block = page.get_appeal_block(appeal)
    value = block.value
    include_demands = appeal.include_demands if appeal is not None else value["include_demands"]
    recipients = [block.value for block in page.body.blocks_by_name("recipient")]
    addressee = recipients[0] if recipients else None
    demands_blocks = page.body.blocks_by_name("demands") if include_demands else []
    return Letter(
        # An alias of an untranslated case shows, and so is written in, its source's language.
        language=text_language(page),
        addressee=addressee,
        copies_to=recipients[1:],
        salutation=value["salutation"] or (addressee["salutation"] if addressee else ""),
        paragraphs=value["letter"],
        demands_introduction=demands_blocks[0].value["introduction"] if demands_blocks else "",
        demands=[demand for block in demands_blocks for demand in block.value["demands"]],
        closing=value["closing"],
        signer=signer,
    )


def delivered_elsewhere(page, appeal) -> bool:
    """Whether ``appeal``'s letter may be delivered from another page than ``page``: its
    delivery language is not ``page``'s."""
    return bool(appeal.delivery_language) and appeal.delivery_language != page.locale.language_code


def delivery_page(page, appeal):
    """The page of ``page``'s case whose letter reaches ``appeal``'s recipient: its live
    translation in the delivery language, where its text is in that language and it
    carries the appeal; else the case's source page (else ``page`` itself)."""
    language = appeal.delivery_language
    found = in_language(page, language) if language else page
    if text_language(found) == language and found.get_appeal_block(appeal) is not None:
        return found
    source = in_language(page, source_locale(page).language_code)
    return source if source.get_appeal_block(appeal) is not None else page


def delivered_letter(page, appeal) -> Letter:
    """``appeal``'s letter as its recipient reads it, composed from ``delivery_page``."""
    return compose_letter(delivery_page(page, appeal), appeal)


def recipient_letter(page, appeal, letter):
    """The delivered letter beside ``letter`` (the one ``page`` shows), when the recipient
    reads it in another language; else None. Closed, both are shown as they were sent."""
    delivered = delivered_letter(page, appeal)
    if delivered.language == letter.language:
        return None
    return delivered if letter.awaits_signer else delivered.as_sent()


def mailto_language(page, appeal):
    """The language of the letter in ``page``'s mailto link for ``appeal``, when it is not
    ``page``'s own (its translation's letter is composed then); else None."""
    recipients = page.body.blocks_by_name("recipient")
    if not recipients or not recipients[0].value["email"]:
        return None
    language = appeal.delivery_language
    return language if language and language != page.locale.language_code else None


def mailto_link(page, letter, appeal):
    """A mailto: link with ``appeal``'s letter in its delivery language, if the addressee
    has an e-mail.

    ``letter`` is the page's own, composed already; the case's live translation
    in the delivery language has its letter composed here, where there is one.
    """
    recipients = [block.value for block in page.body.blocks_by_name("recipient")]
    if not recipients or not recipients[0]["email"]:
        return None
    language = mailto_language(page, appeal)
    delivery_page = in_language(page, language) if language else page
    if delivery_page is not page and delivery_page.get_appeal_block(appeal) is not None:
        letter = compose_letter(delivery_page, appeal)
    copies = ",".join(recipient["email"] for recipient in recipients[1:] if recipient["email"])
    query = f"subject={quote(delivery_page.title)}&body={quote(letter.as_text())}"
    if copies:
        query += f"&cc={quote(copies)}"
    return f"mailto:{quote(recipients[0]['email'], safe='@')}?{query}"
