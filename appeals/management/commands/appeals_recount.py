from django.core.management.base import BaseCommand
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from appeals.conf import appeals_settings
from appeals.models import Appeal, Signature


class Command(BaseCommand):
    help = "Recount every appeal's signatures from the rows, report any drift, and fix it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report drift without fixing it."
        )

    def handle(self, *args, dry_run=False, **options):
        counted = (
            Q() if appeals_settings.COUNT_UNCONFIRMED else Q(signatures__confirmed_at__isnull=False)
        )
        drifted = 0
        for appeal in Appeal.objects.annotate(actual=Count("signatures", filter=counted)):
            if appeal.actual == appeal.signature_count:
                continue
            drifted += 1
            self.stdout.write(
                f"{appeal.public_id} ({appeal}): "
                f"counter {appeal.signature_count}, rows {appeal.actual}"
            )
            if not dry_run:
                # Counted inside the UPDATE, so confirmations arriving meanwhile are not lost.
                Appeal.objects.filter(pk=appeal.pk).update(signature_count=self.row_count(appeal))
        self.stdout.write(f"{drifted} appeals drifted." + (" Nothing changed." if dry_run else ""))

    @staticmethod
    def row_count(appeal):
        rows = Signature.objects.filter(appeal=OuterRef("pk"))
        if not appeals_settings.COUNT_UNCONFIRMED:
            rows = rows.filter(confirmed_at__isnull=False)
        count = rows.order_by().values("appeal").annotate(total=Count("pk")).values("total")
        return Coalesce(Subquery(count, output_field=IntegerField()), 0)
