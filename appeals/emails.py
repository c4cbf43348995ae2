"""The e-mails a signer receives, in the language they signed in."""

import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from appeals import protection
from appeals.conf import appeals_conf
from appeals.letter import Signer, compose_letter
from appeals.models import Signature
from appeals.models.signatures import EmailDue

logger = logging.getLogger(__name__)

TEMPLATES = {
    EmailDue.CONFIRM: "appeals/emails/confirm",
    EmailDue.ALREADY_SIGNED: "appeals/emails/already_signed",
}


def confirmation_url(page, token):
    template = appeals_conf.CONFIRMATION_URL
    if template:
        return template.format(token=token, language=translation.get_language())
    path = reverse("appeals:confirm", kwargs={"token": token})
    return page.get_site().root_url + path


def build_message(signature, token):
    page = signature.appeal.get_case_page(signature.language)
    block = page.get_appeal_block(signature.appeal)
    signer = Signer(signature.name, signature.city, signature.country.code)
    context = {
        "signature": signature,
        "page": page,
        "page_url": page.full_url,
        "letter": compose_letter(page, block.value if block else None, signer),
        "confirmation_url": confirmation_url(page, token) if token else None,
        "max_age_days": appeals_conf.CONFIRMATION_MAX_AGE.days,
    }
    template = TEMPLATES[signature.email_due]
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()),
        body=render_to_string(f"{template}.txt", context),
        to=[signature.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def within_daily_quota(signature):
    """One address receives a few e-mails a day at most, however often it is submitted."""
    return protection.hit(
        "email",
        protection.client_fingerprint(signature.email_key),
        limit=appeals_conf.EMAILS_PER_ADDRESS_PER_DAY,
        window=86400,
    ).allowed


def prepare_due_email(signature_id):
    """Claim the e-mail due to a signer: (signature, message), or None when nothing is to send."""
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update().select_related("appeal").get(pk=signature_id)
        )
        if not signature.email_due:
            return None
        if not within_daily_quota(signature):
            signature.email_due = EmailDue.NONE
            signature.save(update_fields=["email_due"])
            return None
        token = signature.issue_token() if signature.email_due == EmailDue.CONFIRM else None
        signature.email_attempts += 1
        signature.save(update_fields=["token_hash", "token_created_at", "email_attempts"])
    with translation.override(signature.language):
        return signature, build_message(signature, token)


def send_due_email(signature_id):
    """Send the e-mail due to a signer; on failure it stays due, to be retried."""
    prepared = prepare_due_email(signature_id)
    if prepared is None:
        return False
    signature, message = prepared
    try:
        message.send()
    except Exception:
        if signature.email_attempts >= appeals_conf.EMAIL_ATTEMPTS:
            Signature.objects.filter(pk=signature.pk).update(email_due=EmailDue.NONE)
            logger.exception("Gave up sending to signature %s", signature.pk)
        raise
    Signature.objects.filter(pk=signature.pk).update(email_due=EmailDue.NONE, email_attempts=0)
    return True
