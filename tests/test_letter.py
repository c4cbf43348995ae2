"""The letter is composed from the case page it sits on, in the page's language."""

import pytest
from django.utils import translation
from wagtail.models import Locale

from appeals.letter import Signer, compose_letter
from home.demo import content
from tests.builders import case_body, make_case, recipient_value, stream_block

pytestmark = pytest.mark.django_db


def russian_case(demo):
    return demo.case.get_translation(Locale.objects.get(language_code="ru"))


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
        letter = compose_letter(russian_case(demo))
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


def test_other_recipients_receive_copies(demo):
    body = case_body() + [stream_block("recipient", recipient_value(name="Olga Smirnova"))]
    letter = compose_letter(make_case(demo.index, body=body))
    assert letter.addressee["name"] == "Ivan Petrov"
    assert [recipient["name"] for recipient in letter.copies_to] == ["Olga Smirnova"]
    assert "Copies to:" in letter.as_text() and "Mr Olga Smirnova" in letter.as_text()


def test_the_appeal_salutation_overrides_the_recipients(demo):
    body = case_body()
    appeal = next(block for block in body if block["type"] == "appeal")
    appeal["value"]["salutation"] = "Dear Prosecutor General,"
    assert compose_letter(make_case(demo.index, body=body)).salutation == "Dear Prosecutor General,"


def test_demands_can_be_left_out_of_the_letter(demo):
    body = case_body()
    next(block for block in body if block["type"] == "appeal")["value"]["include_demands"] = False
    letter = compose_letter(make_case(demo.index, body=body))
    assert letter.demands == []
    assert "Release her at once" not in letter.as_text()


def test_the_signer_closes_the_letter(demo):
    with translation.override("fr"):
        letter = compose_letter(demo.case, signer=Signer("Marie Curie", "Paris", "FR"))
        text = letter.as_text()
    assert text.rstrip().endswith("Marie Curie\nParis, France")
    assert "[Your name]" not in text


def test_a_recipient_with_an_email_gets_a_send_it_yourself_link(client, demo):
    case = make_case(demo.index)
    html = client.get(case.url).content.decode()
    assert 'href="mailto:office@example.org?subject=Free%20Anna%20Ivanova&amp;body=' in html
    assert "I%20urge%20the%20authorities%20to%3A" in html


def test_the_seed_recipient_without_email_has_no_mailto_link(client):
    html = client.get("/en/cases/igor-kalyapin/").content.decode()
    assert "mailto:" not in html
