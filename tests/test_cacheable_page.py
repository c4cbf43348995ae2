"""The case page, form included, is the same HTML for every anonymous visitor."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from appeals.models import Appeal, Signature

pytestmark = pytest.mark.django_db

CASE = "/fr/cases/igor-kalyapin/"


def test_the_case_page_sets_no_cookie_and_varies_on_none(client):
    response = client.get(CASE)
    assert response.status_code == 200
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_two_visitors_get_the_same_html(monkeypatch):
    monkeypatch.setattr("appeals.forms.time.time", lambda: 1_800_000_000)
    first = Client().get(CASE, headers={"accept-language": "ru"})
    second = Client().get(CASE, headers={"cookie": "sessionid=someone-else"})
    assert first.content == second.content


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_with_signatures_as_without(client, demo):
    client.get(CASE)  # warm Wagtail's site-root cache
    without = query_count(client, CASE)
    block = next(block for block in demo.case.body if block.block_type == "appeal")
    appeal = demo.case.get_appeal(block.id)
    for number in range(30):
        Signature.objects.create(
            appeal=appeal,
            language="fr",
            name=f"S {number}",
            email=f"s{number}@example.org",
            country="FR",
            consent_version="1",
            confirmed_at="2026-01-01T00:00:00Z",
        )
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=30)
    assert query_count(client, CASE) == without


WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_while_rendering(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "ar", "fa"])
def test_rendering_the_case_writes_nothing(client, language):
    assert writes_while_rendering(client, f"/{language}/cases/igor-kalyapin/") == []


def test_rendering_a_case_whose_appeal_has_no_row_yet_writes_nothing(client, demo):
    # As in a preview before the first publish: the letter shows, no form or count.
    Appeal.objects.filter(case_key=demo.case.translation_key).delete()
    assert writes_while_rendering(client, "/en/cases/igor-kalyapin/") == []
    html = client.get("/en/cases/igor-kalyapin/").content.decode()
    assert "Your Excellency," in html
    assert "data-signature-count" not in html and "signature-form" not in html
    assert not Appeal.objects.exists()
