"""Who is asking, for rate limits: never stored or logged in clear."""

import hashlib
import hmac

from django.conf import settings

from appeals.conf import appeals_settings


def client_address(request):
    """REMOTE_ADDR, unless a trusted proxy's header is named in the settings.

    A client can write any ``X-Forwarded-For`` it likes; only a header that
    the site's own proxy sets is believed, and then its last entry, the one
    that proxy appended.
    """
    header = appeals_settings.CLIENT_ADDRESS_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def hmac_key():
    key = appeals_settings.HMAC_KEY or f"appeals-client-address:{settings.SECRET_KEY}"
    return key.encode()


def client_fingerprint(address):
    """A keyed HMAC of the address: microseconds to compute, useless without the key."""
    return hmac.new(hmac_key(), address.encode(), hashlib.sha256).hexdigest()
