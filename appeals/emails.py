"""The e-mails a signer receives, in the language they signed in."""

from urllib.parse import urlencode

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from appeals import protection
from appeals.conf import appeals_conf
from appeals.letter import Signer, compose_letter
from appeals.localization import direction, text_language
from appeals.models import Signature
from appeals.models.signatures import EmailDue

TEMPLATES = {
    EmailDue.CONFIRM: "appeals/emails/confirm",
    EmailDue.ALREADY_SIGNED: "appeals/emails/already_signed",
}


def confirmation_url(page, token):
    """The link to confirm: the token in the query string, which access logs that record
    the path only (README: Production) leave out; the button posts it in the body."""
    template = appeals_conf.CONFIRMATION_URL
    if template:
        return template.format(token=token, language=translation.get_language())
    query = urlencode({"token": token})
    return f"{page.get_site().root_url}{reverse('appeals:confirm')}?{query}"


def withdrawal_url(page, token):
    """The link to withdraw, built as the confirmation link is (``APPEALS_WITHDRAWAL_URL``
    for a front end's own page)."""
    template = appeals_conf.WITHDRAWAL_URL
    if template:
        return template.format(token=token, language=translation.get_language())
    query = urlencode({"token": token})
    return f"{page.get_site().root_url}{reverse('appeals:withdraw')}?{query}"


def unsubscribe_url(page, token):
    """The link that stops a signature's updates, in the active language: one click on
    the page it opens, or none from a mail client that honours List-Unsubscribe-Post."""
    query = urlencode({"token": token})
    return f"{page.get_site().root_url}{reverse('appeals:unsubscribe')}?{query}"


def site_name(page):
    """The name the site goes by in subjects: its Wagtail site name, else its host."""
    site = page.get_site()
    return (site.site_name or site.hostname) if site else ""


def build_message(signature, page, token, withdrawal_token=None):
    """The e-mail due for ``signature``, in the active language (the submission's own):
    with ``token``, the link to confirm, and with ``withdrawal_token``, the link to withdraw.

    Its subject names the site, not the case, unless ``APPEALS_EMAIL_SUBJECT_NAMES_CASE``:
    a subject is read by anyone who glances at the signer's inbox.
    """
    block = page.get_appeal_block(signature.appeal)
    signer = Signer(signature.name, signature.city, signature.country.code)
    page_language = text_language(page)
    context = {
        "signature": signature,
        "page": page,
        "page_url": page.full_url,
        "page_language": page_language,
        "page_direction": direction(page_language),
        # The title inside a sentence of the e-mail, isolated in its own language.
        "marked_title": format_html(
            '<bdi lang="{}" dir="{}">{}</bdi>', page_language, direction(page_language), page.title
        ),
        "site_name": site_name(page),
        "subject_names_case": appeals_conf.EMAIL_SUBJECT_NAMES_CASE,
        "letter": compose_letter(page, signature.appeal, signer) if block else None,
        "confirmation_url": confirmation_url(page, token) if token else None,
        "withdrawal_url": withdrawal_url(page, withdrawal_token) if withdrawal_token else None,
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


def email_kind(signature):
    """A link to confirm, or, when this address's signature is confirmed already, a note
    that it is: decided here, outside the request, so that signing answers alike."""
    confirmed = Signature.objects.confirmed_for(signature.appeal_id, signature.email_key)
    return EmailDue.ALREADY_SIGNED if confirmed else EmailDue.CONFIRM


def prepare_due_email(signature_id):
    """Claim the e-mail due for a submission: (signature, message), or None when there is
    nothing to send (sent already, link expired, case no longer published, or the
    address has had its e-mails for the day)."""
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update()
            .select_related("appeal")
            .filter(pk=signature_id)
            .first()
        )
        if signature is None or not signature.email_due or signature.link_expired():
            return None
        if not protection.email_allowed(signature.email_key):
            # The address had its e-mails for the day: a submission whose link cannot
            # be sent can never be confirmed, so it is not kept.
            signature.delete()
            return None
        page = signature.appeal.get_case_page(signature.language)
        if page is None:
            return None  # stays due, until the case is published again or the link expires
        signature.email_due = email_kind(signature)
        token = withdrawal_token = None
        if signature.email_due == EmailDue.CONFIRM:
            # Both links go in the one e-mail; the withdrawal link outlives the other.
            token = signature.issue_token()
            withdrawal_token = signature.issue_withdrawal_token()
        signature.email_attempts += 1
        signature.save(
            update_fields=[
                "email_due", "token_hash", "token_created_at", "withdrawal_token_hash",
                "email_attempts",
            ]
        )  # fmt: skip
    with translation.override(signature.language):
        return signature, build_message(signature, page, token, withdrawal_token)


def send_due_email(signature_id):
    """Send the e-mail due for a submission. A failure leaves it due, to be retried until it
    is sent or its link expires, and uses none of the address's daily e-mails."""
    prepared = prepare_due_email(signature_id)
    if prepared is None:
        return False
    signature, message = prepared
    message.send()
    protection.record_email_sent(signature.email_key)
    if signature.email_due == EmailDue.ALREADY_SIGNED:
        # It told the owner they had signed; as a submission it can never be confirmed.
        Signature.objects.filter(pk=signature.pk, confirmed_at__isnull=True).delete()
    else:
        Signature.objects.filter(pk=signature.pk).update(email_due=EmailDue.NONE)
    return True


def marked(text, language):
    """``text`` isolated in its own language inside a sentence of the e-mail."""
    return format_html('<bdi lang="{}" dir="{}">{}</bdi>', language, direction(language), text)


def build_update_message(signature, reading):
    """The e-mail that brings ``signature``'s signer a timeline entry, in the active
    language (the signer's own), as ``reading`` (``appeals.informing.Reading``) gives it.

    Like every signer's e-mail, its subject names the site, not the case, unless
    ``APPEALS_EMAIL_SUBJECT_NAMES_CASE``. It carries the link that stops the updates,
    also as List-Unsubscribe headers (RFC 2369, and RFC 8058's one-click POST).
    """
    page = reading.page.as_served()
    page_language = text_language(reading.page)
    status = reading.status
    status_language = status.locale.language_code if status else None
    stop_url = unsubscribe_url(page, signature.unsubscribe_token())
    context = {
        "signature": signature,
        "page": page,
        "page_url": page.full_url,
        "marked_title": marked(page.title, page_language),
        "entry": reading.entry,
        "entry_language": reading.language,
        "entry_direction": direction(reading.language),
        "status": status,
        "marked_status": marked(status.name, status_language) if status else None,
        "site_name": site_name(page),
        "subject_names_case": appeals_conf.EMAIL_SUBJECT_NAMES_CASE,
        "unsubscribe_url": stop_url,
    }
    template = "appeals/emails/update"
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()),
        body=render_to_string(f"{template}.txt", context),
        to=[signature.email],
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
