import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from home.demo.translate import MissingDemoTranslation, demo_catalogue, translate_into
from home.demo.tree import build_source_tree, demo_url, ensure_locales

ADMIN_USERNAME = "admin"
# One account for each kind of work, to try the admin as its users do.
TEAM = {
    "demo-editor": "Editors",
    "demo-translator": "Translators",
    "demo-manager": "Campaign managers",
}


class Command(BaseCommand):
    help = (
        "Create the demo site and the seed case in English, translated through "
        "wagtail-localize into every other content language. Safe to run again."
    )

    def handle(self, *args, **options):
        languages = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
        ensure_locales(languages)
        source_locale = Locale.get_default()
        user, new_password, password_note = self.ensure_admin()

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

        team_note = self.ensure_team(new_password)
        self.report(tree["case"], password_note, team_note)

    def report(self, case, password_note, team_note):
        """The last lines before `make demo` starts the server: where to go, and how to sign in."""
        parts = case.get_url_parts()
        case_path = f" (the seed case: {demo_url(parts[2])})" if parts else ""
        self.stdout.write(f"Team: users {', '.join(repr(name) for name in TEAM)}, {team_note}")
        self.stdout.write(self.style.SUCCESS(f"Demo ready at {demo_url()}{case_path}"))
        self.stdout.write(
            self.style.SUCCESS(f"Admin: {demo_url('/admin/')}, user '{ADMIN_USERNAME}', ")
            + password_note
        )

    def ensure_team(self, admin_password):
        """An editor, a translator and a campaign manager, each in their group, sharing one
        password (the admin's if it was made in this run; shown once, or $DEMO_ADMIN_PASSWORD);
        where their password is, for the summary."""
        User = get_user_model()
        missing = [name for name in TEAM if not User.objects.filter(username=name).exists()]
        if not missing:
            return "password: printed when the accounts were made, or $DEMO_ADMIN_PASSWORD"
        password = (
            admin_password or os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        )
        for name in missing:
            user = User.objects.create_user(name, f"{name}@localhost", password)
            user.groups.add(Group.objects.get(name=TEAM[name]))
        self.stdout.write(f"Created the accounts {', '.join(missing)}.")
        if "DEMO_ADMIN_PASSWORD" in os.environ:
            return "password: $DEMO_ADMIN_PASSWORD"
        return self.style.WARNING(f"password '{password}' (shown only this once)")

    def ensure_admin(self):
        """The admin account, its password if made now (else None), and where its password
        is, for the summary.

        A generated password is shown once, in the summary of the run that made it;
        it is stored nowhere else, so later runs say where it was.
        """
        User = get_user_model()
        user = User.objects.filter(username=ADMIN_USERNAME).first()
        if user:
            return (
                user,
                None,
                (
                    "password: printed when the account was made, or $DEMO_ADMIN_PASSWORD "
                    f"(`python manage.py changepassword {ADMIN_USERNAME}` sets a new one)"
                ),
            )
        password = os.environ.get("DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        user = User.objects.create_superuser(ADMIN_USERNAME, "admin@localhost", password)
        self.stdout.write(f"Created the admin account '{ADMIN_USERNAME}'.")
        if "DEMO_ADMIN_PASSWORD" in os.environ:
            return user, password, "password: $DEMO_ADMIN_PASSWORD"
        return user, password, self.style.WARNING(f"password '{password}' (shown only this once)")
