from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from appeals import privacy


class Command(BaseCommand):
    help = (
        "Print as JSON (UTF-8) everything stored about an e-mail address: every field of "
        "each of its signatures and submissions, with the appeal's title and public id, and "
        "what else is kept and why. Recorded in the audit log, without the address."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The signer's e-mail address.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            help="The language of the explanations and country names (default: %(default)s).",
        )

    def handle(self, *args, email, language, **options):
        if language not in dict(settings.LANGUAGES):
            languages = ", ".join(code for code, _name in settings.LANGUAGES)
            raise CommandError(f"Unknown language {language!r}: use one of {languages}.")
        with translation.override(language):
            text, _affected = privacy.export_person(email)
        self.stdout.write(text)
