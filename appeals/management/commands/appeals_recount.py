from django.core.management.base import BaseCommand

from appeals import counters
from appeals.models import Appeal


class Command(BaseCommand):
    help = (
        "Recount every appeal's signatures and its tallies by language and country from "
        "the rows, report any drift, and fix it. The task worker runs it daily once "
        "appeals_schedule has run; it is safe beside a running fold."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report drift without fixing it."
        )

    def handle(self, *args, dry_run=False, **options):
        drifts = counters.recount(Appeal.objects.all(), fix=not dry_run)
        for drift in drifts:
            tallies = ", tallies by language and country drifted" if drift.tallies else ""
            self.stdout.write(
                f"{drift.appeal.public_id} ({drift.appeal}): "
                f"counter {drift.counter}, rows {drift.rows}{tallies}"
            )
        summary = f"{len(drifts)} appeals drifted."
        self.stdout.write(summary + (" Nothing changed." if dry_run else ""))
