"""The demo site's settings for the browser tests, with no page kept on the server.

Some tests change counts and appeal states from a shell, in another process, and look at
the page at once: a page cache in the server's own memory cannot hear of that, and would
show them the page as it was a minute before, as it would show any visitor. Pages still
carry their Cache-Control headers; ``test_cached_page`` plays a front cache that kept one.
"""

from website.settings import *  # noqa: F403

APPEALS_PAGE_CACHE = None

# Served by `runserver --insecure` from the apps' folders: no `collectstatic`, so no
# manifest of hashed names to read.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
