from django.core.management.base import BaseCommand

from appeals import counters


class Command(BaseCommand):
    help = (
        "Add the signatures confirmed since the last fold to their appeals' counts and "
        "tallies. The task worker does it every APPEALS_COUNT_INTERVAL seconds once "
        "appeals_schedule has run; this runs it once, from cron or by hand. Running it "
        "twice at once counts nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=None,
            help="Signatures per transaction (default: APPEALS_COUNT_BATCH_SIZE).",
        )

    def handle(self, *args, batch_size=None, **options):
        folded = counters.fold(batch_size=batch_size, wait=True)
        self.stdout.write(f"Counted {folded} signatures.")
