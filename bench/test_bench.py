"""Figures for the closing notes: run with `make bench`; numbers, not assertions.

Timings depend on the machine; query counts do not.
"""

import statistics
import time

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from appeals.models import Appeal, Signature
from tests.builders import post_signature, sign_data

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "fr", "es", "ru", "ar"]


def report(title, rows):
    print(f"\n{title}")
    for label, value in rows:
        print(f"  {label:<44} {value}")


def page_queries(client, language):
    url = f"/{language}/cases/igor-kalyapin/"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return f"{len(queries)} queries, {len(response.content)} bytes"


def origin(demo):
    """The demo site's own origin: the same-origin check compares the host."""
    return f"http://{demo.site.hostname}:{demo.site.port}"


def test_case_page_queries_with_and_without_signatures(client, appeal):
    rows = [
        (f"{language}, no signatures", page_queries(client, language)) for language in LANGUAGES
    ]
    Signature.objects.bulk_create(
        Signature(
            appeal=appeal,
            language="en",
            name=f"Signer {n}",
            email=f"s{n}@example.org",
            email_key=f"s{n}@example.org",
            country="FR",
            consent_version="1",
            confirmed_at="2026-01-01T00:00:00Z",
        )
        for n in range(5000)
    )
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=5000)
    rows += [
        (f"{language}, 5,000 signatures", page_queries(client, language)) for language in LANGUAGES
    ]
    report("Case page (python manage.py ... via the test client)", rows)


@override_settings(
    APPEALS_SUBMISSIONS_PER_NETWORK=10_000, APPEALS_EMAILS_PER_ADDRESS_PER_DAY=10_000
)
def test_signature_post_time(client, demo, appeal, django_capture_on_commit_callbacks):
    timings = []
    for number in range(100):
        data = sign_data(email=f"bench{number}@example.org")
        started = time.perf_counter()
        with django_capture_on_commit_callbacks(execute=True):
            response = post_signature(client, appeal, data, "fr", origin=origin(demo))
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302
    report(
        "Signature POST, test client, locmem e-mail, immediate tasks (100 posts)",
        [
            ("mean", f"{statistics.mean(timings) * 1000:.1f} ms"),
            ("median", f"{statistics.median(timings) * 1000:.1f} ms"),
            ("max", f"{max(timings) * 1000:.1f} ms"),
        ],
    )


def test_case_page_weight(client):
    import gzip
    from pathlib import Path

    from django.contrib.staticfiles import finders

    assets = b"".join(
        Path(finders.find(path)).read_bytes()
        for path in ("home/site.css", "appeals/appeals.css", "appeals/appeal.js")
    )
    rows = []
    for language in [*LANGUAGES, "fa"]:
        html = client.get(f"/{language}/cases/igor-kalyapin/").content
        compressed = len(gzip.compress(html)) + len(gzip.compress(assets))
        rows.append((language, f"{len(html) + len(assets):,} bytes raw, {compressed:,} gzipped"))
    report("Seed case page weight: HTML + CSS + JS, no images", rows)


@override_settings(
    APPEALS_SUBMISSIONS_PER_NETWORK=10_000, APPEALS_EMAILS_PER_ADDRESS_PER_DAY=10_000
)
def test_api_median_response_times(client, demo, appeal, django_capture_on_commit_callbacks):
    import json

    from appeals.forms import signed_render_time

    base = f"/api/v3/appeals/{appeal.public_id}"

    def timed(call, runs=30):
        timings = []
        for number in range(runs):
            started = time.perf_counter()
            with django_capture_on_commit_callbacks(execute=True):
                call(number)
            timings.append(time.perf_counter() - started)
        return f"{statistics.median(timings) * 1000:.1f} ms median of {runs}"

    def sign(number):
        payload = {
            "name": "Bench", "email": f"api{number}@example.org", "country": "FR",
            "consent": True, "rendered_at": signed_render_time(time.time() - 60),
        }  # fmt: skip
        client.post(f"{base}/signatures/?locale=fr", json.dumps(payload),
                    content_type="application/json")  # fmt: skip

    report(
        "API v3, test client",
        [
            ("GET /api/v3/appeals/{id}/?locale=fr", timed(lambda n: client.get(f"{base}/?locale=fr"))),
            ("POST /api/v3/appeals/{id}/signatures/", timed(sign)),
            ("POST /api/v3/appeals/confirm/ (unknown token)", timed(
                lambda n: client.post("/api/v3/appeals/confirm/", {"token": f"t{n}"},
                                      content_type="application/json"))),
            ("GET /api/v3/pages/{id}/ (seed case)", timed(
                lambda n: client.get(f"/api/v3/pages/{demo.case.id}/"))),
            ("GET /api/v3/pages/?type=appeals.CasePage&locale=fr", timed(
                lambda n: client.get("/api/v3/pages/", {"type": "appeals.CasePage", "locale": "fr"}))),
        ],
    )  # fmt: skip
