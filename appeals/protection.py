"""What protects the signature routes: who is asking, how often, and from which site.

Client addresses are never stored or logged in clear: rate limits key on an
HMAC of them. The case page carries no CSRF token (it is the same HTML for
every visitor), so a form post is checked by its origin instead.
"""

import hashlib
import hmac
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches

from appeals.conf import appeals_conf


def client_address(request):
    """REMOTE_ADDR, unless a trusted proxy's header is named in the settings.

    A client can write any ``X-Forwarded-For`` it likes; only a header that
    the site's own proxy sets is believed, and then its last entry, the one
    that proxy appended.
    """
    header = appeals_conf.CLIENT_ADDRESS_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def hmac_key():
    key = appeals_conf.HMAC_KEY or f"appeals-client-address:{settings.SECRET_KEY}"
    return key.encode()


def client_fingerprint(address):
    """A keyed HMAC of the address: microseconds to compute, useless without the key."""
    return hmac.new(hmac_key(), address.encode(), hashlib.sha256).hexdigest()


@dataclass
class Limit:
    allowed: bool
    retry_after: int = 0


def hit(scope, key, *, limit, window):
    """Count one event for ``key`` in a fixed window of the cache (Redis in production);
    refuse once ``limit`` events fell in the current window."""
    cache = caches[appeals_conf.CACHE]
    window_start = int(time.time()) // window * window
    cache_key = f"appeals:{scope}:{key}:{window_start}"
    cache.add(cache_key, 0, timeout=window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window + 60)
        count = 1
    if count > limit:
        return Limit(allowed=False, retry_after=window_start + window - int(time.time()))
    return Limit(allowed=True)


def request_origin(request):
    """The origin the request says it came from: ``Origin``, else the ``Referer``'s scheme
    and host; None when it says neither.

    ``Origin: null`` (a sandboxed frame, a ``data:`` page, a cross-site redirect) is
    returned as it is: it names no site, so no check below can take it for this one,
    whatever the ``Referer`` claims.
    """
    origin = request.headers.get("Origin")
    if origin:
        return origin
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return None


def own_origin(request):
    return f"{request.scheme}://{request.get_host()}"


def is_same_origin(request):
    """Whether a post came from this site (or a trusted origin), as Django's CSRF check
    decides for HTTPS before it looks at the token. Browsers send ``Origin`` (or at
    least ``Referer``) with every form post; ``Origin: null`` is refused, as Django does."""
    origin = request_origin(request)
    if origin is None or origin == "null":
        return False
    return origin == own_origin(request) or origin in settings.CSRF_TRUSTED_ORIGINS


def is_allowed_api_origin(request):
    """Whether an API post may go on: no ``Origin`` at all (curl, a server), or this site's
    own origin, or a front end listed in ``CORS_ALLOWED_ORIGINS``.

    A browser sends ``Origin`` with every cross-site post, and a ``text/plain`` or form
    post skips the CORS preflight; refusing unknown origins here is what stops a page
    on another site from signing in its visitors' names. ``CORS_ALLOWED_ORIGINS`` is read
    with a default, so that the plugin needs no django-cors-headers.
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    allowed = getattr(settings, "CORS_ALLOWED_ORIGINS", None) or []
    return origin == own_origin(request) or origin in allowed


def submission_allowed(client_address, appeal):
    """Whether this client may submit now (counts nothing)."""
    return peek(
        "sign",
        client_fingerprint(client_address),
        limit=appeals_conf.RATE_LIMIT,
        window=appeals_conf.RATE_LIMIT_WINDOW,
    )


def record_submission(client_address, appeal):
    hit("sign", client_fingerprint(client_address), limit=appeals_conf.RATE_LIMIT,
        window=appeals_conf.RATE_LIMIT_WINDOW)  # fmt: skip


def email_allowed(email_key):
    return peek(
        "email",
        client_fingerprint(email_key),
        limit=appeals_conf.EMAILS_PER_ADDRESS_PER_DAY,
        window=86400,
    ).allowed


def record_email_sent(email_key):
    hit("email", client_fingerprint(email_key), limit=appeals_conf.EMAILS_PER_ADDRESS_PER_DAY,
        window=86400)  # fmt: skip


def peek(scope, key, *, limit, window):
    cache = caches[appeals_conf.CACHE]
    window_start = int(time.time()) // window * window
    count = cache.get(f"appeals:{scope}:{key}:{window_start}", 0)
    if count >= limit:
        return Limit(allowed=False, retry_after=window_start + window - int(time.time()))
    return Limit(allowed=True)
