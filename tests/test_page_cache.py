"""Case pages are kept in the cache for anonymous visitors, and nothing personal ever is.

A page comes from the cache when its answer made no query of the appeal: a fresh render
always reads the appeal's count. Real caches throughout: Django's local memory by
default, a real Redis (database 7) and one at a port nothing listens on.
"""

import contextlib
import http.server
import re
import threading
import time
import uuid
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
import redis
from django.apps import AppConfig, apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import Page

from appeals import cache as page_cache
from appeals import forms
from appeals.cache import serve_cached
from appeals.forms import seconds_since_render
from appeals.models import Appeal, CasePage, Signature
from appeals.templatetags.appeals_tags import localized_number
from tests.builders import (
    SAME_ORIGIN,
    make_signature,
    make_user,
    post_signature,
    set_appeal_option,
    sign_data,
)

pytestmark = pytest.mark.django_db

LIVE_REDIS = "redis://127.0.0.1:6379/7"
DEAD_REDIS = "redis://127.0.0.1:1/0"
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
# The tables a fresh render of a case page reads and a page from the cache never does.
RENDERING_TABLES = ("appeals_appeal", "appeals_signature", "appeals_appealssettings")
# What Wagtail reads to route a request to a page, before the page serves it.
ROUTING_TABLES = {
    "wagtailcore_site",
    "wagtailcore_locale",
    "wagtailcore_page",
    "wagtailcore_pageviewrestriction",
    "appeals_caseindexpage",
    "appeals_casepage",
}


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    response.queries = [query["sql"] for query in queries]
    response.html = response.content.decode()
    response.from_cache = not any(
        table in sql for sql in response.queries for table in RENDERING_TABLES
    )
    return response


def kept(client, url):
    """``url`` asked twice: the second answer, from the cache."""
    client.get(url)
    response = get(client, url)
    assert response.status_code == 200 and response.from_cache
    return response


def cache_control(response):
    return {
        part.strip().split("=")[0]: (part.split("=")[1] if "=" in part else True)
        for part in response["Cache-Control"].split(",")
    }


def is_public(response):
    control = cache_control(response)
    return "public" in control and "private" not in control and "no-store" not in control


def is_private(response):
    control = cache_control(response)
    return "private" in control and "no-store" in control and "public" not in control


@pytest.fixture
def url(tree):
    return tree.case.url


@pytest.fixture
def french_url(tree):
    return tree.french_case.url


# Served from the cache


def test_a_second_visit_is_answered_from_the_cache_with_no_query(client, url):
    first = get(client, url)
    second = get(client, url)
    assert not first.from_cache and second.from_cache
    assert second.content == first.content
    # ``CachedPageMiddleware`` answers before Wagtail routes the request.
    assert second.queries == []


WITHOUT_MIDDLEWARE = [
    name for name in settings.MIDDLEWARE if name != "appeals.cache.CachedPageMiddleware"
]


@override_settings(MIDDLEWARE=WITHOUT_MIDDLEWARE)
def test_without_the_middleware_the_page_serves_itself_from_the_cache(client, url):
    first = get(client, url)
    second = get(client, url)
    assert not first.from_cache and second.from_cache
    assert second.content == first.content
    # What a page from the cache then costs: Wagtail's routing to it, before ``serve``.
    assert 0 < len(second.queries) < len(first.queries)
    tables = {table for sql in second.queries for table in re.findall(r'FROM "(\w+)"', sql)}
    assert tables <= ROUTING_TABLES, tables


def test_the_middleware_never_answers_a_request_with_a_cookie_or_a_query(client, url):
    client.get(url)
    assert get(client, url).queries == []
    assert get(client, url, HTTP_COOKIE="sessionid=x").queries != []
    assert get(client, url + "?status=open").queries != []
    with CaptureQueriesContext(connection) as queries:
        client.post(url)
    assert len(queries) > 0


def test_a_case_moved_without_publishing_is_not_answered_at_its_old_address(client, tree, url):
    from appeals.models import CaseIndexPage

    client.get(url)
    assert get(client, url).from_cache
    archive = tree.index.get_parent().add_child(
        instance=CaseIndexPage(title="Archive", slug="archive")
    )
    CasePage.objects.get(pk=tree.case.pk).move(archive, pos="last-child")
    # Wagtail redirects the old address to the new one.
    assert client.get(url)["Location"].endswith("/en/archive/lena-orlova/")


def test_a_page_moved_away_is_not_answered_at_its_old_address(client, tree, url):
    client.get(url)
    case = CasePage.objects.get(pk=tree.case.pk)
    case.slug = "moved-elsewhere"
    case.save_revision().publish()
    response = client.get(url)
    assert response.status_code in (301, 302, 404)


def test_a_page_from_the_cache_is_the_page_as_it_was_rendered(client, tree, url):
    client.get(url)
    Page.objects.filter(pk=tree.case.pk).update(title="Renamed behind the cache")
    assert "Renamed behind the cache" not in client.get(url).content.decode()


def test_each_language_is_kept_apart(client, url, french_url):
    english, french = kept(client, url), kept(client, french_url)
    assert english["Content-Language"] == "en" and french["Content-Language"] == "fr"
    assert 'lang="fr"' in french.html and "Libérez Lena Orlova" in french.html
    assert "Libérez Lena Orlova" not in english.html.split("<main")[1]


def test_a_page_from_the_cache_keeps_the_headers_that_matter(client, url):
    fresh = get(client, url)
    cached = get(client, url)
    assert cached.from_cache
    for name in ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Frame-Options"):
        assert cached[name] == fresh[name]
    assert "Vary" not in cached and not cached.cookies


def test_case_pages_tell_front_caches_how_long_they_may_keep_them(client, url):
    fresh, cached = get(client, url), get(client, url)
    for response in (fresh, cached):
        assert is_public(response)
        assert 0 < int(cache_control(response)["s-maxage"]) <= 60
        # Browsers ask again each time: a visitor who has just signed sees what others see.
        assert cache_control(response)["max-age"] == "0"
    assert int(cache_control(cached)["s-maxage"]) <= int(cache_control(fresh)["s-maxage"])


@override_settings(APPEALS_PAGE_CACHE_SECONDS=20, APPEALS_PAGE_BROWSER_SECONDS=5)
def test_how_long_pages_are_kept_is_a_setting(client, url):
    control = cache_control(client.get(url))
    assert control["s-maxage"] == "20" and control["max-age"] == "5"


def test_a_head_request_is_answered_from_the_cache(client, url):
    fresh = get(client, url)
    head = client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == fresh["Content-Type"] and is_public(head)
    with CaptureQueriesContext(connection) as queries:
        client.head(url)
    assert not any("appeals_appeal" in query["sql"] for query in queries)


def test_tracking_parameters_of_a_shared_link_are_served_the_same_cached_page(client, url):
    fresh = get(client, url)
    shared = get(client, f"{url}?utm_source=social&utm_medium=post&fbclid=abc")
    assert shared.from_cache and shared.content == fresh.content and is_public(shared)


def test_a_query_the_cache_does_not_know_is_rendered_afresh_and_kept_private(client, url):
    client.get(url)
    response = get(client, f"{url}?anything=1")
    assert response.status_code == 200 and not response.from_cache
    assert is_private(response)


def test_the_page_makes_as_many_queries_from_the_cache_whatever_its_signatures(client, appeal, url):
    client.get(url)
    before = len(get(client, url).queries)
    for number in range(30):
        make_signature(appeal, name=f"S {number}", email=f"s{number}@example.org")
    assert len(get(client, url).queries) == before


@override_settings(APPEALS_PAGE_CACHE=None)
def test_with_no_page_cache_every_page_is_rendered_and_still_public(client, url):
    client.get(url)
    response = get(client, url)
    assert not response.from_cache and is_public(response)


@override_settings(APPEALS_PAGE_CACHE="no-such-cache")
def test_a_page_cache_setting_naming_no_cache_serves_pages_uncached(client, url):
    assert client.get(url).status_code == 200
    assert not get(client, url).from_cache


# Invalidation


def test_publishing_the_source_renders_every_language_afresh(client, tree, url, french_url):
    kept(client, url), kept(client, french_url)
    source = CasePage.objects.get(pk=tree.case.pk)
    source.title = "Free Lena Orlova now"
    source.save_revision().publish()
    english, french = get(client, url), get(client, french_url)
    assert not english.from_cache and not french.from_cache
    assert "Free Lena Orlova now" in english.html


def test_publishing_a_translation_renders_every_language_afresh(client, tree, url, french_url):
    # The English page links to the French one, by its own slug.
    kept(client, url), kept(client, french_url)
    french = CasePage.objects.get(pk=tree.french_case.pk)
    french.slug = "liberez-lena-orlova"
    french.save_revision().publish()
    english = get(client, url)
    assert not english.from_cache
    assert "/fr/cases/liberez-lena-orlova/" in english.html
    assert get(client, "/fr/cases/liberez-lena-orlova/").status_code == 200


def test_publishing_an_alias_renders_it_afresh(client, tree):
    alias = tree.case.create_alias(parent=tree.index, update_slug="lena-orlova-too")
    assert alias.translation_key != tree.case.translation_key  # its own case key
    alias_url = alias.specific.url
    kept(client, alias_url)
    source = CasePage.objects.get(pk=tree.case.pk)
    source.title = "Free Lena Orlova today"
    source.save_revision().publish()  # Wagtail then publishes the alias
    response = get(client, alias_url)
    assert not response.from_cache and "Free Lena Orlova today" in response.html


def test_unpublishing_a_translation_renders_every_language_afresh(client, tree, url):
    assert "/fr/cases/lena-orlova/" in kept(client, url).html  # the link to the French page
    CasePage.objects.get(pk=tree.french_case.pk).unpublish()
    english = get(client, url)
    assert not english.from_cache
    assert 'hreflang="fr"' not in english.html


def test_closing_the_appeal_on_the_source_closes_it_in_every_cached_language(
    client, tree, url, french_url
):
    for page_url in (url, french_url):
        assert "signature-form" in kept(client, page_url).html
    set_appeal_option(tree.case, closed=True)
    for page_url in (url, french_url):
        html = client.get(page_url).content.decode()
        assert "appeal-closed" in html and "signature-form" not in html


def test_a_page_is_never_kept_past_its_appeals_closing_time(client, tree, url, monkeypatch):
    set_appeal_option(tree.case, closes_at=timezone.now() + timedelta(seconds=30))
    fresh = get(client, url)
    assert "signature-form" in fresh.html
    assert 0 < int(cache_control(fresh)["s-maxage"]) <= 30
    assert get(client, url).from_cache
    later = time.time() + 31
    monkeypatch.setattr(page_cache, "time", SimpleNamespace(time=lambda: later))
    assert not get(client, url).from_cache


def test_a_publish_in_another_transaction_is_heard_when_it_commits(
    client, tree, url, django_capture_on_commit_callbacks
):
    # A request rendering the old page while the publish is not yet committed keeps it under
    # the generation drawn before; the one drawn at commit leaves it behind.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page_cache.case_changed(tree.case)
    client.get(url)
    assert get(client, url).from_cache
    for callback in callbacks:
        callback()
    assert not get(client, url).from_cache


# Nothing personal


def test_a_signed_in_editor_is_neither_served_from_the_cache_nor_kept(url):
    editor, visitor = Client(), Client()
    editor.force_login(make_user("editor", superuser=True))
    visitor.get(url)
    response = get(editor, url)
    assert not response.from_cache and is_private(response)
    page_cache.page_cache().clear()
    editor.get(url)
    assert not get(visitor, url).from_cache


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=someone"},
        {"HTTP_COOKIE": "csrftoken=abc"},
        {"HTTP_AUTHORIZATION": "Basic ZWRpdG9yOnB3"},
    ],
    ids=["session-cookie", "any-cookie", "authorization"],
)
def test_a_request_with_credentials_is_neither_served_nor_kept(url, extra):
    client = Client()
    client.get(url)
    response = get(client, url, **extra)
    assert not response.from_cache and is_private(response)
    page_cache.page_cache().clear()
    client.get(url, **extra)
    assert not get(client, url).from_cache


def test_a_page_rendered_for_a_preview_is_not_kept(tree, url):
    request = RequestFactory().get(url)
    request.is_preview = True
    page = CasePage.objects.get(pk=tree.case.pk)
    page.title = "A draft nobody may see"
    response = page.serve(request)
    response.render()
    assert is_private(response)
    visitor = get(Client(), url)
    assert not visitor.from_cache and "A draft nobody may see" not in visitor.html


def test_an_editors_preview_never_reaches_visitors(client, tree, url):
    client.get(url)
    page = CasePage.objects.get(pk=tree.case.pk)
    page.title = "A draft nobody may see"
    preview = page.make_preview_request()
    assert "A draft nobody may see" in preview.content.decode()
    assert "private" in preview["Cache-Control"]
    assert "A draft nobody may see" not in client.get(url).content.decode()


def test_a_form_sent_back_with_errors_is_neither_kept_nor_public(client, appeal, url):
    client.get(url)
    response = post_signature(client, appeal, sign_data(name=""))
    assert response.status_code == 400 and "has-error" in response.content.decode()
    assert is_private(response)
    page = get(Client(), url)
    assert page.from_cache and "has-error" not in page.html


def test_the_thank_you_page_is_private(client, appeal):
    response = client.get(f"/en/appeals/{appeal.public_id}/thanks/")
    assert response.status_code == 200 and is_private(response)


def rendered(response):
    return lambda: (response, lambda: None)


def test_an_answer_that_sets_a_cookie_is_neither_kept_nor_public(tree, url):
    personal = HttpResponse("personal")
    personal.set_cookie("token", "secret")
    served = serve_cached(tree.case, RequestFactory().get(url), rendered(personal))
    assert is_private(served)
    next_one = serve_cached(tree.case, RequestFactory().get(url), rendered(HttpResponse("next")))
    assert next_one.content == b"next"


def test_an_answer_that_read_the_session_is_neither_kept_nor_public(tree, url):
    from django.contrib.sessions.backends.cache import SessionStore

    request = RequestFactory().get(url)
    request.session = SessionStore()

    def render():
        request.session.get("anything")
        return HttpResponse("read the session"), lambda: None

    assert is_private(serve_cached(tree.case, request, render))
    next_one = serve_cached(tree.case, RequestFactory().get(url), rendered(HttpResponse("next")))
    assert next_one.content == b"next"


@pytest.mark.parametrize("status", [201, 301, 404, 500])
def test_an_answer_other_than_a_200_is_neither_kept_nor_public(tree, url, status):
    served = serve_cached(
        tree.case, RequestFactory().get(url), rendered(HttpResponse(status=status))
    )
    assert is_private(served)
    next_one = serve_cached(tree.case, RequestFactory().get(url), rendered(HttpResponse("next")))
    assert next_one.content == b"next"


# Signing from a page served from the cache


class FormReader(HTMLParser):
    """The signature form's address and hidden values, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.action, self.values, self.inside = None, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-appeal-form" in attrs:
            self.action, self.inside = attrs["action"], True
        elif tag == "input" and self.inside and attrs.get("type") == "hidden":
            self.values[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def read_form(html):
    reader = FormReader()
    reader.feed(html)
    return reader.action, reader.values


@pytest.mark.parametrize("served", ["from the cache", "fresh"])
def test_a_visitor_served_from_the_cache_signs_as_one_served_fresh(
    client, appeal, url, monkeypatch, served
):
    # The page was rendered a minute ago, as a page kept in the cache may have been.
    render_time = forms.signed_render_time
    monkeypatch.setattr(forms, "signed_render_time", lambda now=None: render_time(time.time() - 60))
    if served == "fresh":
        monkeypatch.setattr(settings, "APPEALS_PAGE_CACHE", None, raising=False)
    client.get(url)
    page = get(client, url)
    assert page.from_cache == (served == "from the cache")
    monkeypatch.setattr(forms, "signed_render_time", render_time)

    action, hidden = read_form(page.html)
    assert set(hidden) == {"rendered_at"}
    data = {**hidden, "name": "Marie Curie", "email": "cached@example.org", "country": "FR"}
    data["website"] = ""  # the field only robots fill in
    response = client.post(action, {**data, "consent": "on"}, headers=SAME_ORIGIN)
    assert response.status_code == 302 and response.url.endswith("/thanks/")
    assert Signature.objects.filter(appeal=appeal, email="cached@example.org").exists()


def test_a_kept_page_holds_nothing_of_its_visitor_but_the_render_time(url, settings):
    settings.APPEALS_PAGE_CACHE = None  # two fresh renders, for two visitors
    first = Client(headers={"accept-language": "ru", "user-agent": "One"}).get(
        url, REMOTE_ADDR="192.0.2.1"
    )
    second = Client(headers={"user-agent": "Two"}).get(url, REMOTE_ADDR="198.51.100.7")

    def without_render_time(response):
        html = response.content.decode()
        assert len(re.findall(r'name="rendered_at" value="[^"]+"', html)) == 1
        return re.sub(r'name="rendered_at" value="[^"]+"', "", html)

    assert without_render_time(first) == without_render_time(second)
    html = first.content.decode().lower()
    assert "csrf" not in html and "sessionid" not in html
    assert not first.cookies and not second.cookies


# The live count


def count_url(appeal, language="en"):
    return f"/{language}/appeals/{appeal.public_id}/count/"


def test_the_live_count_is_json_in_the_visitors_language(client, appeal):
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=1234, goal=5000)
    response = client.get(count_url(appeal, "fr"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    with translation.override("fr"):
        display = localized_number(1234)
    assert display != "1234"
    assert body["count"] == 1234 and body["count_display"] == display
    assert body["goal"] == 5000 and body["progress_percent"] == 24
    assert body["accepts_signatures"] is True
    assert 'data-signature-count="1234"' in body["html"] and display in body["html"]
    assert "signatures" in body["html"]


def test_the_live_count_gives_the_form_a_fresh_render_time(client, appeal):
    stamp = client.get(count_url(appeal)).json()["rendered_at"]
    assert 0 <= seconds_since_render(stamp) < 5


def test_the_live_count_may_be_kept_a_few_seconds_by_anyone(client, appeal):
    response = client.get(count_url(appeal))
    control = cache_control(response)
    assert is_public(response) and control["max-age"] == "10" and control["s-maxage"] == "10"
    assert not response.cookies and "cookie" not in response.get("Vary", "").lower()


@pytest.mark.parametrize("cookie", ["sessionid=someone", "csrftoken=malformed", "theme=dark"])
def test_the_live_count_asked_with_a_cookie_is_private(client, appeal, cookie):
    # Django answers a session or CSRF cookie it cannot read with a new one: never for all.
    assert is_private(client.get(count_url(appeal), HTTP_COOKIE=cookie))


@override_settings(APPEALS_COUNT_CACHE_SECONDS=3)
def test_how_long_the_live_count_is_kept_is_a_setting(client, appeal):
    assert cache_control(client.get(count_url(appeal)))["s-maxage"] == "3"


def test_the_live_count_of_a_closed_appeal_says_so(client, tree, appeal):
    set_appeal_option(tree.case, closed=True)
    assert client.get(count_url(appeal)).json()["accepts_signatures"] is False


def test_the_live_count_costs_as_many_queries_whatever_the_signatures(client, appeal):
    with CaptureQueriesContext(connection) as without:
        client.get(count_url(appeal))
    for number in range(30):
        make_signature(appeal, name=f"S {number}", email=f"s{number}@example.org")
    with CaptureQueriesContext(connection) as with_signatures:
        client.get(count_url(appeal))
    assert len(with_signatures) == len(without) <= 2


@pytest.mark.parametrize(
    "public_id",
    ["unknown", "x" * 40, "a.b", "é", "a%20b", "%2E%2E", "%00", "%FF", "%E2%80%AE"],
)
def test_the_live_count_of_no_appeal_is_a_json_404(client, public_id):
    response = client.get(f"/en/appeals/{public_id}/count/")
    if response.status_code == 400:  # the site's guard of control characters and broken UTF-8
        return
    assert response.status_code == 404 and response.json()["status"] == "not_found"


def test_the_live_count_of_an_unpublished_case_is_a_404(client, tree, appeal):
    for page in (tree.french_case, tree.case):
        CasePage.objects.get(pk=page.pk).unpublish()
    assert client.get(count_url(appeal)).status_code == 404


def test_the_live_count_is_only_read(client, appeal):
    assert client.post(count_url(appeal)).status_code == 405


# A cache that fails


def dead_page_cache():
    return override_settings(
        CACHES={
            **settings.CACHES,
            "pages": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": DEAD_REDIS,
                "OPTIONS": REDIS_OPTIONS,
            },
        },
        APPEALS_PAGE_CACHE="pages",
    )


def test_with_the_page_cache_down_pages_are_served_uncached(client, tree, url):
    with dead_page_cache():
        for _ in range(2):
            response = get(client, url)
            assert response.status_code == 200 and not response.from_cache
            assert is_public(response)
        set_appeal_option(tree.case, closed=True)  # publishing does not fail either
        assert "appeal-closed" in client.get(url).content.decode()


@pytest.fixture
def live_redis_pages():
    prefix = f"page-cache-test-{uuid.uuid4().hex}"
    caches = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": LIVE_REDIS,
            "KEY_PREFIX": prefix,
            "OPTIONS": REDIS_OPTIONS,
        },
    }
    with override_settings(CACHES=caches, APPEALS_PAGE_CACHE="pages"):
        yield
    connection_ = redis.Redis.from_url(LIVE_REDIS)
    for key in connection_.scan_iter(f"{prefix}:*"):
        connection_.delete(key)


def test_pages_are_kept_in_redis_and_forgotten_on_publish(client, tree, url, live_redis_pages):
    kept(client, url)
    set_appeal_option(tree.case, closed=True)
    response = get(client, url)
    assert not response.from_cache and "appeal-closed" in response.html
    assert get(client, url).from_cache


# Front caches


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    """A front cache's purge endpoint, as Varnish's is: it records what it is told to forget."""

    purged = []

    def do_PURGE(self):
        self.purged.append(f"http://{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def frontend_cache_installed():
    """``wagtail.contrib.frontend_cache`` added to the running site as Django's ``populate``
    adds an app: its config registered, then readied (which connects Wagtail's own purge on
    publish), without readying every other app again (Wagtail's redirects app cannot be)."""
    from wagtail.contrib.frontend_cache import signal_handlers
    from wagtail.signals import page_published, page_unpublished

    config = AppConfig.create("wagtail.contrib.frontend_cache")
    config.apps = apps
    config.import_models()
    apps.app_configs[config.label] = config
    apps.clear_cache()
    config.ready()
    try:
        yield
    finally:
        del apps.app_configs[config.label]
        apps.clear_cache()
        for model in apps.get_models():
            page_published.disconnect(signal_handlers.page_published_signal_handler, sender=model)
            page_unpublished.disconnect(
                signal_handlers.page_unpublished_signal_handler, sender=model
            )


@pytest.fixture
def purges():
    """A front cache's purge endpoint on this machine, named by Wagtail's HTTP backend."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    PurgeRecorder.purged = []
    backends = {
        "varnish": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    with override_settings(WAGTAILFRONTENDCACHE=backends, WAGTAILFRONTENDCACHE_LANGUAGES=[]):
        yield PurgeRecorder.purged
    server.shutdown()
    server.server_close()


@pytest.fixture
def front_cache(purges):
    """The site installs ``wagtail.contrib.frontend_cache`` and configures its backend."""
    with frontend_cache_installed():
        yield purges


@pytest.fixture
def translated_slug(tree):
    french = CasePage.objects.get(pk=tree.french_case.pk)
    french.slug = "liberez-lena-orlova"
    french.save_revision().publish()
    return french


EVERY_ADDRESS = {
    "http://testserver/en/cases/lena-orlova/",
    "http://testserver/fr/cases/liberez-lena-orlova/",
    "http://testserver/en/cases/",
    "http://testserver/fr/cases/",
}


def test_publishing_purges_every_translations_own_address_once(
    tree, translated_slug, front_cache, django_capture_on_commit_callbacks
):
    front_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        CasePage.objects.get(pk=tree.case.pk).save_revision().publish()
    assert set(front_cache) == EVERY_ADDRESS
    assert len(front_cache) == len(EVERY_ADDRESS)  # Wagtail's handler and ours never overlap


def test_unpublishing_a_translation_purges_every_address_of_the_case(
    tree, translated_slug, front_cache, django_capture_on_commit_callbacks
):
    front_cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        CasePage.objects.get(pk=translated_slug.pk).unpublish()
    assert set(front_cache) == EVERY_ADDRESS
    assert len(front_cache) == len(EVERY_ADDRESS)


def test_with_wagtails_language_rewrite_the_translated_slug_is_purged_all_the_same(
    tree, translated_slug, front_cache, django_capture_on_commit_callbacks
):
    front_cache.clear()
    with (
        override_settings(WAGTAILFRONTENDCACHE_LANGUAGES=["en", "fr"]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        CasePage.objects.get(pk=tree.case.pk).save_revision().publish()
    # Wagtail's rewrite names /fr/cases/lena-orlova/, which does not exist; ours the real one.
    assert "http://testserver/fr/cases/liberez-lena-orlova/" in front_cache


def test_nothing_is_purged_before_the_publish_commits(
    tree, front_cache, django_capture_on_commit_callbacks
):
    front_cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page_cache.case_changed(tree.case)
    assert front_cache == [] and callbacks


def test_a_front_cache_configured_without_the_app_is_purged_by_the_plugin_alone(
    tree, translated_slug, purges, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        CasePage.objects.get(pk=tree.case.pk).save_revision().publish()
    assert set(purges) == EVERY_ADDRESS and len(purges) == len(EVERY_ADDRESS)


def test_without_a_front_cache_nothing_is_purged(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page_cache.case_changed(tree.case)
    assert len(callbacks) == 1  # the generation drawn again at commit, and nothing else
