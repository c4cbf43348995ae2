from django.core.management.base import BaseCommand

from appeals import privacy
from appeals.conf import appeals_conf


class Command(BaseCommand):
    help = (
        "Delete the unconfirmed submissions whose link has expired, and anonymise the "
        "signatures of appeals ended more than APPEALS_RETENTION_DAYS days ago (name, "
        "e-mail, town and message removed; language, country and dates kept, so counts stay "
        "true). The task worker runs it daily once appeals_schedule has run; running it "
        "twice, or twice at once, does no harm."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be anonymised; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        days = appeals_conf.RETENTION_DAYS
        if dry_run:
            affected = privacy.anonymisable()
            self.stdout.write(self.anonymised(affected, days, "Would anonymise"))
            return
        purged = privacy.purge()
        submissions = privacy.plural(purged.expired, "unconfirmed submission")
        self.stdout.write(f"Deleted {submissions} whose link had expired.")
        self.stdout.write(self.anonymised(purged.anonymised, days, "Anonymised"))

    def anonymised(self, affected, days, verb):
        if days is None:
            return "Signatures are kept until erased (APPEALS_RETENTION_DAYS is None)."
        return f"{verb} {affected}, ended more than {privacy.plural(days, 'day')} ago."
