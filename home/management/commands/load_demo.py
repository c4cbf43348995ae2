import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from home.demo.translate import MissingDemoTranslation, demo_catalogue, translate_into
from home.demo.tree import build_source_tree, ensure_locales

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = (
        "Create the demo site and the seed case in English, translated through "
        "wagtail-localize into every other content language. Safe to run again."
    )

    def handle(self, *args, **options):
        languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        ensure_locales(languages)
        source_locale = Locale.get_default()
        user = self.ensure_admin()

        tree = build_source_tree(source_locale, user)
        objects = [
            *tree["statuses"].values(),
            tree["home"],
            tree["privacy"],
            tree["index"],
            tree["case"],
        ]

        for locale in Locale.objects.exclude(pk=source_locale.pk).filter(
            language_code__in=languages
        ):
            try:
                catalogue = demo_catalogue(locale.language_code)
                made = sum(translate_into(obj, locale, catalogue, user) for obj in objects)
            except (OSError, MissingDemoTranslation) as error:
                raise CommandError(f"Cannot translate the demo: {error}") from error
            if made:
                self.stdout.write(f"Translated {made} demo objects into {locale.language_code}.")

        case = tree["case"]
        self.stdout.write(self.style.SUCCESS(f"Demo ready: the seed case is at {case.url}"))

    def ensure_admin(self):
        User = get_user_model()
        user = User.objects.filter(username=ADMIN_USERNAME).first()
        if user:
            return user
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(ADMIN_USERNAME, "admin@localhost", password)
        if "DEMO_ADMIN_PASSWORD" not in os.environ:
            # Shown once; it is not stored anywhere else.
            self.stdout.write(
                self.style.WARNING(
                    f"Created the admin account: user '{ADMIN_USERNAME}', password '{password}'"
                )
            )
        else:
            self.stdout.write(f"Created the admin account '{ADMIN_USERNAME}'.")
        return user
