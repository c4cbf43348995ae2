from django.core.management.base import BaseCommand

from appeals import privacy


class Command(BaseCommand):
    help = (
        "Erase a signer: delete every signature and unconfirmed submission of an e-mail "
        "address from every appeal, correcting the counts. The address is compared as "
        "signing compares it (case and Unicode forms do not matter). Recorded in the audit "
        "log, without the address."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The signer's e-mail address.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would be erased; erase nothing."
        )

    def handle(self, *args, email, dry_run=False, **options):
        affected = privacy.erasable(email) if dry_run else privacy.erase(email)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(f"{verb} {affected} (every signature of this address).")
