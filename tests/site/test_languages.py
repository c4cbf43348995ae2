"""Choosing the language, falling back when a page is not translated, and local formats."""

import gzip
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

from appeals.forms import SignatureForm

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


def test_a_visitor_without_a_translation_gets_the_source_text_marked_as_such(client):
    html = client.get("/fa/cases/igor-kalyapin/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert '<article class="case" lang="en" dir="ltr">' in html
    assert 'class="translation-notice"' in html
    with translation.override("fa"):
        label = translation.gettext("Your full name")
    assert label != "Your full name" and label in html  # the form speaks Persian
    assert '<div lang="fa" dir="rtl">' in html


def test_translated_pages_carry_no_notice(client):
    assert "translation-notice" not in client.get("/ru/cases/igor-kalyapin/").content.decode()


def test_a_case_not_yet_translated_is_served_from_its_alias_with_a_notice(
    client, demo, django_capture_on_commit_callbacks
):
    from wagtail.models import Locale

    from tests.builders import make_case

    case = make_case(demo.index, title="Free Anna Ivanova")
    french_index = demo.index.get_translation(Locale.objects.get(language_code="fr"))
    alias = case.create_alias(parent=french_index, update_locale=french_index.locale)
    html = client.get(alias.url).content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert '<article class="case" lang="en" dir="ltr">' in html
    assert "translation-notice" in html


@pytest.mark.parametrize(
    ("language", "count"),
    [("en", "5,000"), ("fr", "5\u202f000"), ("ru", "5\xa0000"), ("ar", "5٬000")],
)
def test_the_goal_is_written_in_the_visitors_number_format(client, language, count):
    from django.utils.formats import number_format

    with translation.override(language):
        expected = number_format(5000, force_grouping=True)
    html = client.get(f"/{language}/cases/igor-kalyapin/").content.decode()
    assert expected in html


@pytest.mark.parametrize("language", ["ru", "ar", "fa", "fr"])
def test_countries_are_named_and_sorted_in_the_visitors_language(language):
    import pyuca

    with translation.override(language):
        names = [name for code, name in SignatureForm().fields["country"].choices if code]
    assert len(names) >= 249
    collator = pyuca.Collator()
    assert names == sorted(names, key=collator.sort_key)
    if language == "ru":
        assert "Германия" in names


def test_the_case_page_weighs_at_most_60_kb_compressed(client):
    html = client.get("/ar/cases/igor-kalyapin/").content
    assets = [
        Path(finders.find(path)).read_bytes()
        for path in ("home/site.css", "appeals/appeals.css", "appeals/appeal.js")
    ]
    total = sum(len(gzip.compress(part)) for part in [html, *assets])
    assert total <= 60 * 1024
