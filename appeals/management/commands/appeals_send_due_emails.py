from django.core.management.base import BaseCommand

from appeals.conf import appeals_conf
from appeals.models import Signature
from appeals.tasks import send_signature_email


class Command(BaseCommand):
    help = (
        "Queue again every signer e-mail whose sending failed. Run it periodically "
        "(e.g. every ten minutes) beside the task worker."
    )

    def handle(self, *args, **options):
        due = Signature.objects.exclude(email_due="").filter(
            email_attempts__lt=appeals_conf.EMAIL_ATTEMPTS
        )
        queued = 0
        for signature_id in due.values_list("pk", flat=True).iterator():
            send_signature_email.enqueue(signature_id)
            queued += 1
        self.stdout.write(f"Queued {queued} e-mails.")
