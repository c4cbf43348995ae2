from django_tasks import task

from appeals import privacy
from appeals.emails import send_due_email


@task()
def send_signature_email(signature_id):
    """Send the e-mail due for a submission. A failure leaves it due for the next retry."""
    return send_due_email(signature_id)


@task()
def purge_expired_submissions():
    """Delete unconfirmed submissions whose link has expired (run it periodically)."""
    return privacy.purge_expired_submissions()
