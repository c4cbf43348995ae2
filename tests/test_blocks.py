"""Each block of a case renders as semantic HTML, and refuses bad values with a message."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.blocks import StreamBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from appeals.blocks import CaseBodyBlock
from tests.builders import case_body, recipient_value

BODY = CaseBodyBlock()


def render(block_type, raw_value, language="en"):
    block = BODY.child_blocks[block_type]
    with translation.override(language):
        return block.render(block.to_python(raw_value))


def raw(block_type):
    return next(block["value"] for block in case_body() if block["type"] == block_type)


def test_incident_date_is_a_time_element_in_the_page_language():
    html = render("incident", raw("incident"), language="fr")
    assert '<time datetime="2024-05-02">2 mai 2024</time>' in html
    assert "Kazan" in html
    assert "<p>Police searched the home of the defender.</p>" in html


def test_incident_date_reads_day_month_year_in_english():
    assert ">2 May 2024</time>" in render("incident", raw("incident"))


def test_demands_are_an_ordered_list():
    html = render("demands", raw("demands"))
    assert '<ol class="demands">' in html
    assert "<li>Release her at once;</li>" in html
    assert "<li>Drop every charge.</li>" in html
    assert html.index("I urge the authorities to:") < html.index("<ol")


def test_recipient_is_an_address_with_callable_phone_and_mail_links():
    html = render("recipient", recipient_value())
    assert "<address>" in html
    lines = [
        "Mr Ivan Petrov",
        "Prosecutor General",
        "Prosecutor General&#x27;s Office",
        "Bolshaya Dmitrovka 15a",
        "125993 Moscow",
        "Russian Federation",
    ]
    positions = [html.index(line) for line in lines]
    assert positions == sorted(positions)
    assert 'href="tel:+74959875656"' in html
    assert 'href="mailto:office@example.org"' in html
    assert "+7 495 692 1725" in html


def test_recipient_without_optional_parts_renders_only_what_it_has():
    value = recipient_value(
        title="",
        position="",
        organisation="",
        address_lines=[],
        postcode="",
        city="",
        country="",
        phone="",
        fax="",
        email="",
    )
    html = render("recipient", value)
    assert "Ivan Petrov" in html
    assert "tel:" not in html and "mailto:" not in html


@pytest.mark.django_db
def test_appeal_renders_heading_letter_and_closing(client, tree):
    from tests.builders import make_case

    html = client.get(make_case(tree.index).url).content.decode()
    appeal = html[html.index('<section class="block-appeal"') :]
    assert "Write to the prosecutor" in appeal
    assert "<p>I am writing about the search of her home.</p>" in appeal
    assert "Yours sincerely," in appeal


def test_paragraph_and_quote_render():
    assert "<p>Some background.</p>" in render("paragraph", "<p>Some background.</p>")
    html = render("quote", raw("quote"))
    assert "<blockquote>" in html and "We will not be silenced." in html
    assert "<figcaption>A defender</figcaption>" in html


@pytest.mark.django_db
def test_image_renders_with_its_alt_text():
    image = Image.objects.create(title="Protest", file=get_test_image_file())
    html = render(
        "image", {"image": image.pk, "alt_text": "Protesters in Kazan", "decorative": False}
    )
    assert 'alt="Protesters in Kazan"' in html
    assert "<figure" in html


def test_text_is_escaped_not_interpreted():
    value = raw("quote") | {"quote": "<script>alert(1)</script>"}
    html = render("quote", value)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("number", ["+7 495 644 2203", "(020) 7413 5500", "+33.1.53.38.65.65"])
def test_phone_numbers_are_accepted(number):
    block = BODY.child_blocks["recipient"]
    block.clean(block.to_python(recipient_value(phone=number, fax=number)))


@pytest.mark.parametrize("number", ["call the ministry", "<b>1</b>", "12"])
def test_a_phone_number_that_is_not_one_is_refused_with_a_message(number):
    block = BODY.child_blocks["recipient"]
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(recipient_value(phone=number)))
    assert "phone" in str(error.value.block_errors).lower()


def test_a_block_missing_a_required_value_gets_a_validation_error():
    value = BODY.to_python([{"type": "recipient", "value": recipient_value(name="")}])
    with pytest.raises(StreamBlockValidationError):
        BODY.clean(value)


def test_a_case_has_at_most_one_appeal():
    appeal = raw("appeal")
    value = BODY.to_python(
        [{"type": "appeal", "value": appeal}, {"type": "appeal", "value": appeal}]
    )
    with pytest.raises(StreamBlockValidationError):
        BODY.clean(value)
