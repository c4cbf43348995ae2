from django.core.management.base import BaseCommand

from appeals import counters
from appeals.models import Appeal


class Command(BaseCommand):
    help = "Recount every appeal's signatures from the rows, report any drift, and fix it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report drift without fixing it."
        )

    def handle(self, *args, dry_run=False, **options):
        drifts = counters.recount(Appeal.objects.all(), fix=not dry_run)
        for drift in drifts:
            self.stdout.write(
                f"{drift.appeal.public_id} ({drift.appeal}): "
                f"counter {drift.counter}, rows {drift.rows}"
            )
        summary = f"{len(drifts)} appeals drifted."
        self.stdout.write(summary + (" Nothing changed." if dry_run else ""))
