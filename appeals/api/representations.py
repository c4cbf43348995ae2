"""Appeals as data: what the API gives a front end, built from the same parts as the page."""

from django import forms
from django.utils import timezone, translation

from appeals import counters
from appeals.blocks import RECENT_SIGNERS_SHOWN
from appeals.forms import SignatureForm, signed_render_time
from appeals.letter import compose_letter, recipient_letter


def letter_data(letter):
    recipient = letter.addressee
    return {
        "language": letter.language,
        "addressee": recipient_data(recipient) if recipient else None,
        "copies_to": [recipient_data(copy) for copy in letter.copies_to],
        "salutation": letter.salutation,
        "paragraphs_html": str(letter.paragraphs or ""),
        "demands_introduction": letter.demands_introduction,
        "demands": list(letter.demands),
        "closing": letter.closing,
        "signer_placeholder": letter.signer_placeholder,
        "text": letter.as_text(),
    }


RECIPIENT_TEXT_FIELDS = [
    "salutation", "title", "name", "position", "organisation",
    "postcode", "city", "country", "phone", "fax", "email",
]  # fmt: skip


def recipient_data(value):
    data = {name: value[name] for name in RECIPIENT_TEXT_FIELDS}
    data["address_lines"] = list(value["address_lines"])
    data["postal_lines"] = value.postal_lines
    return data


def state_data(appeal, page):
    return {
        "open": appeal.accepts_signatures_on(page),
        "signature_count": counters.current(appeal),
        "goal": appeal.goal,
        "closes_at": appeal.closes_at.isoformat() if appeal.closes_at else None,
    }


def field_type(widget):
    """What a front end draws for ``widget``: its HTML input type (a select's is "select"),
    "textarea" for a text area, else "text"."""
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return getattr(widget, "input_type", None) or "text"


def form_schema(public_list):
    """The signature form's fields, labelled in the active language; the opt-in to appear
    publicly only with a public list (``public_list``), as on the page."""
    form = SignatureForm(public_list=public_list)
    fields = []
    for name, field in form.fields.items():
        if name in ("website", "rendered_at"):
            continue
        entry = {
            "name": name,
            "type": field_type(field.widget),
            "required": field.required,
            "label": str(field.label),
            "help_text": str(field.help_text or ""),
            "max_length": getattr(field, "max_length", None),
        }
        if name == "country":
            entry["choices"] = [
                {"value": value, "label": str(label)} for value, label in field.choices if value
            ]
        fields.append(entry)
    # Sent back with the signature: forms returned faster than a person could are a robot's.
    return {"fields": fields, "honeypot_field": "website", "rendered_at": signed_render_time()}


def recent_signers_data(appeal):
    """First name and country, of confirmed signers who chose to be shown: nothing else."""
    return [
        {"first_name": signer.first_name, "country": signer.country.code}
        for signer in appeal.signatures.public()[:RECENT_SIGNERS_SHOWN]
    ]


def appeal_summary(appeal, page, value):
    """An appeal in ``page``'s language (``value``: its block's): texts, letter, live state.

    The words come from ``value``, the settings from ``appeal`` (the source page's).
    """
    return {
        "id": appeal.public_id,
        "language": page.locale.language_code,
        "case": {"id": page.id, "title": page.title, "url": page.full_url},
        "heading": value["heading"],
        "introduction": value["introduction"],
        "letter": letter_data(compose_letter(page, appeal)),
        "state": state_data(appeal, page),
        "delivery_language": appeal.delivery_language,
        "recent_signers": recent_signers_data(appeal) if appeal.show_signers else None,
        "generated_at": timezone.now().isoformat(),
    }


def appeal_data(appeal, page):
    """The appeal as ``GET /appeals/{id}/`` gives it: its summary and its form."""
    block = page.get_appeal_block(appeal)
    if block is None:
        return removed_appeal_data(appeal, page)
    form = form_schema(appeal.show_signers)
    summary = appeal_summary(appeal, page, block.value)
    return {**summary, "recipient_letter": recipient_letter_data(appeal, page), "form": form}


def recipient_letter_data(appeal, page):
    """The letter as its recipient reads it, where it is not ``page``'s: its words of the
    plugin's own (the placeholder, "Copies to:") in its language too."""
    letter = recipient_letter(page, appeal, compose_letter(page, appeal))
    if letter is None:
        return None
    with translation.override(letter.language):
        return letter_data(letter)


def removed_appeal_data(appeal, page):
    """An appeal whose block an editor removed from its page: closed, with its count, and
    with neither letter nor form, since the page no longer carries them."""
    return {
        "id": appeal.public_id,
        "language": page.locale.language_code,
        "case": {"id": page.id, "title": page.title, "url": page.full_url},
        "heading": appeal.title,
        "introduction": "",
        "letter": None,
        "state": state_data(appeal, page),
        "delivery_language": appeal.delivery_language,
        "recent_signers": None,
        "generated_at": timezone.now().isoformat(),
        "recipient_letter": None,
        "form": None,
    }
