from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v3.urls import api
from wagtail.documents import urls as wagtaildocs_urls

from appeals.api import router as appeals_router

# Routers join the API before its URLs are first read.
api.add_router("/appeals/", appeals_router)
# UTF-8 JSON: Arabic and Cyrillic as themselves, two bytes a letter, not six-byte \u escapes.
api.renderer.json_dumps_params = {"ensure_ascii": False}
# Swagger UI would otherwise show a badge fetched from validator.swagger.io.
api.docs.settings["validatorUrl"] = None

# Kept outside i18n_patterns: the admin, the API and documents have no
# language prefix, and their 404s stay 404s instead of redirecting.
urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v3/", api.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_MEDIA:
    # One machine with DEBUG off (the demo): uploads from MEDIA_ROOT, by this process.
    from django.urls import re_path
    from django.views.static import serve

    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]

urlpatterns += i18n_patterns(
    path("appeals/", include("appeals.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
