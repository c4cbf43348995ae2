"""Refuses forged cross-site posts without a CSRF cookie.

The case page must be the same HTML for every visitor, so it carries no
per-visitor CSRF token. Browsers send ``Origin`` (or at least ``Referer``)
with every form post; a post whose origin is not this site is refused, as
Django's own CSRF check does for HTTPS before it looks at the token.
"""

from urllib.parse import urlsplit

from django.conf import settings


def request_origin(request):
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return None


def is_same_origin(request):
    origin = request_origin(request)
    if origin is None:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS
