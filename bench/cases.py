"""Generated cases for the bench: their text, and their making through the APIs an editor
and a translator use.

A case is published with Wagtail's API (``add_child``, ``save_revision().publish()``),
then translated with wagtail-localize's: a translation source, its segments filled in
translation memory, a ``Translation`` saved and published, as the translation editor
does. Jobs in several processes make cases at once; siblings get their tree paths one
at a time (the parent row is locked), and a job that loses a race tries again.
"""

import random
import re
import time
import uuid

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from appeals.models import CaseIndexPage, CasePage, Status

RANDOM_DATA = uuid.UUID("6d1f8a52-93c4-4b7e-a0d5-2c8e71f4b93a")

DEFENDERS = [
    "Aisha Bakari", "Oleg Sokolov", "Mariam Haddad", "Luis Fernández", "Nadia Rahimi",
    "Samuel Otieno", "Elena Morozova", "Karim Benali", "Leila Farahani", "Tomás Quispe",
]  # fmt: skip
ORGANISATIONS = ["Human Rights Centre", "Lawyers for Justice", "Women's Rights Network",
                 "Committee Against Torture", "Free Press Union"]  # fmt: skip
OFFICIALS = ["Petrov", "Mansour", "Silva", "Okafor", "Morales", "Rahimi", "Ivanov", "Haddad"]
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
            "name": f"{self.rng.choice(DEFENDERS).split()[0]} {self.rng.choice(OFFICIALS)}",
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


def content_languages():
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def with_retries(action, attempts=8):
    """``action()`` in a transaction, run again when it lost a race with another job (a
    row with the same unique value made at the same moment, or a deadlock)."""
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return action()
        except (IntegrityError, OperationalError):
            if attempt + 1 == attempts:
                raise
            time.sleep(0.05 * (attempt + 1))
    return None


def lock_children_of(pages):
    """Lock the parent page row: its new children get their tree paths one at a time,
    whichever job adds them."""
    list(pages.select_for_update().values_list("pk", flat=True))


class CaseMaker:
    """Makes one generated case, or completes it: its source page, its translation
    source, and a translation per missing language, each its own transaction."""

    def __init__(self, index, seed):
        self.index = index
        self.seed = seed
        self.statuses = list(
            Status.objects.filter(locale=index.locale, is_final=False).order_by("pk")
        )
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}

    def make(self, number, languages):
        case = with_retries(lambda: self.source_case(number))
        with_retries(lambda: TranslationSource.get_or_create_from_instance(case))
        # Jobs start on different languages, so that they seldom wait for one another.
        start = number % len(languages)
        for code in languages[start:] + languages[:start]:
            if code != self.index.locale.language_code:
                with_retries(lambda code=code: self.translation(case, self.locales[code]))

    def source_case(self, number):
        key = random_key(f"case:{number}")
        case = CasePage.objects.filter(translation_key=key, locale=self.index.locale).first()
        if case is not None:
            return case
        lock_children_of(Page.objects.filter(pk=self.index.pk))
        parent = Page.objects.get(pk=self.index.pk)
        writer = CaseWriter(self.seed, number)
        case = writer.page(self.index, writer.rng.choice(self.statuses))
        parent.add_child(instance=case)
        case.save_revision().publish()
        return case

    def translation(self, case, locale):
        lock_children_of(
            Page.objects.filter(translation_key=self.index.translation_key, locale=locale)
        )
        translate_case(case, [locale])


def commit_without_waiting_for_the_disk():
    """Generated data can be made again: on PostgreSQL, commits need not wait for the
    write-ahead log to reach the disk (a crash loses the last ones, never consistency)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def make_cases(batch):
    """Make the cases of one job; returns how many."""
    index_pk, seed, todo, verbosity = batch
    commit_without_waiting_for_the_disk()
    maker = CaseMaker(CaseIndexPage.objects.get(pk=index_pk), seed)
    for done, (number, languages) in enumerate(todo, 1):
        maker.make(number, languages)
        if verbosity and done % 50 == 0:
            print(f"  {done:,} of {len(todo):,} cases made by one job", flush=True)
    return len(todo)


def make_cases_in_a_job(batch):
    """``make_cases`` in a process of its own, which closes its connections when done."""
    try:
        return make_cases(batch)
    finally:
        connections.close_all()
