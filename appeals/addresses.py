"""E-mail addresses as mailboxes: one normalisation for the address we write to and its key.

Two spellings that reach the same mailbox must be one signer. Delivery converts
the domain to ASCII (IDNA), which drops or maps what a person cannot see, so the
uniqueness key is taken from the very address we deliver to, never from the text
as typed:

- NFKC first, so that full-width and other compatibility forms become the
  letters they look like (``ｅｘａｍｐｌｅ.org`` is ``example.org``);
- refuse every "other" character (Unicode category C*: controls, format
  characters such as U+200B, U+00AD, U+2060, surrogates, private use), anywhere in
  the address: nobody types them, and they are how one mailbox wears many names;
- the domain in its IDNA ASCII form, which is what is stored and written to;
- the local part kept as typed (after NFKC): only the receiving server may say
  whether ``Marie`` and ``marie`` are one mailbox, so we write to what was typed;
- the key case-folded, so that one person signs once however they type it;
- lengths checked on the result (the address and its key), since both grow.

No model imports: the models and the form both call this.
"""

import unicodedata

# The `idna` package (IDNA 2008 with the UTS #46 mapping, as browsers and mail
# software use) rather than Python's built-in "idna" codec, which implements
# IDNA 2003: the codec maps ß to "ss" and ς to σ, so it would write to a different
# domain than ``straße.de``, and it accepts characters IDNA 2008 forbids. `idna`
# is small and well kept, and every Wagtail install has it already (through
# `requests`); the plugin declares it.
import idna
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, and the model's field length

validate_address = EmailValidator(
    message=_("Enter a valid e-mail address, such as name@example.org.")
)


TOO_LONG = _("This e-mail address is too long: an address has at most 254 characters.")


def invalid(message, code):
    return ValidationError(message, code=code)


def has_invisible_characters(text: str) -> bool:
    """Whether ``text`` holds a control, format, surrogate or private-use character."""
    return any(unicodedata.category(char).startswith("C") for char in text)


def ascii_domain(domain: str) -> str:
    """The domain in the IDNA ASCII form mail is sent to, lower-cased."""
    try:
        return idna.encode(domain, uts46=True, transitional=False).decode("ascii")
    except idna.IDNAError as error:
        # A domain or label that its ASCII form makes too long says so ("Domain too long").
        if "too long" in str(error):
            raise invalid(TOO_LONG, "too_long") from error
        raise invalid(validate_address.message, "invalid") from error


def delivery_address(address: str) -> str:
    """The address as stored and written to; raises ValidationError with a field message."""
    address = unicodedata.normalize("NFKC", address.strip())
    if has_invisible_characters(address):
        raise invalid(
            _("Remove the invisible characters from your e-mail address."), "invisible_characters"
        )
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        raise invalid(validate_address.message, "invalid")
    address = f"{local}@{ascii_domain(domain)}"
    validate_address(address)
    if len(address) > MAX_LENGTH or len(fold(address)) > MAX_LENGTH:
        raise invalid(TOO_LONG, "too_long")
    return address


def fold(address: str) -> str:
    """Case-folded, then NFKC again: folding can leave a string that is not normalised."""
    return unicodedata.normalize("NFKC", address.casefold())


def email_key(address: str) -> str:
    """What makes two addresses one signer: the delivery address, case-folded."""
    return fold(normalise_email(address))


def normalise_email(address: str) -> str:
    """The delivery address, for the model: what the form refuses, the model stores as given
    (an admin's or a command's value), so that saving never raises here."""
    try:
        return delivery_address(address)
    except ValidationError:
        return unicodedata.normalize("NFKC", address.strip())
