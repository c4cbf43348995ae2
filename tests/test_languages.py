"""A case in the visitor's language, the source text marked where it is not translated,
and the visitor's own formats and country names."""

import pytest
from django.utils import translation
from django.utils.formats import number_format

from appeals.forms import SignatureForm
from tests.builders import make_case, set_appeal_option

pytestmark = pytest.mark.django_db


def test_a_visitor_without_a_translation_gets_the_source_text_marked_as_such(client, tree):
    html = client.get(f"/fa/cases/{tree.case.slug}/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert '<article class="case" lang="en" dir="ltr">' in html
    assert 'class="translation-notice"' in html
    with translation.override("fa"):
        label = translation.gettext("Your full name")
    assert label != "Your full name" and label in html  # the form speaks Persian
    assert '<div lang="fa" dir="rtl">' in html


def test_translated_pages_carry_no_notice(client, tree):
    html = client.get(f"/fr/cases/{tree.case.slug}/").content.decode()
    assert "Libérez Lena Orlova" in html
    assert "translation-notice" not in html


def test_a_case_not_yet_translated_is_served_from_its_alias_with_a_notice(client, tree):
    case = make_case(tree.index, title="Free Anna Ivanova")  # mirrored in French on publish
    alias = case.get_translation(tree.french)
    assert alias.alias_of_id == case.id
    html = client.get(alias.url).content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert '<article class="case" lang="en" dir="ltr">' in html
    assert "translation-notice" in html


# Django's Arabic format groups no digits.
@pytest.mark.parametrize(
    ("language", "count"), [("en", "5,000"), ("fr", "5\xa0000"), ("ar", "5000")]
)
def test_the_goal_is_written_in_the_visitors_number_format(client, tree, language, count):
    set_appeal_option(tree.case, goal=5000)
    with translation.override(language):
        expected = number_format(5000, force_grouping=True)
    assert expected == count
    html = client.get(f"/{language}/cases/{tree.case.slug}/").content.decode()
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
