from django.core.management.base import BaseCommand

from appeals.privacy import purge_expired_submissions


class Command(BaseCommand):
    help = (
        "Delete the unconfirmed submissions whose confirmation link has expired. Run it "
        "periodically (e.g. hourly); running it twice does no harm."
    )

    def handle(self, *args, **options):
        deleted = purge_expired_submissions()
        self.stdout.write(f"Deleted {deleted} unconfirmed submissions.")
