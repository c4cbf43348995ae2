"""What is kept about signers, and for how long: one policy for commands and tasks."""

from appeals.models import Signature


def purge_expired_submissions(now=None) -> int:
    """Delete the unconfirmed submissions whose link has expired, as the confirmation
    e-mail promises. Safe to run twice, or from two workers at once."""
    deleted, _by_model = Signature.objects.expired(now).delete()
    return deleted
