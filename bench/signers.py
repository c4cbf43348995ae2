"""Generated signatures for the bench: rows cleaned as signing cleans them, written in bulk.

Each value goes through what signing applies: the form's fields, then
``appeals.addresses`` for the address and its key. Rows are written by COPY on
PostgreSQL (``bulk_create`` elsewhere), so a million take minutes, not hours.
"""

import functools
from datetime import timedelta

from django.db import connection

from appeals.addresses import delivery_address, fold
from appeals.forms import SignatureForm
from appeals.models import Signature

# Every generated signer writes from one of these domains; ``email_key`` ends with the
# marker, so that a later run finds (and counts) what an earlier one wrote.
SIGNER_DOMAINS = ["signers.example", "Mail.Signers.Example", "bücher.signers.example",
                  "почта.signers.example", "بريد.signers.example"]  # fmt: skip
SIGNER_MARKER = "signers.example"
# The submissions whose tokens ``--tokens-file`` lists.
CONFIRMATION_DOMAIN = "confirmations.example"
PENDING_SHARE = 50  # one unconfirmed submission for every 50 signatures
COPY_BATCH = 10_000

FIRST_NAMES = [
    "Marie", "José", "Zoë", "Łukasz", "Ngozi", "Siobhán", "Søren", "Anaïs", "Chidi", "Mateo",
    "Анна", "Дмитрий", "Ольга", "Сергей", "Наталья", "محمد", "فاطمة", "ليلى", "يوسف",
    "علی‌رضا", "مریم", "Nguyễn", "Aylin", "Thandiwe", "Kofi", "Ingrid", "王芳", "Priya",
]  # fmt: skip
SURNAMES = [
    "Curie", "García", "Nowak", "Okafor", "O'Brien", "Kierkegaard", "Dubois", "Silva",
    "Иванова", "Петров", "Смирнова", "حداد", "الخوري", "منصور", "رضایی", "Trần", "Yılmaz",
    "Dlamini", "Mensah", "Larsen", "Sharma", "Müller-Lüdenscheidt",
]  # fmt: skip
CITIES = ["Paris", "Lyon", "Madrid", "Москва", "Казань", "بيروت", "تهران", "Dakar", "", ""]
MESSAGES = [
    "", "", "", "", "Free him now.", "Solidarité !", "Свободу!", "الحرية لكل المدافعين",
    # Hostile input: a spreadsheet formula, which the export must not let run.
    "=HYPERLINK(\"http://attacker.example\",\"click\")",
]  # fmt: skip
SIGNING_LANGUAGES = ["en"] * 7 + ["fr"] * 3 + ["es"] * 3 + ["ru"] * 2 + ["ar"] * 2 + ["fa"]
COUNTRIES = ["FR", "DE", "GB", "ES", "RU", "LB", "IR", "SN", "NG", "US", "BR", "IN", "EG", "PS"]


def signature_shares(total, hot, appeals):
    """How many signatures each appeal gets: ``hot`` for the first, the rest spread
    over the others, the earlier ones more."""
    hot = min(hot, total)
    if len(appeals) == 1:
        return [total]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(appeals) - 1)]
    scale = (total - hot) / sum(weights)
    shares = [int(weight * scale) for weight in weights]
    shares[0] += total - hot - sum(shares)
    return [hot, *shares]


class SignatureMaker:
    """Signature rows with each value cleaned as signing cleans it."""

    def __init__(self, rng, consent_version, now):
        self.rng = rng
        self.consent_version = consent_version
        self.now = now
        self.fields = SignatureForm().fields
        # Cleaning is a function of the value alone: each name, town and message is
        # cleaned once (e-mail addresses are all different, and each is cleaned).
        self.clean = functools.cache(self.clean)

    def clean(self, name, value):
        return self.fields[name].clean(value)

    def make(self, appeal_id, number, *, confirmed):
        rng = self.rng
        raw_email = f"{rng.choice(['', 'Signer.', 'j.doe+'])}{number}@{rng.choice(SIGNER_DOMAINS)}"
        # The form's cleaning, then the address as delivered (appeals.addresses).
        email = delivery_address(self.fields["email"].clean(raw_email))
        created_at = self.now - timedelta(seconds=rng.randint(7200, 60 * 86400))
        confirmed_at = created_at + timedelta(seconds=rng.randint(30, 3600)) if confirmed else None
        return Signature(
            appeal_id=appeal_id,
            language=rng.choice(SIGNING_LANGUAGES),
            # SignatureForm.clean_name strips what the field's cleaning left.
            name=self.clean("name", f" {rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} ").strip(),
            email=email,
            # What Signature.save() sets (bulk writes do not call it): email_key(email),
            # which for an address already in its delivery form is its fold.
            email_key=fold(email),
            country=rng.choice(COUNTRIES),  # codes the form offers
            city=self.clean("city", rng.choice(CITIES)),
            message=self.clean("message", rng.choice(MESSAGES)),
            keep_informed=rng.random() < 0.4,
            show_publicly=rng.random() < 0.2,
            consent_version=self.consent_version,
            created_at=created_at,
            confirmed_at=confirmed_at,
            # Loaded rows are counted at once: the loader's recount builds the counts
            # and tallies from them in one pass, rather than the fold in batches.
            counted_at=confirmed_at,
        )


def write_signatures(signatures):
    """Insert ``signatures`` (an iterable of unsaved rows) in bulk; returns how many."""
    if connection.vendor != "postgresql":
        written = 0
        batch = []
        for signature in signatures:
            batch.append(signature)
            if len(batch) == COPY_BATCH:
                written += len(Signature.objects.bulk_create(batch))
                batch = []
        return written + len(Signature.objects.bulk_create(batch))
    fields = [field for field in Signature._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(Signature._meta.db_table)
    written = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for signature in signatures:
            copy.write_row(
                [field.get_db_prep_save(field.pre_save(signature, True), connection)
                 for field in fields]
            )  # fmt: skip
            written += 1
    return written
