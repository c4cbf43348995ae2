"""The case page, form included, is the same HTML for every anonymous visitor."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from appeals.models import Appeal
from tests.builders import make_signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_url(tree):
    return f"/fr/cases/{tree.case.slug}/"


def test_the_case_page_sets_no_cookie_and_varies_on_none(client, french_url):
    response = client.get(french_url)
    assert response.status_code == 200
    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_two_visitors_get_the_same_html(monkeypatch, french_url):
    monkeypatch.setattr("appeals.forms.time.time", lambda: 1_800_000_000)
    first = Client().get(french_url, headers={"accept-language": "ru"})
    second = Client().get(french_url, headers={"cookie": "sessionid=someone-else"})
    assert first.status_code == 200
    assert first.content == second.content


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_makes_as_many_queries_with_signatures_as_without(client, appeal, french_url):
    client.get(french_url)  # warm Wagtail's site-root cache
    without = query_count(client, french_url)
    for number in range(30):
        make_signature(appeal, language="fr", name=f"S {number}", email=f"s{number}@example.org")
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=30)
    assert query_count(client, french_url) == without


WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_while_rendering(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(WRITES)]


@pytest.mark.parametrize("language", ["en", "fr", "ar", "fa"])
def test_rendering_the_case_writes_nothing(client, tree, language):
    assert writes_while_rendering(client, f"/{language}/cases/{tree.case.slug}/") == []


def test_rendering_a_case_whose_appeal_has_no_row_yet_writes_nothing(client, tree):
    # As in a preview before the first publish: the letter shows, no form or count.
    Appeal.objects.filter(case_key=tree.case.translation_key).delete()
    assert writes_while_rendering(client, tree.case.url) == []
    html = client.get(tree.case.url).content.decode()
    assert "Dear Prosecutor," in html
    assert "data-signature-count" not in html and "signature-form" not in html
    assert not Appeal.objects.filter(case_key=tree.case.translation_key).exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_case_list_makes_as_many_queries_with_six_cases_as_with_one(client, tree, language):
    from tests.builders import make_case

    url = f"/{language}/cases/"
    client.get(url)  # warm Wagtail's site-root cache
    with_one = query_count(client, url)
    for number in range(5):  # mirrored into French as aliases, marked with their language
        make_case(tree.index, title=f"Free Case {number}", slug=f"case-{number}")
    client.get(url)
    assert query_count(client, url) == with_one
