"""Delivery packs: the letter as its recipient reads it, then everyone who signed it.

The letter is ``compose_letter``'s, composed on the case's translation in the
delivery language (its source where there is none, and the pack says so),
addressed to the chosen recipient with the page's other recipients as copies.
After it, the confirmed signatories (name, town, country named in the pack's
language, their messages unless a manager left one out) and the signatures per
country. One HTML page makes the print page and, through WeasyPrint, the PDF; the
CSV holds the same list. Never an e-mail address: the authorities get names.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field, replace

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from appeals import localization
from appeals.countries import country_name
from appeals.exports import as_text
from appeals.letter import Letter, compose_letter
from appeals.models import Delivery, DeliveryFile
from appeals.models.deliveries import FileFormat


@dataclass(frozen=True)
class Recipient:
    """A recipient block of the case: its id (the same in every translation) and value."""

    key: str
    value: object

    @property
    def name(self):
        return self.value.addressee

    @property
    def print_methods_only(self):
        return not self.value["email"]


def recipients(page) -> list[Recipient]:
    """The recipients of the case ``page``, in the page's order."""
    return [Recipient(block.id, block.value) for block in page.body.blocks_by_name("recipient")]


def recipient_of(page, key) -> Recipient | None:
    return next((found for found in recipients(page) if found.key == str(key)), None)


def letter_page(appeal, language):
    """The case page the letter in ``language`` is composed on, and whether it is the
    source instead (the case has no published translation in ``language``)."""
    source = appeal.get_source_page()
    if source is None:
        return None, False
    page = localization.in_language(source, language).as_served()
    if localization.text_language(page) != language or page.get_appeal_block(appeal) is None:
        return source, source.locale.language_code != language
    return page, False


def addressed_to(letter: Letter, page, appeal, key) -> Letter:
    """``letter`` addressed to the recipient ``key`` of ``page``, the others in copy.

    The salutation is the appeal's own, else the chosen recipient's.
    """
    found = recipients(page)
    chosen = next(recipient for recipient in found if recipient.key == str(key))
    own_salutation = page.get_appeal_block(appeal).value["salutation"]
    return replace(
        letter.as_sent(),
        addressee=chosen.value,
        copies_to=[recipient.value for recipient in found if recipient.key != chosen.key],
        salutation=own_salutation or chosen.value["salutation"],
    )


@dataclass(frozen=True)
class Signatory:
    name: str
    place: str
    message: str


@dataclass
class Pack:
    """What a delivery pack holds, ready to render."""

    letter: Letter
    language: str  # the language asked for
    title: str
    signatories: list = field(default_factory=list)
    by_country: list = field(default_factory=list)  # [(country name, signatures)]
    # Signatories erased or anonymised since the pack was first made (a redacted copy).
    removed: int = 0

    @property
    def fell_back(self):
        return self.letter.language != self.language

    @property
    def direction(self):
        return self.letter.direction

    @property
    def asked_language_name(self):
        return language_name(self.language, self.letter.language)

    @property
    def letter_language_name(self):
        return language_name(self.letter.language, self.letter.language)


def language_name(code, in_language):
    with translation.override(in_language):
        try:
            return str(translation.get_language_info(code)["name_translated"])
        except KeyError:
            return code


def signatories(rows, language, leave_out=frozenset()):
    """``rows`` of (pk, name, city, country, message) as Signatories, with the countries
    named in ``language`` and the messages of ``leave_out`` (pks) left out; and the
    signatures per country, most first."""
    names = {}
    found = []
    countries = Counter()
    with translation.override(language):
        separator = pgettext("between a place and its country", ", ")
        for pk, name, city, country, message in rows:
            if country not in names:
                names[country] = country_name(country, language) or country
            found.append(
                Signatory(
                    name=name,
                    place=separator.join(part for part in (city, names[country]) if part),
                    message="" if pk in leave_out else message,
                )
            )
            countries[names[country]] += 1
    return found, countries.most_common()


def compose_pack(
    appeal, page, recipient_key, language, rows, leave_out=frozenset(), removed=0
) -> Pack:
    """The pack of ``rows`` (see ``signatories``) for the recipient ``recipient_key``,
    its letter composed on ``page`` (``letter_page``'s) for ``language``; ``removed``
    signatories taken out of it since it was first made."""
    letter = addressed_to(compose_letter(page, appeal), page, appeal, recipient_key)
    found, by_country = signatories(rows, letter.language, leave_out)
    return Pack(
        letter=letter,
        language=language,
        title=page.title,
        signatories=found,
        by_country=by_country,
        removed=removed,
    )


def store_pack(delivery, page, rows, leave_out=frozenset(), removed=0) -> Pack:
    """Compose ``delivery``'s pack of ``rows`` on ``page`` and store its print page and
    CSV (its PDF is drawn from the print page later, by ``draw_pdf``)."""
    pack = compose_pack(
        delivery.appeal, page, delivery.recipient_key, delivery.language, rows, leave_out, removed
    )
    DeliveryFile.objects.bulk_create(
        [
            DeliveryFile.of(
                delivery, FileFormat.HTML, file_name(delivery, "html"), as_html(pack).encode()
            ),
            DeliveryFile.of(delivery, FileFormat.CSV, file_name(delivery, "csv"), as_csv(pack)),
        ]
    )
    return pack


def rebuild_page(delivery):
    """The case page ``delivery``'s letter can be composed on again, in the letter's
    language; None if the case page in that language, its appeal or the recipient is
    gone (a letter in another language is not the one that went)."""
    page, _fell_back = letter_page(delivery.appeal, delivery.letter_language)
    if page is None or localization.text_language(page) != delivery.letter_language:
        return None
    if page.get_appeal_block(delivery.appeal) is None:
        return None
    return page if recipient_of(page, delivery.recipient_key) else None


def as_html(pack: Pack) -> str:
    """The pack as one print-ready HTML page (A4, page numbers), in its letter's language."""
    with translation.override(pack.letter.language):
        return render_to_string("appeals/delivery/pack.html", {"pack": pack})


def letter_text(pack: Pack) -> str:
    """The pack's letter as plain text, in its language: an e-mail delivery's body."""
    with translation.override(pack.letter.language):
        return pack.letter.as_text()


def as_pdf(html: str) -> bytes:
    """The print page as PDF, drawn by WeasyPrint (Pango shapes Arabic and Persian)."""
    import weasyprint  # a heavy import, needed only when a pack is made

    return weasyprint.HTML(string=html).write_pdf()


def as_csv(pack: Pack) -> bytes:
    """The signatories as CSV, in the pack's letter's language, with a byte-order mark so
    that spreadsheets read it as UTF-8."""
    with translation.override(pack.letter.language):
        header = [
            pgettext("delivery pack", "Name"),
            pgettext("delivery pack", "Town and country"),
            pgettext("delivery pack", "Message"),
        ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for signatory in pack.signatories:
        writer.writerow(
            [as_text(signatory.name), as_text(signatory.place), as_text(signatory.message)]
        )
    return ("\ufeff" + out.getvalue()).encode()


def file_name(delivery, extension):
    return f"delivery-{delivery.pk}-{delivery.prepared_at:%Y-%m-%d}.{extension}"


def draw_pdf(delivery_id):
    """Draw and store the PDF of delivery ``delivery_id`` from its print page, unless it
    is there already (a task run twice draws it once). Returns its size, or None."""
    delivery = Delivery.objects.filter(pk=delivery_id).first()
    page = delivery and delivery.file(FileFormat.HTML)
    if page is None or delivery.files.filter(format=FileFormat.PDF).exists():
        return None
    pdf = DeliveryFile.of(
        delivery, FileFormat.PDF, file_name(delivery, "pdf"), as_pdf(page.data.decode())
    )
    try:
        with transaction.atomic():
            # A redaction holds the delivery while it deletes its files: a PDF drawn from
            # a print page it deleted meanwhile would bring back a name it took out.
            Delivery.objects.select_for_update().filter(pk=delivery.pk).first()
            if not delivery.files.filter(pk=page.pk, sha256=page.sha256).exists():
                return None
            pdf.save()
    except IntegrityError:  # drawn meanwhile by another run
        return None
    return pdf.size
