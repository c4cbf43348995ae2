"""The plugin's settings, each overridable as ``APPEALS_<NAME>`` in the project's settings."""

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    # How long a confirmation link works.
    "CONFIRMATION_MAX_AGE": timedelta(days=7),
    # Signature submissions allowed per client address, and the window in seconds.
    "RATE_LIMIT": 10,
    "RATE_LIMIT_WINDOW": 3600,
    # E-mails one address may receive per day, whatever is submitted.
    "EMAILS_PER_ADDRESS_PER_DAY": 3,
    # A form sent back sooner than this (seconds) after it was shown, or later than
    # the maximum, is shown again with a request to send it once more.
    "MIN_SECONDS_TO_SIGN": 3,
    "MAX_SECONDS_TO_SIGN": 6 * 3600,
    # The request.META key of a header set by a trusted proxy holding the client
    # address (e.g. "HTTP_X_FORWARDED_FOR"); None trusts only REMOTE_ADDR.
    "CLIENT_ADDRESS_HEADER": None,
    # Key for the HMAC of client addresses; None derives one from SECRET_KEY.
    "HMAC_KEY": None,
    # The cache that holds rate limits (Redis in production).
    "CACHE": "default",
    # Where confirmation links point when a front end hosts the confirmation page
    # itself, e.g. "https://front.example/{language}/confirm?token={token}"; None
    # uses this site's own confirmation page.
    "CONFIRMATION_URL": None,
}


# Settings that no longer exist, and why: a project still setting one is warned
# (``appeals.checks``).
REMOVED = {
    "COUNT_UNCONFIRMED": (
        "Counting signatures before they are confirmed let the public count tell whether "
        "an address had signed; only confirmed signatures count."
    ),
    "EMAIL_ATTEMPTS": "A failed e-mail is retried until it is sent or its link expires.",
}


class AppealsConf:
    """The plugin's settings: ``appeals_conf.RATE_LIMIT`` reads ``APPEALS_RATE_LIMIT``.

    Read on every access, so ``override_settings`` in tests applies at once.
    (The per-site settings editors change in the admin are ``appeals.models.AppealsSettings``.)
    """

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, f"APPEALS_{name}", DEFAULTS[name])


appeals_conf = AppealsConf()
