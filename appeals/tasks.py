from django_tasks import task

from appeals.emails import send_due_email


@task()
def send_signature_email(signature_id):
    """Send the e-mail due to a signer. A failure leaves it due for the next retry."""
    return send_due_email(signature_id)
