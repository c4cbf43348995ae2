import re

from django.conf import settings
from django.middleware.locale import LocaleMiddleware

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
