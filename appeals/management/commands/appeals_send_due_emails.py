from django.core.management.base import BaseCommand

from appeals.models import Signature
from appeals.tasks import send_signature_email


class Command(BaseCommand):
    help = (
        "Queue again every signer e-mail not sent yet whose link can still be used. Run it "
        "periodically (e.g. every ten minutes) beside the task worker."
    )

    def handle(self, *args, **options):
        queued = 0
        for signature_id in Signature.objects.email_due().values_list("pk", flat=True).iterator():
            send_signature_email.enqueue(signature_id)
            queued += 1
        self.stdout.write(f"Queued {queued} e-mails.")
