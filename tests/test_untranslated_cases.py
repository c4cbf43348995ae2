"""A new case reaches every content language at once, in its own language, until translated.

Publishing a case in its source language mirrors it, as wagtail-localize's
synchronised trees do, as an alias in every locale whose tree holds its case
list: the French and Arabic URLs answer at once, the lists show it, and the
page says that its text is not translated yet. Translating it through
wagtail-localize turns the alias into the translation; unpublishing the source
withdraws it everywhere.
"""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from appeals.models import Appeal, CaseIndexPage, CasePage
from tests.builders import FRENCH, make_case, post_signature, translate

pytestmark = pytest.mark.django_db

SLUG = "anna-ivanova"


@pytest.fixture
def arabic(tree, django_capture_on_commit_callbacks):
    """An Arabic tree beside the French one: the case list translated and published."""
    translate(tree.index, "ar", {"Cases": "القضايا"}, capture=django_capture_on_commit_callbacks)
    return Locale.objects.get(language_code="ar")


@pytest.fixture
def new_case(tree, arabic):
    """A case published in English only."""
    return make_case(tree.index, title="Free Anna Ivanova", slug=SLUG)


def page_in(case, language_code):
    return CasePage.objects.filter(
        translation_key=case.translation_key, locale__language_code=language_code
    ).first()


@pytest.mark.parametrize(
    ("language", "direction"), [("fr", "ltr"), ("ar", "rtl")]
)  # fmt: skip
def test_a_new_english_case_answers_in_every_content_language_with_the_notice(
    client, new_case, language, direction
):
    response = client.get(f"/{language}/cases/{SLUG}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert '<article class="case" lang="en" dir="ltr">' in html
    assert "Free Anna Ivanova" in html
    assert 'class="translation-notice"' in html
    assert 'name="email"' in html  # the form, in the visitor's language
    assert f'<div lang="{language}" dir="{direction}">' in html


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_new_case_is_listed_in_every_language_marked_as_english(client, new_case, language):
    locale = Locale.objects.get(language_code=language)
    assert new_case.title in [case.title for case in CasePage.open_cases(locale)]
    index = CaseIndexPage.objects.get(translation_key=new_case.get_parent().translation_key,
                                      locale=locale)  # fmt: skip
    assert new_case.title in [case.title for case in index.get_cases()]
    html = client.get(f"/{language}/cases/").content.decode()
    card = html[html.index(f"/{language}/cases/{SLUG}/") - 400 :]
    assert '<li class="case-card" lang="en" dir="ltr">' in card[:400]


def test_the_case_served_in_french_is_the_same_appeal(client, new_case):
    (appeal,) = Appeal.objects.for_page(new_case)
    assert appeal.delivery_language == "en"
    response = post_signature(client, appeal, language="fr")
    assert response.status_code in (200, 302, 303)
    assert appeal.signatures.count() == 1
    assert appeal.signatures.get().language == "fr"
    assert Appeal.objects.filter(case_key=new_case.translation_key).count() == 1


def test_the_source_republished_updates_the_mirrored_pages(client, new_case):
    new_case.summary = "Detained again, in Kazan."
    new_case.save_revision().publish()
    assert "Detained again, in Kazan." in client.get(f"/ar/cases/{SLUG}/").content.decode()


def test_a_translation_in_progress_keeps_the_source_text_with_its_notice(
    client, new_case, django_capture_on_commit_callbacks
):
    french = Locale.objects.get(language_code="fr")
    with django_capture_on_commit_callbacks(execute=True):
        TranslationCreator(None, [french]).create_translations(new_case)
    page = page_in(new_case, "fr")
    assert page.alias_of_id is None and page.live  # wagtail-localize made it a translation
    html = client.get(f"/fr/cases/{SLUG}/").content.decode()
    assert '<article class="case" lang="en" dir="ltr">' in html
    assert 'class="translation-notice"' in html


def test_a_published_translation_replaces_the_mirrored_page(
    client, new_case, django_capture_on_commit_callbacks
):
    alias = page_in(new_case, "fr")
    translate(new_case, "fr", FRENCH, capture=django_capture_on_commit_callbacks)
    page = page_in(new_case, "fr")
    assert page.pk == alias.pk and page.alias_of_id is None
    html = client.get(f"/fr/cases/{SLUG}/").content.decode()
    assert "Libérez Anna Ivanova" in html
    assert '<article class="case" lang="fr" dir="ltr">' in html
    assert "translation-notice" not in html
    source = TranslationSource.objects.get_for_instance(new_case)
    assert Translation.objects.filter(source=source, target_locale=page.locale).exists()
    # Still one page per language, and Arabic still mirrors the source.
    assert CasePage.objects.filter(translation_key=new_case.translation_key).count() == 3
    assert 'class="translation-notice"' in client.get(f"/ar/cases/{SLUG}/").content.decode()


def test_unpublishing_the_source_removes_the_case_from_every_language(client, new_case):
    new_case.unpublish()
    for language in ("en", "fr", "ar"):
        assert client.get(f"/{language}/cases/{SLUG}/").status_code == 404
        assert SLUG not in client.get(f"/{language}/cases/").content.decode()
        locale = Locale.objects.get(language_code=language)
        assert new_case.title not in [case.title for case in CasePage.open_cases(locale)]


def test_a_draft_case_is_shown_in_no_language(client, tree, arabic):
    draft = CasePage(
        title="Free Oleg Draft", slug="oleg-draft", defender_name="Oleg",
        summary="Not ready.", body=[],
    )  # fmt: skip
    draft.live = False
    tree.index.add_child(instance=draft)
    draft.save_revision()
    for language in ("en", "fr", "ar"):
        assert client.get(f"/{language}/cases/oleg-draft/").status_code == 404


def test_a_language_without_its_case_list_gets_no_mirror(tree, django_capture_on_commit_callbacks):
    Locale.objects.get_or_create(language_code="es")
    case = make_case(tree.index, title="Free Anna Ivanova", slug=SLUG)
    assert page_in(case, "es") is None  # nothing to hang it on: /es/ serves the English tree
