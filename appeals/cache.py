"""What is cached, and purging every translation on publish.

A case page is the same HTML for every anonymous visitor of one page in one language:
its form is checked by origin, not by a CSRF token, so the only value drawn per render
is the form's signed render time, which any visitor may send back (and which the live
count gives the page's script afresh). So a case page is kept in Django's cache
(``APPEALS_PAGE_CACHE``, Redis in production) and sent with ``Cache-Control: public,
s-maxage`` for a CDN or front cache: at most ``APPEALS_PAGE_CACHE_SECONDS`` old, end to
end, and never kept past the closing time of an appeal it takes signatures for.
Browsers ask again each time (``APPEALS_PAGE_BROWSER_SECONDS``).

Only a shared request is answered from the cache or stored in it: a GET or HEAD with no
cookie, no credentials and no query but tracking parameters, and not a preview. Any
other request, and any answer that is not a plain 200 setting no cookie, is marked
``private, no-store``: an editor's visit, a form sent back with its errors
(``views.page_with_form``, which never comes here and answers under ``never_cache``),
the thank-you page.

Each case (its ``translation_key``, which its translations and its aliases in other
languages share) has a generation in the cache, kept with every page stored for it.
Publishing or unpublishing any of its pages draws a new one, before and after the
transaction commits, so that every language's copy is stale at once whatever their
number. Once committed, a front cache configured for ``wagtail.contrib.frontend_cache``
is told to purge every translation's own address and the case lists showing them.
Where the app is installed, its own handlers purge the published page's address, so
that one is left to them. Set ``WAGTAILFRONTENDCACHE_LANGUAGES = []``: else Wagtail
rewrites every address's language prefix into each language, keeping its slug, and
purges addresses that do not exist (a translation's slug is its own).

A cache that fails is stepped around: the page is rendered as though none were kept.
"""

import hashlib
import logging
import secrets
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from appeals.conf import appeals_conf

logger = logging.getLogger(__name__)

SHARED_METHODS = {"GET", "HEAD"}
# Parameters that shared links carry and that no page reads: the page is the same without.
TRACKING_PARAMETERS = {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref"}
TRACKING_PREFIXES = ("utm_",)
# Set afresh on every answer from the cache, for the time it has left.
FRESHNESS_HEADERS = {"cache-control", "expires"}


def page_cache():
    """The cache case pages are kept in, or None."""
    alias = appeals_conf.PAGE_CACHE
    if alias is None:
        return None
    try:
        return caches[alias]
    except InvalidCacheBackendError:
        logger.error("APPEALS_PAGE_CACHE names no cache in CACHES: %r.", alias)
        return None


def is_shared_request(request) -> bool:
    """Whether any anonymous visitor could have sent ``request``, and would get its answer."""
    return (
        request.method in SHARED_METHODS
        and not request.COOKIES
        and "authorization" not in request.headers
        and not getattr(request, "is_preview", False)
        and not getattr(request, "is_dummy", False)
        and not is_signed_in(request)
        and all(is_tracking_parameter(name) for name in request.GET)
    )


def is_signed_in(request) -> bool:
    """Whether ``request`` is known to be a signed-in user's.

    The user Django's middleware gives a request is read from the session, and there is
    none without a cookie; reading it anyway would mark the session read, and every answer
    would then vary on cookies. A user another middleware set outright is asked.
    """
    user = getattr(request, "user", None)
    if user is None or isinstance(user, SimpleLazyObject):
        return False
    return user.is_authenticated


def is_tracking_parameter(name) -> bool:
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def generation_key(translation_key):
    return f"appeals:page-generation:{translation_key}"


def address_key(request):
    """The key of the page kept for one address in one language: the address's scheme and
    host decide the links the page holds to its translations. It needs no page, so that
    ``CachedPageMiddleware`` finds a kept page before Wagtail routes the request."""
    where = "\n".join([request.scheme, request.get_host(), request.path, get_language() or ""])
    return f"appeals:page:{hashlib.sha256(where.encode()).hexdigest()}"


def serve_cached(page, request, render):
    """``page``'s answer to ``request``: the cached one when it is shared and still fresh;
    else ``render()``'s, marked public or private, and kept when it may be.

    ``render()`` returns the response and a function giving the soonest time its page
    changes by itself (an appeal's closing time), or None.
    """
    if not is_shared_request(request):
        response, _closes_at = render()
        add_never_cache_headers(response)
        return response
    cache = page_cache()
    place = CachePlace.find(cache, page, request) if cache is not None else None
    if place is not None and place.response is not None:
        return place.response
    response, closes_at = render()

    def finish(rendered):
        mark_and_keep(rendered, request, place, closes_at)

    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(finish)
    else:
        finish(response)
    return response


def mark_and_keep(response, request, place, closes_at):
    """Mark a page just rendered for a shared request public for as long as it holds, and
    keep it; or private, if rendering made it personal after all."""
    if not is_shareable(response, request):
        add_never_cache_headers(response)
        return
    seconds = lifetime(closes_at())
    mark_public(response, seconds)
    if place is not None and seconds > 0 and not response.has_header("Vary"):
        place.keep(response, seconds)


def is_shareable(response, request) -> bool:
    """A plain 200 that set no cookie, and whose rendering read no session nor asked for a
    CSRF cookie; not already marked private."""
    session = getattr(request, "session", None)
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.accessed)
        and "private" not in control
        and "no-store" not in control
    )


def lifetime(closes_at):
    """Seconds a page may be kept: ``APPEALS_PAGE_CACHE_SECONDS``, and not past ``closes_at``."""
    seconds = int(appeals_conf.PAGE_CACHE_SECONDS)
    if closes_at is not None:
        seconds = min(seconds, int(closes_at.timestamp() - time.time()))
    return max(seconds, 0)


class CachePlace:
    """Where one page's answer to one shared request is kept, under its case's generation."""

    def __init__(self, cache, key, case, generation, response=None):
        self.cache = cache
        self.key = key
        self.case = str(case)
        self.generation = generation
        self.response = response

    @classmethod
    def find(cls, cache, page, request):
        """The place, with the kept answer when there is a fresh one; None if the cache
        fails, or if the case's generation was being drawn by another request."""
        key, current = address_key(request), generation_key(page.translation_key)
        try:
            found = cache.get_many([current, key])
            generation = found.get(current)
            if generation is None:
                generation = secrets.token_hex(8)
                if not cache.add(current, generation, timeout=None):
                    return None
        except Exception:
            logger.warning(
                "The page cache failed: %s is served uncached.", request.path, exc_info=True
            )
            return None
        response = response_from(found.get(key), generation)
        return cls(cache, key, page.translation_key, generation, response)

    def keep(self, response, seconds):
        entry = {
            "case": self.case,
            "generation": self.generation,
            "expires_at": time.time() + seconds,
            "content": response.content,
            "headers": [
                (name, value)
                for name, value in response.items()
                if name.lower() not in FRESHNESS_HEADERS
            ],
        }
        try:
            self.cache.set(self.key, entry, timeout=seconds)
        except Exception:
            logger.warning("The page cache failed: a page was not kept.", exc_info=True)


class CachedPageMiddleware:
    """Answer a shared request for a kept case page before Wagtail routes it: no query.

    Optional: without it each kept page is still served from the cache, by
    ``CasePage.serve``, after Wagtail's routing (a few queries). Put it after Django's
    middleware (after ``LocaleMiddleware`` at least: the key holds the language) and
    before Wagtail's ``RedirectMiddleware``, so that the answer gets the headers the
    others add. It reads no session; a request with any cookie goes on to the site.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return kept_response(request) or self.get_response(request)


def kept_response(request):
    """The kept page for ``request`` while its case's generation holds, else None."""
    if request.method not in SHARED_METHODS or not is_shared_request(request):
        return None
    cache = page_cache()
    if cache is None:
        return None
    try:
        entry = cache.get(address_key(request))
        if not isinstance(entry, dict) or "case" not in entry:
            return None
        generation = cache.get(generation_key(entry["case"]))
    except Exception:
        logger.warning("The page cache failed: %s is served uncached.", request.path, exc_info=True)
        return None
    return response_from(entry, generation) if generation is not None else None


def response_from(entry, generation):
    """The answer kept in ``entry``, for the time it has left; None unless it is of
    ``generation`` and still fresh."""
    if not isinstance(entry, dict) or entry.get("generation") != generation:
        return None
    seconds = int(entry["expires_at"] - time.time())
    if seconds <= 0:
        return None
    response = HttpResponse(entry["content"], headers=dict(entry["headers"]))
    mark_public(response, seconds)
    return response


def mark_public(response, seconds):
    """Anyone's for ``seconds`` in a front cache; in a browser, for ``APPEALS_PAGE_BROWSER_SECONDS``
    at most."""
    browser_seconds = min(seconds, int(appeals_conf.PAGE_BROWSER_SECONDS))
    patch_cache_control(response, public=True, max_age=browser_seconds, s_maxage=seconds)


def case_changed(page, *, alias=False):
    """A page of a case was published or unpublished: every language's copy is stale.

    ``alias`` is true when Wagtail publishes an alias after its source: the source's own
    purge named every address of the case already.
    """
    forget_case(page.translation_key)
    transaction.on_commit(lambda: forget_case(page.translation_key))
    if not alias and front_cache_is_configured():
        transaction.on_commit(lambda: purge_front_cache(page))


def forget_case(translation_key):
    """Draw a new generation for a case: the pages kept under the last one are never served."""
    cache = page_cache()
    if cache is None:
        return
    try:
        cache.set(generation_key(translation_key), secrets.token_hex(8), timeout=None)
    except Exception:
        logger.warning("The page cache failed: a case's pages may be served stale.", exc_info=True)


def front_cache_is_configured() -> bool:
    """Whether the site names a front cache for ``wagtail.contrib.frontend_cache`` to purge
    (its backends work whether or not the app is installed)."""
    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


def wagtail_purges_published_pages() -> bool:
    """Whether Wagtail's own handlers purge each page published or unpublished: the app
    connects them when it is installed."""
    return apps.is_installed("wagtail.contrib.frontend_cache")


def purge_front_cache(page):
    """Purge, in one batch, the own address of each live translation and alias of
    ``page``'s case, and of the case list above each; ``page``'s own is left to
    Wagtail's handlers where they purge it."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    for shown in [page, *page.get_translations().live()]:
        batch.add_page(shown)
        if parent := shown.get_parent():
            batch.add_page(parent)
    if wagtail_purges_published_pages():
        own = PurgeBatch()
        own.add_page(page)
        batch.urls -= own.urls
    batch.purge()
