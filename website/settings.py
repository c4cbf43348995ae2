"""Settings for the Appeals demo site.

With nothing in the environment this runs as a development site on SQLite.
Production reads SECRET_KEY, DEBUG, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL)
from the environment.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Without a SECRET_KEY in the environment this is a development machine.
DEBUG = env_bool("DEBUG", default="SECRET_KEY" not in os.environ)
SECRET_KEY = os.environ.get("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY in the environment when DEBUG is off.")
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "home",
    "appeals",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.api.v3",
    # Listed so that the API's docs page serves Swagger UI from our static files, not a CDN.
    "ninja",
    "corsheaders",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "website.middleware.ContentSecurityPolicyMiddleware",
    # Before anything reads the URL: a control character or broken UTF-8 in it is a 400.
    "website.middleware.RequestGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "website.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A case page kept for anonymous visitors is answered here, before any routing.
    "appeals.cache.CachedPageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A named test database, so that pytest --reuse-db keeps it between runs.
    DATABASES["default"]["TEST"] = {"NAME": BASE_DIR / ".test-db.sqlite3"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: one URL prefix per language, content translated
# through wagtail-localize.
LANGUAGE_CODE = "en"
CONTENT_LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("ar", "العربية"),
]
# Persian visitors get the whole interface in Persian; cases not translated into
# Persian are shown in their source language, marked as such. Add ("fa", "فارسی")
# to WAGTAIL_CONTENT_LANGUAGES to translate cases into Persian too.
LANGUAGES = [*CONTENT_LANGUAGES, ("fa", "فارسی")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = CONTENT_LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["website.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files are served by each web process through WhiteNoise: with DEBUG off under
# hashed, compressed names (`collectstatic` writes them, gzip and Brotli), cached for a
# year by browsers and any CDN in front, so that nothing else needs to serve them.
STATIC_URL = os.environ.get("STATIC_URL", "/static/")
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
# Uploaded images and documents live on the filesystem by default: on several machines,
# a shared volume, or object storage through STORAGES["default"] (README, "Production").
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if not DEBUG:
    # Static files answered before anything else runs: no session, no database. (In
    # development `runserver` serves them from the apps' folders.)
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
# The web process serves uploads itself only when told to: a single machine with
# DEBUG off (`make demo DEBUG=0`). Elsewhere the front server or object storage does.
SERVE_MEDIA = env_bool("SERVE_MEDIA")
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Caches hold rate limits and Wagtail's site root paths: Redis in production, so
# that every process shares them. A Redis outage must not take the site down, so
# the backend falls back to each process's memory while Redis fails (website/cache.py
# says why this rather than local memory for good), and short socket timeouts keep a
# Redis that does not answer from holding requests.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "website.cache.RedisCacheWithLocalFallback",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (signers' e-mails): run at once in development; in production
# (DEBUG off) queued in the database for `manage.py db_worker` unless TASKS_BACKEND
# says otherwise, so that no request waits on the mail server.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# A front cache (Varnish, nginx, a CDN accepting HTTP PURGE) in front of the site: case
# pages are purged there when published, every translation at its own address.
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "front": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
        }
    }
    # The plugin purges each translation's own address; Wagtail's rewrite of the language
    # prefix would keep the source's slug.
    WAGTAILFRONTENDCACHE_LANGUAGES = []

# Front ends on other origins (a headless site, a partner's page) may call the
# API: only the origins listed here, only under /api/, and never with cookies.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/v3/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_PREFLIGHT_MAX_AGE = 3600

# The plugin's settings (appeals/conf.py has them all, with their defaults).
# Behind a proxy that sets X-Forwarded-For, name the header and the proxy's
# addresses so rate limits see clients; the header is believed only on requests
# that come from one of TRUSTED_PROXIES (anyone else could have written it).
if os.environ.get("CLIENT_ADDRESS_HEADER"):
    APPEALS_CLIENT_ADDRESS_HEADER = os.environ["CLIENT_ADDRESS_HEADER"]
APPEALS_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
for _name in (
    "MIN_SECONDS_TO_SIGN",
    "SUBMISSIONS_PER_NETWORK",
    "SUBMISSION_WINDOW",
    "EMAILS_PER_ADDRESS_PER_DAY",
):
    if os.environ.get(f"APPEALS_{_name}"):
        globals()[f"APPEALS_{_name}"] = int(os.environ[f"APPEALS_{_name}"])

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "appeals@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
# A hanging mail server holds a task worker at most this long (seconds), never a request.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
if os.environ.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]

# Wagtail
WAGTAIL_SITE_NAME = "Appeals"
# Links in moderation e-mails; by default the demo's address, on the port `make demo` serves.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or (
    f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}"
)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
# The admin must work with no internet, and call no other origin.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
# Avatars come from the user's profile upload, never from Gravatar (a third party).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_COMMENTS_ENABLED = True

# wagtail-localize
# A new translation of a live page stays a draft until its translator publishes
# it: a French URL never shows English text as if it were French.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
# Machine translation is off unless the environment names a backend. A
# self-hosted LibreTranslate keeps sensitive case text on your own servers.
MACHINE_TRANSLATOR = os.environ.get("MACHINE_TRANSLATOR", "").strip().lower()
if MACHINE_TRANSLATOR == "libretranslate":
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {
            "LIBRETRANSLATE_URL": os.environ["LIBRETRANSLATE_URL"],
            "API_KEY": os.environ.get("LIBRETRANSLATE_API_KEY", ""),
        },
    }
elif MACHINE_TRANSLATOR == "deepl":
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": os.environ["DEEPL_AUTH_KEY"]},
    }
elif MACHINE_TRANSLATOR == "google":
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.google.GoogleCloudTranslator",
        "OPTIONS": {
            "CREDENTIALS_PATH": os.environ["GOOGLE_APPLICATION_CREDENTIALS"],
            "PROJECT_ID": os.environ["GOOGLE_CLOUD_PROJECT"],
        },
    }
elif MACHINE_TRANSLATOR:
    raise ImproperlyConfigured("MACHINE_TRANSLATOR must be one of: libretranslate, deepl, google.")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = (
        ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
    )
    if env_bool("BEHIND_TLS_PROXY"):
        # Served over HTTPS only: plain HTTP is redirected, and browsers are told
        # (HSTS) to ask for HTTPS for a year. A proxy that redirects itself may
        # turn Django's redirect off with SECURE_SSL_REDIRECT=0.
        SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
        SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
        SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
        SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
        if not SECURE_HSTS_PRELOAD:
            # Preloading binds the whole domain to HTTPS in browsers for months, and is
            # undone only slowly: the domain's owner decides it (SECURE_HSTS_PRELOAD=1),
            # so its absence is not a warning here.
            SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
