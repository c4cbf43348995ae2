"""The seed case's letter, composed from the demo's page in each language."""

import pytest
from django.utils import translation
from wagtail.models import Locale

from appeals.letter import compose_letter
from home.demo import content

pytestmark = pytest.mark.django_db


def test_the_seed_letter_in_english(demo):
    letter = compose_letter(demo.case)
    assert letter.addressee["name"] == "Sergei Lavrov"
    assert letter.copies_to == []
    assert letter.salutation == "Your Excellency,"
    assert letter.paragraph_texts == content.APPEAL["paragraphs"]
    assert letter.demands_introduction == "I urge the authorities in Russia to:"
    assert list(letter.demands) == content.DEMANDS
    assert letter.closing == "Yours sincerely,"


def test_the_seed_letter_in_russian(demo):
    with translation.override("ru"):
        letter = compose_letter(demo.case.get_translation(Locale.objects.get(language_code="ru")))
        text = letter.as_text()
    assert letter.language == "ru"
    assert letter.salutation == "Ваше превосходительство!"
    assert "Сергей Лавров" in text
    assert len(letter.demands) == 3
    assert "1. Незамедлительно провести" in text
    assert "3. " in text and "4. " not in text
    assert "[Ваше имя]" in text
    assert letter.closing in text


def test_the_letter_reads_as_a_letter_on_the_page(client):
    html = client.get("/en/cases/igor-kalyapin/").content.decode()
    letter = html[html.index('<article class="letter"') :]
    order = ["Your Excellency,", "On 16 March 2016", "I urge the authorities", "Yours sincerely,"]
    positions = [letter.index(text) for text in order]
    assert positions == sorted(positions)
    assert "[Your name]" in letter


def test_the_seed_recipient_without_email_has_no_mailto_link(client):
    html = client.get("/en/cases/igor-kalyapin/").content.decode()
    assert "mailto:" not in html
