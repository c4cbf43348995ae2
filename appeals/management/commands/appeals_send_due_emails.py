from django.core.management.base import BaseCommand

from appeals.tasks import queue_due_emails


class Command(BaseCommand):
    help = (
        "Queue again every signer e-mail not sent yet whose link can still be used. The "
        "periodic work (appeals_schedule) does it every APPEALS_EMAIL_RETRY_INTERVAL "
        "seconds; without a worker that defers tasks, run this from cron."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Queued {queue_due_emails()} e-mails.")
