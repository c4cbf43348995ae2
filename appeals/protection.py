"""What protects the signature routes: who is asking, how often, and from which site.

Client addresses are never stored or logged in clear: rate limits key on an
HMAC of the client's network. The case page carries no CSRF token (it is the
same HTML for every visitor), so a form post is checked by its origin instead.

Who is asking: ``client_network`` is the client's address as a network (an
IPv6 client's /64, an IPv4 address alone), read from ``REMOTE_ADDR`` or, only
when ``REMOTE_ADDR`` is one of ``APPEALS_TRUSTED_PROXIES``, from the header the
proxy sets. One person holds a whole /64 and can write one address many ways;
a network is what they cannot multiply.

How often: a sliding window over the cache (Redis in production), so that no
burst at a window's edge gets twice the limit. Should the cache fail, limits
carry on in this process's memory, with one warning, and nothing answers 500:
a rate limit guards signing, it must never be what stops it.

How signing uses these::

    network = protection.client_network(request)
    limit = protection.submission_allowed(network, appeal)  # counts nothing
    if not limit.allowed: answer 429 with limit.retry_after
    ... validate, store ...
    protection.record_submission(network, appeal)  # only an accepted submission counts

    if protection.email_allowed(signature.email_key):
        ... send; once sent: protection.record_email_sent(signature.email_key)
"""

import functools
import hashlib
import hmac
import ipaddress
import logging
import math
import time
import weakref
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache

from appeals.conf import appeals_conf

logger = logging.getLogger(__name__)


def parse_address(text):
    """An address as ``ipaddress`` reads it, IPv4-mapped IPv6 as IPv4; None if it is none.

    Proxies write ``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]:443`` or ``::ffff:1.2.3.4``
    for one client: all must come to one key.
    """
    text = (text or "").strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@functools.lru_cache(maxsize=16)
def parse_networks(entries):
    """The trusted proxies' networks; an entry that is no address or network is left out
    (``appeals.checks`` reports it)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def trusted_proxies():
    entries = appeals_conf.TRUSTED_PROXIES or ()
    if isinstance(entries, str):
        entries = entries.split(",")
    return parse_networks(tuple(entries))


def is_trusted(address, proxies):
    return any(address.version == network.version and address in network for network in proxies)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or what a trusted proxy says it saw.

    A client can write any ``X-Forwarded-For`` it likes, and a client that reaches
    the app server directly can write the last entry too. So the header is read
    only when the request comes from a trusted proxy, and then from the right:
    each trusted proxy appends the address it saw, and the right-most entry that
    is not a trusted proxy is the first hop nobody of ours vouches for.
    """
    remote_text = request.META.get("REMOTE_ADDR", "")
    remote = parse_address(remote_text)
    header = appeals_conf.CLIENT_ADDRESS_HEADER
    proxies = trusted_proxies()
    if remote is None or not header or not is_trusted(remote, proxies):
        return remote if remote is not None else remote_text
    client = remote
    for entry in reversed(request.META.get(header, "").split(",")):
        client = parse_address(entry)
        if client is None:  # a proxy that writes nonsense is not believed
            return remote
        if not is_trusted(client, proxies):
            break
    return client


def client_network(request) -> str:
    """The key rate limits use for the client: its address's network, in one canonical text.

    An IPv6 client is its ``APPEALS_IPV6_PREFIX`` (a /64, what one subscriber is
    given), an IPv4 client its ``APPEALS_IPV4_PREFIX`` (the address itself).
    """
    address = client_ip(request)
    if not isinstance(address, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return address  # no address at all (a Unix socket): the text is the key
    prefix = appeals_conf.IPV4_PREFIX if address.version == 4 else appeals_conf.IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


# Callers that ask for "the client's address" get the network the limits key on.
client_address = client_network


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


# Where counts go while the configured cache fails: this process's memory. Limits
# then hold per process instead of site-wide, which is less, not nothing.
FALLBACK = LocMemCache("appeals-rate-limits-fallback", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
# After a failure the cache is left alone this long (seconds): a dead Redis is not
# dialled on every request, and the warning is logged once per pause, not per request.
RETRY_PAUSE = 30
# Each cache object (one per thread) and until when it is given up on.
outages = weakref.WeakKeyDictionary()


def on_limits_cache(operation):
    """``operation(cache)`` on the cache of ``APPEALS_CACHE``, or on the fallback if it fails.

    Any exception from the cache counts as its failure (Redis, Memcached and the
    database backends each raise their own); ``operation`` handles the cache's
    normal answers itself.
    """
    cache = caches[appeals_conf.CACHE]
    if outages.get(cache, 0) > time.monotonic():
        return operation(FALLBACK)
    try:
        return operation(cache)
    except Exception as error:  # whatever the backend raises, signing goes on
        outages[cache] = time.monotonic() + RETRY_PAUSE
        logger.warning(
            "The rate-limit cache %r failed (%s): limits are kept in this process's memory "
            "for %s seconds.",
            appeals_conf.CACHE,
            type(error).__name__,
            RETRY_PAUSE,
        )
        return operation(FALLBACK)


def window_keys(scope, key, window, now):
    """The keys of the current window and the one before, and how far into the current one."""
    index = int(now // window)
    base = f"appeals:{scope}:{window}:{key}"
    return f"{base}:{index - 1}", f"{base}:{index}", (now - index * window) / window


def estimate(previous, current, elapsed):
    """Events in the last ``window`` seconds, taking the previous window's evenly spread."""
    return previous * (1 - elapsed) + current


def seconds_until_allowed(previous, current, elapsed, *, limit, window):
    """How long until one more event fits under ``limit``: the estimate only falls with time."""
    room = limit - 1
    if room < 0:
        return window
    if current > room:  # only in the next window, once this one's share has faded enough
        fraction = (1 - elapsed) + (1 - room / current)
    else:  # previous > 0 here, else the estimate would already leave room
        fraction = 1 - (room - current) / previous - elapsed
    # A second to spare: at the exact moment, rounding may still refuse.
    return math.ceil(fraction * window) + 1


def read_counts(cache, keys):
    found = cache.get_many(keys)
    return [int(found.get(key) or 0) for key in keys]


def check(scope, key, *, limit, window, now=None) -> Limit:
    """Whether one more event for ``key`` fits ``limit`` per sliding ``window``; counts nothing."""
    now = time.time() if now is None else now
    previous_key, current_key, elapsed = window_keys(scope, key, window, now)
    previous, current = on_limits_cache(
        lambda cache: read_counts(cache, [previous_key, current_key])
    )
    if estimate(previous, current, elapsed) + 1 <= limit:
        return Limit(allowed=True)
    return Limit(
        allowed=False,
        retry_after=seconds_until_allowed(previous, current, elapsed, limit=limit, window=window),
    )


def increment(cache, key, delta, timeout):
    """Add ``delta`` to a counter, creating it: ``incr`` is atomic in Redis, so concurrent
    requests never lose a count."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key, delta)
    except ValueError:  # expired or evicted between add and incr
        cache.set(key, max(delta, 0), timeout=timeout)
        return max(delta, 0)


def record(scope, key, *, window, now=None):
    """Count one event for ``key`` now."""
    now = time.time() if now is None else now
    _, current_key, _ = window_keys(scope, key, window, now)
    # Kept through the next window, where it is the previous one.
    on_limits_cache(lambda cache: increment(cache, current_key, 1, 2 * window + 60))


def hit(scope, key, *, limit, window, now=None) -> Limit:
    """Check and count in one step: count, and take the count back if it went over.

    Each concurrent caller sees its own count (``incr`` is atomic), so no lock is
    waited on and no burst slips through together; a refused event counts nothing.
    """
    now = time.time() if now is None else now
    previous_key, current_key, elapsed = window_keys(scope, key, window, now)

    def count(cache):
        current = increment(cache, current_key, 1, 2 * window + 60)
        (previous,) = read_counts(cache, [previous_key])
        if estimate(previous, current, elapsed) <= limit:
            return Limit(allowed=True)
        increment(cache, current_key, -1, 2 * window + 60)
        return Limit(
            allowed=False,
            retry_after=seconds_until_allowed(
                previous, current - 1, elapsed, limit=limit, window=window
            ),
        )

    return on_limits_cache(count)


def submission_key(network, appeal):
    appeal_id = getattr(appeal, "pk", appeal)
    return f"{appeal_id}:{client_fingerprint(network)}"


def submission_allowed(network, appeal, *, now=None) -> Limit:
    """Whether ``network`` may submit one more signature to ``appeal``; counts nothing."""
    return check(
        "sign",
        submission_key(network, appeal),
        limit=appeals_conf.SUBMISSIONS_PER_NETWORK,
        window=appeals_conf.SUBMISSION_WINDOW,
        now=now,
    )


def record_submission(network, appeal, *, now=None):
    """Count one accepted submission from ``network`` to ``appeal``."""
    record(
        "sign",
        submission_key(network, appeal),
        window=appeals_conf.SUBMISSION_WINDOW,
        now=now,
    )


DAY = 86400


def email_allowed(email_key, *, now=None) -> bool:
    """Whether the address behind ``email_key`` may receive one more e-mail today."""
    return check(
        "email",
        client_fingerprint(email_key),
        limit=appeals_conf.EMAILS_PER_ADDRESS_PER_DAY,
        window=DAY,
        now=now,
    ).allowed


def record_email_sent(email_key, *, now=None):
    """Count one e-mail sent to the address behind ``email_key``: a failed send is not counted."""
    record("email", client_fingerprint(email_key), window=DAY, now=now)


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
