import re
import unicodedata
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext

# Paths that never carry a language prefix: an unknown URL beneath them is a
# 404, not a redirect to /en/... where it would be a page lookup.
UNPREFIXED_PATHS = ("/admin/", "/api/", "/documents/", "/static/", "/media/")
LANGUAGE_LIKE_PREFIX = re.compile(r"^/([a-z]{2,3})(?:[-_][a-z0-9]+)?/", re.IGNORECASE)


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, minus redirects that would hide a 404.

    An unknown path under /admin/ or /api/, or under a prefix that looks like a
    language we do not have (/xx/...), answers 404 at once, in the visitor's
    best language, instead of a redirect to /en/xx/...
    """

    def process_response(self, request, response):
        path = request.path_info
        if path.startswith(UNPREFIXED_PATHS) or self.has_unknown_language_prefix(path):
            return response
        return super().process_response(request, response)

    @staticmethod
    def has_unknown_language_prefix(path):
        match = LANGUAGE_LIKE_PREFIX.match(path)
        if not match:
            return False
        return match.group(1).lower() not in {code for code, _name in settings.LANGUAGES}


# Django turns bytes of the path that are not UTF-8 back into %XX escapes
# (repercent_broken_unicode); escapes of high bytes left in a decoded path are those.
BROKEN_SEQUENCE = re.compile(r"%[89A-F][0-9A-F]", re.IGNORECASE)


def is_clean(text):
    """No control character (NUL, ESC, a line break, DEL, C1) and no lone surrogate."""
    return not any(unicodedata.category(char) in {"Cc", "Cs"} for char in text)


def is_clean_path(path):
    return is_clean(path) and not BROKEN_SEQUENCE.search(path)


def is_clean_query(query):
    """The query string as sent (still escaped): UTF-8 once unescaped, and clean."""
    try:
        raw = query.encode("iso-8859-1")  # WSGI hands bytes over as ISO-8859-1 (PEP 3333)
    except UnicodeEncodeError:
        raw = query.encode()
    try:
        return is_clean(unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8"))
    except UnicodeDecodeError:
        return False


def bad_url_message():
    # Translators: The web address (URL) the visitor asked for.
    return gettext("This address holds characters that no link contains.")


class RequestGuardMiddleware:
    """Answer 400 to a URL whose path or query holds a control character or broken UTF-8.

    No link or form of ours makes one, and code behind us (Wagtail's pages API,
    the page router, the database) fails on them in its own ways: some with a 500.
    The answer is a short page in the visitor's best language, from the language
    prefix or Accept-Language, as the locale middleware, which has not run yet, would pick.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_clean_path(request.path_info) and is_clean_query(
            request.META.get("QUERY_STRING", "")
        ):
            return self.get_response(request)
        with translation.override(translation.get_language_from_request(request, check_path=True)):
            if request.path_info.startswith("/api/"):
                # The API's clients read JSON, as for its other 400s.
                return JsonResponse({"message": bad_url_message()}, status=400)
            return render(request, "400.html", status=400)


# Only this origin; no inline script, no plugins, no framing, forms post home.
# Images may also be data: URLs: base.html's `<link rel="icon" href="data:,">`
# keeps browsers from asking for /favicon.ico, and an image cannot run script.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Wagtail's admin and the API's Swagger UI page use inline scripts and style
# attributes, so this policy would break them. They are for staff and developers,
# load nothing from other origins (WAGTAIL_ENABLE_UPDATE_CHECK is off, Swagger UI
# is served from our static files), and X-Frame-Options: DENY still keeps them out
# of frames.
CSP_EXEMPT_PATHS = ("/admin/", "/api/v3/docs")


class ContentSecurityPolicyMiddleware:
    """Add the site's Content-Security-Policy to every answer but the admin's and the docs'.

    Django 6 brings its own; on 5.2 this is the whole of it. A view that sets its
    own policy keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(CSP_EXEMPT_PATHS):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
