"""The letter is composed from the case page it sits on, in the page's language."""

import pytest
from django.utils import translation

from appeals.letter import Signer, compose_letter
from tests.builders import case_body, make_case, recipient_value, stream_block

pytestmark = pytest.mark.django_db


def test_other_recipients_receive_copies(tree):
    body = case_body() + [stream_block("recipient", recipient_value(name="Olga Smirnova"))]
    letter = compose_letter(make_case(tree.index, body=body))
    assert letter.addressee["name"] == "Ivan Petrov"
    assert [recipient["name"] for recipient in letter.copies_to] == ["Olga Smirnova"]
    assert "Copies to:" in letter.as_text() and "Mr Olga Smirnova" in letter.as_text()


def test_the_appeal_salutation_overrides_the_recipients(tree):
    body = case_body()
    appeal = next(block for block in body if block["type"] == "appeal")
    appeal["value"]["salutation"] = "Dear Prosecutor General,"
    assert compose_letter(make_case(tree.index, body=body)).salutation == "Dear Prosecutor General,"


def test_demands_can_be_left_out_of_the_letter(tree):
    body = case_body()
    next(block for block in body if block["type"] == "appeal")["value"]["include_demands"] = False
    letter = compose_letter(make_case(tree.index, body=body))
    assert letter.demands == []
    assert "Release her at once" not in letter.as_text()


def test_the_signer_closes_the_letter(tree):
    with translation.override("fr"):
        letter = compose_letter(tree.french_case, signer=Signer("Marie Curie", "Paris", "FR"))
        text = letter.as_text()
    assert letter.salutation == "Monsieur le Procureur,"
    assert text.rstrip().endswith("Marie Curie\nParis, France")
    assert "[Your name]" not in text


def test_the_letter_on_the_page_reads_as_a_letter(client, tree):
    html = client.get(tree.case.url).content.decode()
    letter = html[html.index('<article class="letter"') :]
    order = ["Dear Prosecutor,", "I am writing about", "I urge the authorities", "Yours sincerely,"]
    positions = [letter.index(text) for text in order]
    assert positions == sorted(positions)
    assert "[Your name]" in letter


def test_a_recipient_with_an_email_gets_a_send_it_yourself_link(client, tree):
    case = make_case(tree.index)
    html = client.get(case.url).content.decode()
    assert 'href="mailto:office@example.org?subject=Free%20Anna%20Ivanova&amp;body=' in html
    assert "I%20urge%20the%20authorities%20to%3A" in html
