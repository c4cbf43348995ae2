"""The site's languages: choosing one, 404 pages in it, the switcher, and page weight."""

import gzip
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("ar-EG", "ar"),
        ("fa-IR,fa;q=0.9", "fa"),
        ("", "en"),
        ("de, ja;q=0.5", "en"),
        (";;q=,,garbage==", "en"),
        ("x" * 500, "en"),
    ],
)
def test_the_root_sends_each_visitor_to_their_best_language(client, header, language):
    response = client.get("/", headers={"accept-language": header})
    assert response.status_code == 302
    assert response.url == f"/{language}/"


@pytest.mark.parametrize("path", ["/xx/cases/igor-kalyapin/", "/zz/", "/xx-yy/cases/"])
def test_an_unknown_language_prefix_is_a_404_in_the_best_language(client, path):
    response = client.get(path, headers={"accept-language": "ru"})
    assert response.status_code == 404
    with translation.override("ru"):
        assert translation.gettext("Page not found") in response.content.decode()
    assert '<html lang="ru" dir="ltr">' in response.content.decode()


def test_a_missing_page_answers_404_in_its_language(client):
    response = client.get("/ar/cases/nobody/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    with translation.override("ar"):
        assert translation.gettext("Page not found") in html


def test_the_switcher_names_each_language_in_itself(client):
    html = client.get("/en/cases/igor-kalyapin/").content.decode()
    for code, name in (("fr", "Français"), ("ru", "Русский"), ("ar", "العربية")):
        assert f'hreflang="{code}" lang="{code}">{name}</a>' in html


def test_the_case_page_weighs_at_most_60_kb_compressed(client):
    html = client.get("/ar/cases/igor-kalyapin/").content
    assets = [
        Path(finders.find(path)).read_bytes()
        for path in ("home/site.css", "appeals/appeals.css", "appeals/appeal.js")
    ]
    total = sum(len(gzip.compress(part)) for part in [html, *assets])
    assert total <= 60 * 1024
