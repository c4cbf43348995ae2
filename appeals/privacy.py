"""What is kept about signers, and for how long: one policy for the admin, the commands,
the tasks and the signer's own withdrawal link.

- ``erase(address)``: every signature and submission of an address deleted, counts corrected;
- ``person_data(address)``: everything stored about an address, for the signer who asks;
- ``purge()``: unconfirmed submissions deleted once their link expires, and the signatures
  of appeals ended more than ``APPEALS_RETENTION_DAYS`` ago anonymised, counts kept;
- ``withdraw(token)``: the signer withdraws one signature from the link in their e-mail.

Each is recorded in Wagtail's audit log against every appeal it touched, with the number of
signatures and never the address, and takes the signers it removes or anonymises out of the
delivery packs that listed them (``appeals.redaction``). Deleting a signature always goes
through ``remove``, which takes it out of the counts first
(``appeals.counters.signature_removed``).
"""

import enum
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import router, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from appeals import counters, redaction
from appeals.addresses import normalise_email
from appeals.admin import log_actions
from appeals.conf import appeals_conf
from appeals.countries import country_name
from appeals.models import Appeal, Signature, Withdrawal
from appeals.models.signatures import hash_token

# Longer than any token we issue (43 characters): anything longer is no token of ours.
MAX_TOKEN_LENGTH = 100


@dataclass
class Affected:
    """How many signatures of each appeal an operation touched."""

    by_appeal: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_appeal.values())

    @property
    def appeals(self) -> int:
        return len([number for number in self.by_appeal.values() if number])

    def __str__(self):
        """In English, for the commands: "3 signatures of 2 appeals"."""
        return f"{plural(self.total, 'signature')} of {plural(self.appeals, 'appeal')}"


def plural(number, noun):
    return f"{number} {noun}{'' if number == 1 else 's'}"


def record(affected, action, user):
    """One audit-log entry per appeal touched, with how many signatures: never who."""
    for appeal, number in affected.by_appeal.items():
        if number:
            log(appeal, action, user=user, data={"signatures": number})


def remove(signatures) -> list:
    """Delete ``signatures``, each taken out of its appeal's count and tallies first, inside
    the caller's transaction; those that were still there to delete (a concurrent erasure
    or withdrawal may have taken one first)."""
    removed = []
    for signature in signatures:
        counters.signature_removed(signature)
        deleted, _by_model = Signature.objects.filter(pk=signature.pk).delete()
        if deleted:
            removed.append(signature)
    return removed


# Erasure


def signatures_of(address):
    return Signature.objects.of_address(address).select_related("appeal").order_by("pk")


def erasable(address) -> Affected:
    """What ``erase(address)`` would delete, per appeal, confirmed or not: nothing is changed."""
    return Affected(Counter(signature.appeal for signature in signatures_of(address)))


def erase(address, *, user=None) -> Affected:
    """Delete every signature and submission of ``address`` from every appeal, confirmed or
    not, correcting the counts and tallies; the address normalised and keyed as signing
    does it. An unknown address erases nothing and logs nothing."""
    using = router.db_for_write(Signature)
    with transaction.atomic(using=using):
        redaction.redact(Signature.objects.of_address(address), using)
        removed = remove(signatures_of(address))
        affected = Affected(Counter(signature.appeal for signature in removed))
        record(affected, log_actions.ERASE, user)
    return affected


# What is stored about a person

# Kept only as hashes of random links, which tell nothing about the signer: left out.
NOT_EXPORTED = {"id", "appeal", "token_hash", "withdrawal_token_hash"}


def as_json_value(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)  # a country: its code


def signature_data(signature) -> dict:
    """Every stored field of ``signature`` but the hashes of its links, with its appeal."""
    data = {
        "appeal": {"public_id": signature.appeal.public_id, "title": signature.appeal.title},
    }
    for model_field in Signature._meta.concrete_fields:
        if model_field.name not in NOT_EXPORTED:
            data[model_field.name] = as_json_value(model_field.value_from_object(signature))
    data["updates_sent"] = [
        {"entry": str(key), "sent_at": sent_at.isoformat(), "refused": refused}
        for key, sent_at, refused in signature.updates_sent.order_by("sent_at").values_list(
            "update_key", "sent_at", "refused"
        )
    ]
    data["country_name"] = country_name(data["country"]) if data["country"] else ""
    return data


def what_else_is_kept() -> list[str]:
    """What is kept besides the signatures, and why, in the active language."""
    return [
        _(
            "Each confirmation link and withdrawal link e-mailed to you is kept only as a "
            "SHA-256 hash, to recognise the link when it is used; the link cannot be "
            "recovered from it."
        ),
        _(
            "To send an address no more than a few e-mails a day, a keyed hash of it counts "
            "the e-mails sent to it, for at most two days; the address itself is not in it."
        ),
        _(
            "Your IP address is never stored. To limit signatures per connection, a keyed "
            "hash of your network is counted for a few hours, linked to no signature."
        ),
        _(
            "A withdrawn signature is deleted; only the hash of the link used is kept, so "
            "that the link can say it was already used."
        ),
        _(
            "Which of a case's updates were e-mailed to you is kept with your signature, so "
            "that none is sent to you twice; it is deleted with the signature."
        ),
    ]


def person_data(address) -> dict:
    """Everything stored about ``address``: every field of each of its signatures and
    submissions, with its appeal's title and public id, and what else is kept and why."""
    return {
        "email": normalise_email(address),
        "exported_at": timezone.now().isoformat(),
        "signatures": [signature_data(signature) for signature in signatures_of(address)],
        "also_kept": what_else_is_kept(),
    }


def export_person(address, *, user=None) -> tuple[str, Affected]:
    """``person_data`` as UTF-8 JSON text, recorded in the audit log: (text, affected)."""
    data = person_data(address)
    affected = erasable(address)
    record(affected, log_actions.EXPORT_PERSON, user)
    return json.dumps(data, ensure_ascii=False, indent=2), affected


# Retention


def retention_cutoff(now=None):
    """Appeals that ended before this moment are past their retention period; None when
    ``APPEALS_RETENTION_DAYS`` is None (signatures kept until erased)."""
    days = appeals_conf.RETENTION_DAYS
    if days is None:
        return None
    return (now or timezone.now()) - timedelta(days=days)


def appeals_past_retention(now=None):
    """The appeals past their retention period that still hold a signer's name or address."""
    cutoff = retention_cutoff(now)
    if cutoff is None:
        return Appeal.objects.none()
    identified = Signature.objects.identified().filter(appeal=OuterRef("pk"))
    return Appeal.objects.ended_before(cutoff).filter(Exists(identified)).order_by("pk")


def anonymisable(now=None) -> Affected:
    """What ``anonymise_past_retention`` would anonymise, per appeal: nothing is changed."""
    numbers = dict(
        Signature.objects.identified()
        .filter(appeal__in=appeals_past_retention(now))
        .order_by()
        .values_list("appeal")
        .annotate(number=Count("pk"))
    )
    appeals = Appeal.objects.in_bulk(numbers)
    return Affected(Counter({appeals[pk]: number for pk, number in numbers.items()}))


def anonymise_past_retention(now=None, *, user=None) -> Affected:
    """Anonymise every signature of the appeals ended more than ``APPEALS_RETENTION_DAYS``
    ago, confirmed or not: name, e-mail, town and message removed, language, country and
    dates kept, so that every count and tally stays true.

    An appeal at a time, each in a transaction holding the counts' lock, so that no fold
    waits on its rows half way. Run twice, or twice at once, the second run finds nothing
    left to anonymise.
    """
    now = now or timezone.now()
    affected = Affected()
    using = router.db_for_write(Signature)
    for appeal in appeals_past_retention(now):
        with transaction.atomic(using=using):
            counters.lock_counts(using)
            redaction.redact(Signature.objects.filter(appeal=appeal).identified(), using)
            anonymised = Signature.objects.filter(appeal=appeal).anonymise(now)
            if anonymised:
                log(appeal, log_actions.PURGE, user=user, data={"signatures": anonymised})
        affected.by_appeal[appeal] = anonymised
    return affected


def purge_expired_submissions(now=None) -> int:
    """Delete the unconfirmed submissions whose link has expired, as the confirmation
    e-mail promises. Safe to run twice, or from two workers at once."""
    deleted, _by_model = Signature.objects.expired(now).delete()
    return deleted


@dataclass
class Purge:
    expired: int
    anonymised: Affected


def purge(now=None, *, user=None) -> Purge:
    """The daily purge: expired submissions deleted, then the signatures past their
    retention period anonymised."""
    now = now or timezone.now()
    expired = purge_expired_submissions(now)
    return Purge(expired, anonymise_past_retention(now, user=user))


# Withdrawal by the signer


class Withdrawn(enum.Enum):
    WITHDRAWN = "withdrawn"
    ALREADY_WITHDRAWN = "already_withdrawn"
    INVALID = "invalid"


def is_plausible(token) -> bool:
    return bool(token) and isinstance(token, str) and len(token) <= MAX_TOKEN_LENGTH


def check_withdrawal(token):
    """What withdrawing with ``token`` would answer, found without changing anything:
    (None, signature) while there is a signature to withdraw, else (outcome, None)."""
    if not is_plausible(token):
        return Withdrawn.INVALID, None
    signature = Signature.objects.with_withdrawal_token(token)
    if signature is not None:
        return None, signature
    if Withdrawal.objects.with_token(token):
        return Withdrawn.ALREADY_WITHDRAWN, None
    return Withdrawn.INVALID, None


def withdraw(token):
    """Withdraw the signature (confirmed or not) whose withdrawal token is ``token``: it is
    deleted, the count follows, and the link's hash is kept to say, next time, that it was
    already used. (outcome, the signature's appeal or None).

    A token that is unknown, forged or of an erased or anonymised signature is invalid, and
    answers alike: nothing tells whether an address signed.
    """
    refusal, signature = check_withdrawal(token)
    if refusal is not None:
        return refusal, None
    using = router.db_for_write(Signature)
    with transaction.atomic(using=using):
        redaction.redact([signature.pk], using)
        if not remove([signature]):
            return Withdrawn.ALREADY_WITHDRAWN, signature.appeal  # a second click, at once
        Withdrawal.objects.create(token_hash=hash_token(token))
        log(signature.appeal, log_actions.WITHDRAW, user=None, data={"signatures": 1})
    return Withdrawn.WITHDRAWN, signature.appeal
