"""Generated data to measure the site with: many cases in every language, and signatures.

Cases go through the APIs an editor and a translator use: Wagtail's (``add_child``,
``save_revision().publish()``) and wagtail-localize's (a translation source, its
segments translated, the translation created and published). Signatures are written
in bulk (PostgreSQL's COPY, else ``bulk_create``), each value cleaned as signing
cleans it: the form's fields, then ``appeals.addresses`` for the address and its key.
Counts are rebuilt by ``appeals_recount``.

Safe to run again: cases have fixed translation keys, so a second run makes only
those missing (an interrupted run resumes), and signatures are written again only
when their number differs from the one asked for.
"""

import functools
import io
import random
import re
import time
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale
from wagtail.rich_text import RichText
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from appeals.addresses import delivery_address, email_key, fold, normalise_email
from appeals.forms import SignatureForm
from appeals.models import AppealsSettings, CaseIndexPage, CasePage, Signature, Status
from home.demo.tree import demo_key

RANDOM_DATA = uuid.UUID("6d1f8a52-93c4-4b7e-a0d5-2c8e71f4b93a")
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

DEFENDERS = [
    "Aisha Bakari", "Oleg Sokolov", "Mariam Haddad", "Luis Fernández", "Nadia Rahimi",
    "Samuel Otieno", "Elena Morozova", "Karim Benali", "Leila Farahani", "Tomás Quispe",
]  # fmt: skip
ORGANISATIONS = ["Human Rights Centre", "Lawyers for Justice", "Women's Rights Network",
                 "Committee Against Torture", "Free Press Union"]  # fmt: skip
ROLES = ["lawyer", "journalist", "director", "trade unionist", "land rights activist"]
PLACES = ["Grozny", "Kazan", "Cairo", "Tehran", "Lagos", "Caracas", "Minsk", "Harare"]
ACTS = ["arrested", "detained", "beaten", "charged", "threatened", "followed", "searched"]
AGENTS = ["police officers", "masked men", "security agents", "soldiers", "unknown men"]
SENTENCES = [
    "On {day} {month}, {name} was {act} by {agents} in {place}.",
    "{agents} searched the office of the {org} and took computers and files.",
    "{name} was held for {hours} hours without access to a lawyer.",
    "The authorities have not opened any investigation into what happened.",
    "Colleagues of {name} believe the {act} is linked to {pronoun} peaceful work as a {role}.",
    "Before this, {name} had received threats by telephone for several weeks.",
    "The family of {name} was not told where {pronoun} was taken.",
    "A court in {place} ordered {name} to stay in detention for another {hours} days.",
]
DEMANDS = [
    "Release {name} immediately and unconditionally;",
    "Drop every charge against {name}, as they stem only from {pronoun} human rights work;",
    "Carry out a thorough and impartial investigation into the {act} in {place};",
    "Guarantee the physical and psychological integrity of {name} and {pronoun} family;",
    "Ensure that all human rights defenders can work without fear of reprisals.",
]
MONTHS = ["January", "March", "May", "July", "September", "November"]

# Each English word becomes one of these, always the same: text of the right script and
# length for pages to render, not a translation.
WORDS = {
    "fr": "le la les des défenseur droits humains été arrêté par police dans bureau avocat "
    "enquête autorités famille travail pacifique menaces semaines tribunal détention libérer "
    "immédiatement garantir intégrité physique représailles sans peur ont pris ordinateurs".split(),
    "es": "el la los de defensora derechos humanos fue detenida por policía en oficina abogado "
    "investigación autoridades familia trabajo pacífico amenazas semanas tribunal detención "
    "liberar inmediatamente garantizar integridad física represalias sin miedo han tomado".split(),
    "ru": "правозащитник был задержан полицией в офисе адвокат расследование власти семья "
    "работа мирная угрозы недели суд содержание под стражей освободить немедленно "
    "гарантировать физическую неприкосновенность без страха репрессий они забрали".split(),
    "ar": "المدافع عن حقوق الإنسان اعتقل من قبل الشرطة في المكتب محامي تحقيق السلطات "
    "العائلة عمل سلمي تهديدات أسابيع المحكمة الاحتجاز الإفراج فورا ضمان السلامة الجسدية "
    "دون خوف من الانتقام أخذوا".split(),
}
WORD = re.compile(r"[^\W\d_]+")
TAG = re.compile(r"(<[^>]+>)")


def random_key(name):
    return uuid.uuid5(RANDOM_DATA, name)


def pseudo_translate(text, language):
    """``text`` in ``language``'s words, tags and names kept (capitalised words stay)."""
    words = WORDS[language]

    def word(match):
        found = match.group()
        if found[0].isupper():
            return found
        return words[int(uuid.uuid5(RANDOM_DATA, found).int % len(words))]

    return "".join(
        part if TAG.fullmatch(part) else WORD.sub(word, part) for part in TAG.split(text)
    )


class CaseWriter:
    """One generated case's text, the same for a given seed and number."""

    def __init__(self, seed, number):
        self.rng = random.Random(f"{seed}:{number}")  # noqa: S311 (text, not secrets)
        self.number = number
        self.name = f"{self.rng.choice(DEFENDERS)} {number}"
        self.pronoun = self.rng.choice(["her", "his", "their"])

    def fill(self, template):
        rng = self.rng
        return template.format(
            name=self.name, pronoun=self.pronoun, act=rng.choice(ACTS),
            agents=rng.choice(AGENTS).capitalize() if template.startswith("{agents}")
            else rng.choice(AGENTS),
            place=rng.choice(PLACES), org=rng.choice(ORGANISATIONS), role=rng.choice(ROLES),
            day=rng.randint(1, 28), month=rng.choice(MONTHS), hours=rng.randint(2, 72),
        )  # fmt: skip

    def paragraph(self, sentences=3):
        return " ".join(self.fill(self.rng.choice(SENTENCES)) for _ in range(sentences))

    def block(self, block_type, value):
        return {
            "type": block_type,
            "value": value,
            "id": str(uuid.UUID(int=self.rng.getrandbits(128))),
        }

    def items(self, texts):
        return [self.block("item", text) for text in texts]

    def incident(self):
        return self.block("incident", {
            "date": f"2025-{self.rng.randint(1, 12):02}-{self.rng.randint(1, 28):02}",
            "place": self.rng.choice(PLACES),
            "narrative": "".join(f"<p>{self.paragraph()}</p>" for _ in range(2)),
        })  # fmt: skip

    def demands(self):
        chosen = self.rng.sample(DEMANDS, self.rng.randint(2, len(DEMANDS)))
        return self.block("demands", {
            "introduction": "I urge the authorities to:",
            "demands": self.items([self.fill(demand) for demand in chosen]),
        })  # fmt: skip

    def recipient(self):
        return self.block("recipient", {
            "salutation": "Dear Minister,", "title": "Minister",
            "name": f"{self.rng.choice(DEFENDERS).split()[1]} {self.rng.choice(SURNAMES)}",
            "position": "Minister of Justice", "organisation": "Ministry of Justice",
            "address_lines": self.items([f"{self.rng.randint(1, 99)} Government Street"]),
            "postcode": f"{self.rng.randint(10000, 99999)}", "city": self.rng.choice(PLACES),
            "country": "", "phone": f"+7 495 {self.rng.randint(100, 999)} 2203", "fax": "",
            "email": "minister@justice.example",
        })  # fmt: skip

    def appeal(self):
        return self.block("appeal", {
            "heading": f"Write to the minister for {self.name}",
            "introduction": "Add your name to this letter. We deliver every signature.",
            "salutation": "", "letter": f"<p>{self.paragraph(2)}</p><p>{self.paragraph(2)}</p>",
            "include_demands": True, "closing": "Yours sincerely,",
            "goal": self.rng.choice([None, 1000, 5000, 100_000]), "closes_at": None,
            "delivery_language": "", "show_signers": self.rng.random() < 0.3,
        })  # fmt: skip

    def paragraph_block(self):
        return self.block("paragraph", f"<h2>About {self.name}</h2><p>{self.paragraph(4)}</p>")

    def quote(self):
        return self.block("quote", {"quote": self.paragraph(1), "attribution": self.name})

    def body(self):
        extras = [self.incident, self.paragraph_block, self.paragraph_block, self.quote]
        middle = [make() for make in self.rng.choices(extras, k=self.rng.randint(1, 5))]
        return [self.recipient(), self.incident(), *middle, self.demands(), self.appeal()]

    def page(self, index, status):
        return CasePage(
            title=f"Take action for {self.name}",
            slug=f"{slugify(self.name)}",
            defender_name=self.name,
            defender_organisation=self.rng.choice(ORGANISATIONS),
            defender_role=self.rng.choice(ROLES).capitalize(),
            status=status,
            summary=self.paragraph(2)[:600],
            body=self.body(),
            locale=index.locale,
            translation_key=random_key(f"case:{self.number}"),
        )


def translate_case(case, locales):
    """Translate ``case`` into ``locales`` as a translator would, and publish each: every
    segment filled in wagtail-localize's translation memory, then the translation saved."""
    source, _created = TranslationSource.get_or_create_from_instance(case)
    segments = list(source.stringsegment_set.select_related("string", "context"))
    StringTranslation.objects.bulk_create(
        [
            StringTranslation(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                data=segment.string.data
                if segment.context.path == "slug"
                else pseudo_translate(segment.string.data, locale.language_code),
            )
            for locale in locales
            for segment in segments
        ],
        ignore_conflicts=True,
    )
    for locale in locales:
        Translation.objects.update_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        source.create_or_update_translation(locale, publish=True)


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
            confirmed_at=created_at + timedelta(seconds=rng.randint(30, 3600))
            if confirmed
            else None,
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


class Command(BaseCommand):
    help = (
        "Load the demo, then generated cases in every content language and signatures "
        "spread over their appeals, for benchmarks. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1000, help="Generated cases (1,000).")
        parser.add_argument(
            "--signatures", type=int, default=1_000_000,
            help="Confirmed signatures in all (1,000,000), plus 2%% unconfirmed.",
        )  # fmt: skip
        parser.add_argument(
            "--hot", type=int, default=None,
            help="Signatures of the seed case's appeal (a fifth of them by default).",
        )  # fmt: skip
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generated text.")
        parser.add_argument(
            "--tokens", type=int, default=0,
            help="Unconfirmed submissions on the seed case's appeal whose confirmation tokens "
            "are written to --tokens-file (replacing those of an earlier run).",
        )  # fmt: skip
        parser.add_argument("--tokens-file", help="Where to write the tokens, one a line.")

    def handle(self, *args, cases, signatures, hot, seed, tokens, tokens_file, **options):
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        self.step("Demo site", lambda: self.load_demo(options["verbosity"]))
        index = CaseIndexPage.objects.get(
            translation_key=demo_key("cases"), locale=Locale.get_default()
        )
        seed_case = CasePage.objects.get(
            translation_key=demo_key("case:igor-kalyapin"), locale=index.locale
        )
        self.step(f"{cases:,} cases", lambda: self.ensure_cases(index, cases, seed))
        self.step("Plain Wagtail page", lambda: self.ensure_plain_page(index.get_parent()))
        total = signatures
        hot = total // 5 if hot is None else hot
        self.step(
            f"{total:,} signatures",
            lambda: self.ensure_signatures(seed_case, cases, total, hot, seed),
        )
        if tokens:
            self.step(
                f"{tokens:,} confirmation tokens",
                lambda: self.issue_tokens(seed_case, tokens, tokens_file),
            )
        self.stdout.write(
            self.style.SUCCESS(f"Random data ready in {time.monotonic() - started:.0f} s.")
        )

    def step(self, title, action):
        started = time.monotonic()
        self.stdout.write(f"{title}...")
        note = action()
        note = f" ({note})" if note else ""
        self.stdout.write(f"{title}: done in {time.monotonic() - started:.1f} s{note}.")

    def progress(self, text):
        if self.verbosity:
            self.stdout.write(f"  {text}")

    def load_demo(self, verbosity):
        call_command("load_demo", stdout=self.stdout if verbosity > 1 else io.StringIO())

    def ensure_cases(self, index, count, seed):
        keys = {random_key(f"case:{number}"): number for number in range(count)}
        languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        locales = [
            locale
            for locale in Locale.objects.filter(language_code__in=languages)
            if locale != index.locale
        ]
        live = {}
        for key, language in (
            CasePage.objects.live()
            .filter(translation_key__in=keys)
            .values_list("translation_key", "locale__language_code")
        ):
            live.setdefault(key, set()).add(language)
        statuses = list(Status.objects.filter(locale=index.locale, is_final=False).order_by("pk"))
        made = 0
        # Translated below at once: no alias to make, then to turn into a translation.
        with override_settings(APPEALS_MIRROR_UNTRANSLATED_CASES=False):
            for key, number in keys.items():
                missing = [
                    locale for locale in locales if locale.language_code not in live.get(key, ())
                ]
                if key in live and not missing:
                    continue
                with transaction.atomic():
                    case = CasePage.objects.filter(translation_key=key, locale=index.locale).first()
                    if case is None:
                        writer = CaseWriter(seed, number)
                        case = writer.page(index, writer.rng.choice(statuses))
                        index.add_child(instance=case)
                        case.save_revision().publish()
                    translate_case(case, missing)
                made += 1
                if made % 50 == 0:
                    self.progress(f"{made:,} cases made")
        return f"{made:,} made, {count - made:,} found"

    def ensure_plain_page(self, home):
        """A plain Wagtail page of 30 rich-text blocks (~5 KB of text), when the bench's
        app is installed: the comparison the case page is measured against."""
        if not apps.is_installed("bench"):
            return "skipped: the bench app is not installed"
        plain_page = apps.get_model("bench", "PlainPage")
        if plain_page.objects.filter(translation_key=random_key("plain-page")).exists():
            return "found"
        writer = CaseWriter(0, 0)
        page = plain_page(
            title="A plain Wagtail page",
            slug="plain-page",
            body=[("paragraph", RichText(f"<p>{writer.paragraph(2)}</p>")) for _ in range(30)],
            locale=home.locale,
            translation_key=random_key("plain-page"),
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        return "made"

    def ensure_signatures(self, seed_case, cases, total, hot, seed):
        generated = Signature.objects.filter(email_key__endswith=SIGNER_MARKER)
        pending = total // PENDING_SHARE
        found = generated.count()
        if found == total + pending:
            return "found"
        if found:
            self.progress(f"{found:,} signatures of another size: writing them again")
            generated.delete()
        appeals = [self.appeal_of(seed_case)]
        appeals += [
            self.appeal_of(case)
            for case in CasePage.objects.filter(
                translation_key__in=[random_key(f"case:{number}") for number in range(cases)],
                locale=seed_case.locale,
            ).order_by("path")
        ]
        rng = random.Random(seed)  # noqa: S311 (sample data, not secrets)
        maker = SignatureMaker(rng, self.consent_version(seed_case), timezone.now())

        def rows():
            number = 0
            for appeal_id, share in zip(
                appeals, signature_shares(total, hot, appeals), strict=True
            ):
                for position in range(share + share // PENDING_SHARE):
                    yield maker.make(appeal_id, number, confirmed=position < share)
                    number += 1
                    if number % 100_000 == 0:
                        self.progress(f"{number:,} signatures")

        with transaction.atomic():
            written = write_signatures(rows())
        self.recount()
        return f"{written:,} written"

    def appeal_of(self, case):
        (block,) = case.get_appeal_blocks()
        return case.get_appeal(block.id).pk

    def consent_version(self, case):
        return AppealsSettings.for_site(case.get_site()).consent_version

    def recount(self):
        call_command("appeals_recount", stdout=io.StringIO())

    def issue_tokens(self, seed_case, count, path):
        """Unconfirmed submissions with known tokens, those of an earlier run removed
        (and the count rebuilt if any of them had been confirmed)."""
        earlier = Signature.objects.filter(email_key__endswith=f"@{CONFIRMATION_DOMAIN}")
        confirmed_before = earlier.filter(confirmed_at__isnull=False).exists()
        earlier.delete()
        if confirmed_before:
            self.recount()
        appeal_id = self.appeal_of(seed_case)
        now = timezone.now()
        consent_version = self.consent_version(seed_case)
        tokens = []

        def rows():
            for number in range(count):
                signature = Signature(
                    appeal_id=appeal_id, language="fr", name=f"Confirmation {number}",
                    email=f"confirm.{number}@{CONFIRMATION_DOMAIN}", country="FR",
                    consent_version=consent_version, created_at=now,
                )  # fmt: skip
                signature.email = normalise_email(signature.email)
                signature.email_key = email_key(signature.email)
                tokens.append(signature.issue_token())
                yield signature

        with transaction.atomic():
            write_signatures(rows())
        with open(path, "w") as tokens_file:
            tokens_file.writelines(f"{token}\n" for token in tokens)
        return f"written to {path}"
