"""Generated data to measure the site with: many cases in every language, and signatures.

After ``load_demo``: cases through Wagtail's and wagtail-localize's APIs
(``bench.cases``), one plain Wagtail page when the bench's app is installed, and
signatures in bulk, cleaned as signing cleans them (``bench.signers``); counts are
rebuilt by ``appeals_recount``.

Safe to run again: cases have fixed translation keys, so a second run makes only
those missing (an interrupted run resumes), and signatures are written again only
when their number differs from the one asked for.
"""

import io
import multiprocessing
import random
import time
from concurrent.futures import ProcessPoolExecutor

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale
from wagtail.rich_text import RichText

from appeals.addresses import email_key, normalise_email
from appeals.models import AppealsSettings, CaseIndexPage, CasePage, Signature
from bench.cases import (
    CaseWriter,
    commit_without_waiting_for_the_disk,
    content_languages,
    make_cases,
    make_cases_in_a_job,
    random_key,
)
from bench.signers import (
    CONFIRMATION_DOMAIN,
    PENDING_SHARE,
    SIGNER_MARKER,
    SignatureMaker,
    signature_shares,
    write_signatures,
)
from home.demo.tree import demo_key


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
            "--jobs", type=int, default=3,
            help="Processes making cases at once, on PostgreSQL (3).",
        )  # fmt: skip
        parser.add_argument(
            "--tokens", type=int, default=0,
            help="Unconfirmed submissions on the seed case's appeal whose confirmation tokens "
            "are written to --tokens-file (replacing those of an earlier run).",
        )  # fmt: skip
        parser.add_argument("--tokens-file", help="Where to write the tokens, one a line.")

    def handle(self, *args, cases, signatures, hot, seed, jobs, tokens, tokens_file, **options):
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        commit_without_waiting_for_the_disk()
        self.step("Demo site", lambda: self.load_demo(options["verbosity"]))
        index = CaseIndexPage.objects.get(
            translation_key=demo_key("cases"), locale=Locale.get_default()
        )
        seed_case = CasePage.objects.get(
            translation_key=demo_key("case:igor-kalyapin"), locale=index.locale
        )
        self.step(f"{cases:,} cases", lambda: self.ensure_cases(index, cases, seed, jobs))
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

    def ensure_cases(self, index, count, seed, jobs):
        keys = {random_key(f"case:{number}"): number for number in range(count)}
        live = {}
        for key, language in (
            CasePage.objects.live()
            .filter(translation_key__in=keys)
            .values_list("translation_key", "locale__language_code")
        ):
            live.setdefault(key, set()).add(language)
        todo = [
            (number, [code for code in content_languages() if code not in live.get(key, ())])
            for key, number in keys.items()
        ]
        todo = [(number, missing) for number, missing in todo if missing]
        if not todo:
            return f"{count:,} found"
        if connection.vendor != "postgresql":
            jobs = 1  # one writer at a time
        jobs = max(1, min(jobs, len(todo)))
        batches = [(index.pk, seed, todo[job::jobs], self.verbosity) for job in range(jobs)]
        # Translated at once: no alias to make, then to turn into a translation.
        with override_settings(APPEALS_MIRROR_UNTRANSLATED_CASES=False):
            if jobs == 1:
                made = sum(map(make_cases, batches))
            else:
                connections.close_all()  # each job opens its own
                context = multiprocessing.get_context("fork")
                with ProcessPoolExecutor(jobs, mp_context=context) as pool:
                    made = sum(pool.map(make_cases_in_a_job, batches))
        return f"{made:,} made or completed, {count - made:,} found, {jobs} jobs"

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
        appeals = [self.appeal_of(seed_case)]
        appeals += [
            self.appeal_of(case)
            for case in CasePage.objects.filter(
                translation_key__in=[random_key(f"case:{number}") for number in range(cases)],
                locale=seed_case.locale,
            ).order_by("path")
        ]
        shares = signature_shares(total, hot, appeals)
        # Each appeal's confirmed signatures, and one unconfirmed for every PENDING_SHARE.
        expected = sum(share + share // PENDING_SHARE for share in shares)
        generated = Signature.objects.filter(email_key__endswith=SIGNER_MARKER)
        found = generated.count()
        if found == expected:
            note = "found"
        else:
            if found:
                self.progress(f"{found:,} signatures of another size: writing them again")
                generated.delete()
            note = f"{self.write(appeals, shares, seed, seed_case):,} written"
        self.recount()
        return note

    def write(self, appeals, shares, seed, seed_case):
        rng = random.Random(seed)  # noqa: S311 (sample data, not secrets)
        maker = SignatureMaker(rng, self.consent_version(seed_case), timezone.now())

        def rows():
            number = 0
            for appeal_id, share in zip(appeals, shares, strict=True):
                for position in range(share + share // PENDING_SHARE):
                    yield maker.make(appeal_id, number, confirmed=position < share)
                    number += 1
                    if number % 100_000 == 0:
                        self.progress(f"{number:,} signatures")

        with transaction.atomic():
            return write_signatures(rows())

    def appeal_of(self, case):
        (block,) = case.get_appeal_blocks()
        return case.get_appeal(block.id).pk

    def consent_version(self, case):
        return AppealsSettings.for_site(case.get_site()).consent_version

    def recount(self):
        """Counts and tallies rebuilt from the counted rows by the plugin's own command
        (the rows written here are counted as they are written)."""
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
