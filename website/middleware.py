from django.middleware.locale import LocaleMiddleware

# Paths that never carry a language prefix: an unknown URL beneath them is a
# 404, not a redirect to /en/... where it would be a page lookup.
UNPREFIXED_PATHS = ("/admin/", "/api/", "/documents/", "/static/", "/media/")


class SiteLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED_PATHS):
            return response
        return super().process_response(request, response)
