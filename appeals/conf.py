"""The plugin's settings, each overridable as ``APPEALS_<NAME>`` in the project's settings."""

from datetime import time, timedelta

from django.conf import settings

DEFAULTS = {
    # How long a confirmation link works.
    "CONFIRMATION_MAX_AGE": timedelta(days=7),
    # Accepted signatures per client network per appeal, in a sliding window of
    # SUBMISSION_WINDOW seconds. Generous on purpose: a carrier-NAT address, an office
    # or a Tor exit carries many people, and at-risk signers use exactly those; a
    # script is held back by the per-network key (a whole IPv6 /64 is one client), by
    # the e-mail confirmation (nothing counts unconfirmed) and by EMAILS_PER_ADDRESS_PER_DAY.
    "SUBMISSIONS_PER_NETWORK": 60,
    "SUBMISSION_WINDOW": 3600,
    # E-mails one address may receive per day, whatever is submitted; only a sent
    # e-mail counts.
    "EMAILS_PER_ADDRESS_PER_DAY": 3,
    # A form sent back sooner than this (seconds) after it was shown, or later than
    # the maximum, is shown again with a request to send it once more.
    "MIN_SECONDS_TO_SIGN": 3,
    "MAX_SECONDS_TO_SIGN": 6 * 3600,
    # The request.META key of a header set by a trusted proxy holding the client
    # address (e.g. "HTTP_X_FORWARDED_FOR"); None trusts only REMOTE_ADDR.
    "CLIENT_ADDRESS_HEADER": None,
    # Addresses or networks of the proxies whose CLIENT_ADDRESS_HEADER is believed,
    # e.g. ["127.0.0.1", "10.0.0.0/8"]. Empty trusts no header: from anywhere else
    # the header is the client's own writing.
    "TRUSTED_PROXIES": [],
    # The prefix length a client is counted by: one IPv6 subscriber holds a whole /64.
    "IPV4_PREFIX": 32,
    "IPV6_PREFIX": 64,
    # Key for the HMAC of client addresses; None derives one from SECRET_KEY.
    "HMAC_KEY": None,
    # The cache that holds rate limits (Redis in production). Should it fail, limits
    # carry on in each process's memory.
    "CACHE": "default",
    # Where confirmation links point when a front end hosts the confirmation page
    # itself, e.g. "https://front.example/{language}/confirm?token={token}"; None
    # uses this site's own confirmation page.
    "CONFIRMATION_URL": None,
    # Where withdrawal links point when a front end hosts the withdrawal page itself,
    # e.g. "https://front.example/{language}/withdraw?token={token}"; None uses this
    # site's own withdrawal page.
    "WITHDRAWAL_URL": None,
    # Days after an appeal ends (its closing time passes, or an editor closes it) before
    # its signatures are anonymised: name, e-mail, town and message removed, language,
    # country and dates kept, so that every count stays true. Long enough to deliver the
    # letters and answer for them; None keeps signatures until they are erased.
    "RETENTION_DAYS": 365,
    # Whether the signer's e-mails name the case in their subject. Off by default: a
    # subject is seen by anyone who glances at an inbox, and the cause a signer supports
    # can put them at risk; the site's name is enough to recognise the e-mail.
    "EMAIL_SUBJECT_NAMES_CASE": False,
    # Publishing a case in its source language mirrors it, as a Wagtail alias, into
    # every content language whose tree holds its case list, until its translation
    # is published there: an urgent action reaches every visitor at once, in its
    # source language with a notice. False leaves a language without the case
    # until it is translated.
    "MIRROR_UNTRANSLATED_CASES": True,
    # The cache that holds case pages for anonymous visitors (Redis in production, so
    # that every web process shares them); None keeps no page on the server, and pages
    # still tell a CDN or front cache how long it may keep them.
    "PAGE_CACHE": "default",
    # How long (seconds) a case page may be kept, on the server and in a front cache
    # (``s-maxage``), and so how old a count may be on a page read without JavaScript.
    # Never past an appeal's closing time.
    "PAGE_CACHE_SECONDS": 60,
    # How long (seconds) a visitor's own browser may keep a case page (``max-age``). 0 has
    # it ask again on every visit, answered by the front cache or the server's: a visitor
    # who has just signed is never shown an older page than everyone else.
    "PAGE_BROWSER_SECONDS": 0,
    # How long (seconds) the live count a case page's script reads may be kept.
    "COUNT_CACHE_SECONDS": 10,
    # Confirming a signature writes only its own row; a periodic task folds the
    # confirmed signatures into their appeals' counts every COUNT_INTERVAL seconds,
    # so the public count is at most that far behind. (Where tasks run at once, as in
    # development, each confirmation is folded at once.)
    "COUNT_INTERVAL": 10,
    # Signatures folded per transaction: a fold interrupted half way keeps the batches
    # it finished and loses nothing of the others.
    "COUNT_BATCH_SIZE": 5000,
    # The time of day (in the project's TIME_ZONE) of the daily work: the recount
    # that corrects any drift of the counts, and the purge of expired submissions and of
    # the signatures past their retention period.
    "DAILY_WORK_AT": time(3, 0),
    # How often (seconds) signer e-mails not sent yet (a mail server down) are queued
    # again, until they leave or their link expires.
    "EMAIL_RETRY_INTERVAL": 600,
    # Timeline entries e-mailed per minute to the signers who asked to be kept informed:
    # a mailing to thousands goes out in batches of this size a minute apart, so that
    # the mail server (and its reputation with the receiving ones) is not flooded.
    # Where tasks run at once (development), the batches follow each other at once.
    "UPDATE_EMAILS_PER_MINUTE": 60,
    # The most signatures the campaign desk exports as XLSX: a workbook is built in
    # memory before it is sent, where CSV streams a chunk at a time whatever the number.
    # Above it, a selection is offered as CSV only.
    "XLSX_MAX_ROWS": 50_000,
    # Deliveries by e-mail: the sender (None: DEFAULT_FROM_EMAIL) and where the
    # authorities' replies go (None: to the sender).
    "DELIVERY_FROM_EMAIL": None,
    "DELIVERY_REPLY_TO": None,
    # How many times a delivery by e-mail is tried before it is recorded as failed and
    # its signatures freed for the next delivery; the wait between tries doubles from
    # DELIVERY_RETRY_DELAY (seconds), and each try keeps to the sending hours.
    "DELIVERY_ATTEMPTS": 5,
    "DELIVERY_RETRY_DELAY": 300,
}

# Settings that no longer exist, and why: a project still setting one is warned
# (``appeals.checks``).
REMOVED = {
    "COUNT_UNCONFIRMED": (
        "Counting signatures before they are confirmed let the public count tell whether "
        "an address had signed; only confirmed signatures count."
    ),
    "EMAIL_ATTEMPTS": "A failed e-mail is retried until it is sent or its link expires.",
    "RATE_LIMIT": (
        "Set APPEALS_SUBMISSIONS_PER_NETWORK: limits now count accepted submissions per "
        "client network per appeal."
    ),
    "RATE_LIMIT_WINDOW": "Set APPEALS_SUBMISSION_WINDOW.",
}


class AppealsConf:
    """The plugin's settings: ``appeals_conf.CACHE`` reads ``APPEALS_CACHE``.

    Read on every access, so ``override_settings`` in tests applies at once.
    (The per-site settings editors change in the admin are ``appeals.models.AppealsSettings``.)
    """

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, f"APPEALS_{name}", DEFAULTS[name])


appeals_conf = AppealsConf()
