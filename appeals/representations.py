"""Appeals as data: what the API gives a front end, built from the same parts as the page."""

from django.utils import timezone

from appeals.forms import SignatureForm, signed_render_time
from appeals.letter import compose_letter
from appeals.pages import appeal_block
from appeals.signers import recent_signers


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


def recipient_data(value):
    fields = ["salutation", "title", "name", "position", "organisation", "postcode", "city"]
    data = {name: value[name] for name in [*fields, "country", "phone", "fax", "email"]}
    data["address_lines"] = list(value["address_lines"])
    data["postal_lines"] = value.postal_lines
    return data


def state_data(appeal):
    return {
        "open": appeal.is_open(),
        "signature_count": appeal.signature_count,
        "goal": appeal.goal,
        "closes_at": appeal.closes_at.isoformat() if appeal.closes_at else None,
    }


FIELD_TYPES = {
    "TextInput": "text",
    "EmailInput": "email",
    "Select": "select",
    "Textarea": "textarea",
    "CheckboxInput": "checkbox",
}


def form_schema():
    """The signature form's fields, labelled in the active language."""
    form = SignatureForm()
    fields = []
    for name, field in form.fields.items():
        if name in ("website", "rendered_at"):
            continue
        entry = {
            "name": name,
            "type": FIELD_TYPES[type(field.widget).__name__],
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
        for signer in recent_signers(appeal)
    ]


def appeal_data(appeal, page):
    """An appeal in ``page``'s language: its texts, the letter, its live state and form."""
    block = appeal_block(page, appeal)
    value = block.value
    return {
        "id": appeal.public_id,
        "language": page.locale.language_code,
        "case": {"id": page.id, "title": page.title, "url": page.full_url},
        "heading": value["heading"],
        "introduction": value["introduction"],
        "letter": letter_data(compose_letter(page, value)),
        "state": state_data(appeal),
        "delivery_language": appeal.delivery_language,
        "form": form_schema(),
        "recent_signers": recent_signers_data(appeal) if value["show_signers"] else None,
        "generated_at": timezone.now().isoformat(),
    }
