"""What the public may see of signers: first names and countries, of those who chose it."""

RECENT_SIGNERS_SHOWN = 10


def recent_signers(appeal):
    """The latest confirmed signers who chose to be shown publicly."""
    return list(
        appeal.signatures.filter(show_publicly=True, confirmed_at__isnull=False)
        .order_by("-confirmed_at")
        .only("name", "country")[:RECENT_SIGNERS_SHOWN]
    )
