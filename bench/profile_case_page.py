"""Where an uncached case page spends its time, beside a plain Wagtail page on the same site.

    python -m bench.profile_case_page [--language en] [--language ar] [--renders 200]

Renders the demo's seed case page through Django's test client, uncached (the page
cache off: only what Django, Wagtail and the plugin keep per process), then a page of
30 rich-text paragraphs (``home.StandardPage``), and prints the mean milliseconds per
render, the SQL queries of one render, their ratio, and a pyinstrument profile of the
case page's renders.

With ``DATABASE_URL`` set it uses that database (migrated, the demo loaded:
both are idempotent); otherwise a temporary SQLite file, removed afterwards.
DEBUG is off unless the environment says otherwise, as in production.
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

PLAIN_PAGE_SLUG = "thirty-paragraphs"
PLAIN_PAGE_PARAGRAPHS = 30
LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
    "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud "
    "exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat."
)


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--language", action="append", help="a language of the case page (repeatable; en)"
    )
    parser.add_argument("--renders", type=int, default=200, help="timed renders of each page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed renders first")
    arguments = parser.parse_args(argv)
    arguments.language = arguments.language or ["en"]
    return arguments


def configure_environment(database_dir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("ALLOWED_HOSTS", "*")
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(database_dir) / 'profile.sqlite3'}"


def prepare_database():
    import io

    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", stdout=io.StringIO())


def plain_page():
    """A page of 30 rich-text paragraphs (~5 KB) beside the demo's pages, made once."""
    from wagtail.models import Locale

    from home.models import HomePage, StandardPage

    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    page = StandardPage.objects.child_of(home).filter(slug=PLAIN_PAGE_SLUG).first()
    if page is None:
        body = "".join(f"<p>{number}. {LOREM}</p>" for number in range(PLAIN_PAGE_PARAGRAPHS))
        page = StandardPage(title="Thirty paragraphs", slug=PLAIN_PAGE_SLUG, body=body)
        home.add_child(instance=page)
        page.save_revision().publish()
    return page


def seed_case():
    from wagtail.models import Locale

    from appeals.models import CasePage

    return CasePage.objects.live().filter(locale=Locale.get_default()).first()


def visitor():
    from django.test import Client
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    return Client(headers={"host": f"{site.hostname}:{site.port}"})


def in_language(url, language):
    """``url`` (with its language prefix) under ``language``'s prefix."""
    return f"/{language}/{url.split('/', 2)[2]}"


def render(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return response


def mean_ms(client, url, renders, warmup):
    """Milliseconds per render: elapsed, and of this process's CPU (on a busy machine the
    elapsed time counts other processes' turns too; the CPU time does not, but leaves out
    a database server's own work)."""
    for _ in range(warmup):
        render(client, url)
    started, started_cpu = time.perf_counter(), time.process_time()
    for _ in range(renders):
        render(client, url)
    elapsed = time.perf_counter() - started
    return elapsed * 1000 / renders, (time.process_time() - started_cpu) * 1000 / renders


def queries_and_size(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = render(client, url)
    return len(queries), len(response.content)


def profile(client, url, renders):
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(renders):
        render(client, url)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False)


def measure(arguments):
    client = visitor()
    case_url = seed_case().url
    plain_url = plain_page().url
    plain_ms, plain_cpu = mean_ms(client, plain_url, arguments.renders, arguments.warmup)
    plain_queries, plain_bytes = queries_and_size(client, plain_url)
    print(f"Plain page ({PLAIN_PAGE_PARAGRAPHS} rich-text paragraphs) {plain_url}")
    print(
        f"  {plain_ms:.2f} ms per render ({plain_cpu:.2f} ms CPU), {plain_queries} queries, ",
        end="",
    )
    print(f"{plain_bytes:,} bytes")
    profiles = []
    for language in arguments.language:
        url = in_language(case_url, language)
        case_ms, case_cpu = mean_ms(client, url, arguments.renders, arguments.warmup)
        case_queries, case_bytes = queries_and_size(client, url)
        print(f"Case page {url}")
        print(
            f"  {case_ms:.2f} ms per render ({case_cpu:.2f} ms CPU), {case_queries} queries, ",
            end="",
        )
        print(f"{case_bytes:,} bytes")
        print(f"  {case_ms / plain_ms:.2f} times the plain page's time per render ", end="")
        print(f"({case_cpu / plain_cpu:.2f} in CPU)")
        profiles.append((url, profile(client, url, arguments.renders)))
    for url, text in profiles:
        print(f"\nProfile of {arguments.renders} renders of {url}")
        print(text)


def main(argv=None):
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="appeals-profile-") as database_dir:
        configure_environment(database_dir)
        import django

        django.setup()
        from django.test.utils import override_settings

        # Without Django's test environment: it would time a signal per template rendered.
        # Static files are named, not hashed: the profile is of the page, and needs no
        # collectstatic.
        storage = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        storages = {"default": default_storage(), "staticfiles": storage}
        # Uncached: the page cache would answer every render after the first.
        with override_settings(STORAGES=storages, APPEALS_PAGE_CACHE=None):
            prepare_database()
            measure(arguments)


def default_storage():
    from django.conf import settings

    return settings.STORAGES["default"]


if __name__ == "__main__":
    main()
