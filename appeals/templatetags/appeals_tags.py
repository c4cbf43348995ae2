from urllib.parse import quote

from django import template
from django.utils.formats import number_format

from appeals.forms import SignatureForm
from appeals.identity import appeal_for
from appeals.letter import compose_letter
from appeals.models import AppealsSettings
from appeals.signers import recent_signers

register = template.Library()


@register.simple_tag
def text_language(page):
    """The language ``page``'s text is written in.

    An alias that wagtail-localize made of a page in another language (a case
    not translated yet) shows that page's text; a page served to a visitor
    whose language has no content tree (Persian, say) shows its own.
    """
    if page.alias_of_id:
        return page.alias_of.locale.language_code
    return page.locale.language_code


@register.filter
def localized_number(value):
    """A number grouped and written as the active language writes it (1 234, 1,234, ١٬٢٣٤)."""
    if value is None:
        return ""
    return number_format(value, force_grouping=True)


class BlockRef:
    """The parts of a stream child that ``appeal_for`` needs."""

    def __init__(self, block_id, value):
        self.id = block_id
        self.value = value


@register.inclusion_tag("appeals/includes/appeal_panel.html", takes_context=True)
def appeal_panel(context, value, block_id):
    """The appeal block: count, letter, and the form or the closed notice."""
    page = context["page"]
    request = context.get("request")
    appeal = appeal_for(page, BlockRef(block_id, value))
    form = (
        context.get("signature_form") if context.get("signature_form_appeal") == appeal.pk else None
    )
    form = form or SignatureForm(auto_id="id_%s")
    form.describe_fields()
    letter = compose_letter(page, value)
    return {
        "page": page,
        "request": request,
        "value": value,
        "appeal": appeal,
        "is_open": appeal.is_open(),
        "letter": letter,
        "form": form,
        "privacy_url": privacy_url(request, page),
        "mailto": mailto_link(page, value, appeal),
        "recent_signers": recent_signers(appeal) if value["show_signers"] else [],
    }


def privacy_url(request, page):
    if request is None:
        return None
    privacy_page = AppealsSettings.for_request(request).privacy_page
    if privacy_page is None:
        return None
    return privacy_page.localized.specific.get_url(request)


def mailto_link(page, value, appeal):
    """A mailto: link with the letter in the delivery language, if the addressee has an e-mail."""
    recipients = [block.value for block in page.body if block.block_type == "recipient"]
    if not recipients or not recipients[0]["email"]:
        return None
    delivery_page = page
    if appeal.delivery_language and appeal.delivery_language != page.locale.language_code:
        delivery_page = (
            page.get_translations()
            .live()
            .filter(locale__language_code=appeal.delivery_language)
            .first()
            or page
        ).specific
    letter = compose_letter(delivery_page, None if delivery_page != page else value)
    copies = ",".join(recipient["email"] for recipient in recipients[1:] if recipient["email"])
    query = f"subject={quote(delivery_page.title)}&body={quote(letter.as_text())}"
    if copies:
        query += f"&cc={quote(copies)}"
    return f"mailto:{quote(recipients[0]['email'], safe='@')}?{query}"
