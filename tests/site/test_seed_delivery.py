"""The seed case delivered in Russian, its recipient's language: its letter addressed to its
one recipient, who has neither an e-mail address nor a fax number."""

import uuid

import pytest
from django.test import TestCase
from django.utils import timezone

from appeals import delivering
from appeals.admin.delivery_forms import PrepareForm
from appeals.delivery import recipients
from tests.test_deliveries import needs_pdftotext, pdf_text, signatures

pytestmark = pytest.mark.django_db


def deliver(appeal, language):
    (recipient,) = recipients(appeal.get_source_page())
    with TestCase.captureOnCommitCallbacks(execute=True):  # the PDF's task
        made = delivering.prepare(
            appeal,
            recipient_key=recipient.key,
            language=language,
            method="post",
            cut_off=timezone.now(),
            user=None,
            token=uuid.uuid4(),
        )
    return made.delivery


def test_the_seed_case_is_delivered_in_russian_to_its_minister(demo, appeal):
    signatures(appeal, 3, country="DE")
    delivery = deliver(appeal, "ru")
    assert (delivery.letter_language, delivery.recipient_name) == ("ru", "Minister Sergei Lavrov")
    html = delivery.file("html").data.decode()
    letter = html[html.index("<article") : html.index("</article>")]
    assert 'lang="ru"' in letter
    assert "Сергей Лавров" in letter and "Ваше превосходительство!" in letter
    assert "Копии" not in letter  # the seed case names one recipient: no copies
    assert "[Ваше имя]" not in letter
    assert "Германия" in html and "data-fell-back" not in html


def test_the_seed_recipient_is_offered_print_delivery_only(demo, appeal):
    form = PrepareForm(appeal, appeal.get_source_page())
    assert [value for value, _label in form.fields["method"].choices] == ["post", "in-person"]


@pytest.mark.slow
@needs_pdftotext
def test_the_seed_pack_in_russian_reads_as_cyrillic(demo, appeal, tmp_path):
    signatures(appeal, 2, country="RU")
    text = pdf_text(deliver(appeal, "ru").file("pdf").data, tmp_path)
    assert "Ваше превосходительство!" in text
    assert "Россия" in text
