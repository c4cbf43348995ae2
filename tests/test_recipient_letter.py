"""The letter as its recipient reads it: composed in the appeal's delivery language, from
the case's translation in it where there is one, else from the source; shown beside the
visitor's letter when the two differ."""

import re

import pytest
from django.utils import translation
from wagtail.models import Locale

from appeals.letter import delivered_letter, delivery_page
from tests.builders import make_case, set_appeal_option
from tests.site.conftest import appeal as seed_appeal  # noqa: F401
from tests.site.conftest import demo, demo_site  # noqa: F401

pytestmark = pytest.mark.django_db

SEED_CASE = "/{language}/cases/igor-kalyapin/"


@pytest.fixture
def visitor(demo):  # noqa: F811
    from django.test import Client

    return Client(headers={"host": f"{demo.site.hostname}:{demo.site.port}"})


def recipient_part(html):
    """The disclosure holding the recipient's letter, or None."""
    found = re.search(r'<details class="recipient-letter".*?</details>', html, re.S)
    return found.group() if found else None


def test_the_seed_case_is_delivered_in_russian_to_the_minister(demo, seed_appeal):  # noqa: F811
    assert seed_appeal.delivery_language == "ru"
    letter = delivered_letter(demo.case, seed_appeal)
    assert letter.language == "ru" and letter.direction == "ltr"
    assert letter.salutation == "Ваше превосходительство!"
    assert letter.addressee["name"] == "Сергей Лавров"
    assert letter.addressee.postal_lines[-2:] == ["119200 Москва", letter.addressee["country"]]
    assert letter.copies_to == []  # the seed case has one recipient
    assert letter.paragraph_texts[0].startswith("16 марта 2016 года правозащитник")
    assert letter.closing == "С уважением,"
    text = letter.as_text()
    assert text.startswith("Министр Сергей Лавров\n") and "[Your name]" in text


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_every_seed_page_delivers_the_russian_letter(demo, seed_appeal, language):  # noqa: F811
    page = demo.case.get_translation(Locale.objects.get(language_code=language))
    assert delivery_page(page.specific, seed_appeal).locale.language_code == "ru"


def test_the_french_page_shows_the_russian_letter_one_click_away(visitor):
    html = visitor.get(SEED_CASE.format(language="fr")).content.decode()
    part = recipient_part(html)
    assert part is not None and 'lang="fr" dir="ltr"' in part.split(">")[0]
    assert "La lettre telle que la lit son destinataire (russe)" in part
    assert '<article class="letter" lang="ru" dir="ltr">' in part
    assert "Ваше превосходительство!" in part and "С уважением," in part
    # The visitor's own letter comes first, in French.
    assert html.index('<article class="letter" lang="fr"') < html.index("<details")


def test_the_arabic_page_shows_it_in_the_arabic_interface(visitor):
    part = recipient_part(visitor.get(SEED_CASE.format(language="ar")).content.decode())
    assert 'lang="ar" dir="rtl"' in part.split(">")[0]
    assert '<article class="letter" lang="ru" dir="ltr">' in part
    # Its own words (the copies' heading, the placeholder) in the letter's language.
    assert "[Ваше имя]" in part


def test_the_russian_page_shows_no_second_letter(visitor):
    html = visitor.get(SEED_CASE.format(language="ru")).content.decode()
    assert recipient_part(html) is None
    assert html.count('<article class="letter"') == 1


def test_no_second_letter_where_the_languages_are_the_same(client, tree):
    html = client.get(tree.case.url).content.decode()  # English, delivered in English
    assert recipient_part(html) is None


def test_the_french_page_of_a_case_delivered_in_english_shows_the_english_letter(client, tree):
    part = recipient_part(client.get(tree.french_case.url).content.decode())
    assert '<article class="letter" lang="en" dir="ltr">' in part
    assert "Dear Prosecutor," in part and "I am writing about the search" in part


def test_a_delivery_language_set_on_the_source_shows_on_every_page(client, tree):
    set_appeal_option(tree.case, delivery_language="fr")
    english = client.get(tree.case.url).content.decode()
    assert '<article class="letter" lang="fr" dir="ltr">' in recipient_part(english)
    assert recipient_part(client.get(tree.french_case.url).content.decode()) is None


def test_without_a_translation_in_the_delivery_language_the_source_is_delivered(client, tree):
    set_appeal_option(tree.case, delivery_language="ar")
    tree.appeal.refresh_from_db()
    letter = delivered_letter(tree.french_case, tree.appeal)
    assert letter.language == "en" and letter.salutation == "Dear Prosecutor,"
    french = recipient_part(client.get(tree.french_case.url).content.decode())
    assert '<article class="letter" lang="en" dir="ltr">' in french
    # The English page delivers its own letter: nothing beside it.
    assert recipient_part(client.get(tree.case.url).content.decode()) is None


def test_a_closed_appeal_shows_both_letters_as_sent(client, tree):
    set_appeal_option(tree.case, closed=True)
    with translation.override("fr"):
        html = client.get(tree.french_case.url).content.decode()
    part = recipient_part(html)
    assert part is not None and "[Your name]" not in part and "[Votre nom]" not in part


def test_a_case_of_one_language_has_no_disclosure(client, tree):
    case = make_case(tree.index, title="Alone", slug="alone")
    assert recipient_part(client.get(case.url).content.decode()) is None


def test_the_api_gives_the_recipients_letter_beside_the_visitors(visitor, seed_appeal):  # noqa: F811
    url = f"/api/v3/appeals/{seed_appeal.public_id}/"
    french = visitor.get(url, {"locale": "fr"}).json()
    assert french["letter"]["language"] == "fr"
    delivered = french["recipient_letter"]
    assert delivered["language"] == "ru" and delivered["salutation"] == "Ваше превосходительство!"
    assert delivered["addressee"]["name"] == "Сергей Лавров"
    assert delivered["signer_placeholder"] == "[Ваше имя]"
    assert visitor.get(url, {"locale": "ru"}).json()["recipient_letter"] is None
