"""The letter alone, to print and post: in the visitor's language or the recipient's, laid
out for a window envelope, with no navigation, form or script, and the same for everyone."""

import re
from pathlib import Path

import pytest
from django.test import Client

from appeals.models import Appeal
from tests.builders import make_signature, set_appeal_option
from tests.site.conftest import appeal as seed_appeal  # noqa: F401
from tests.site.conftest import demo, demo_site  # noqa: F401

pytestmark = pytest.mark.django_db

SEED_CASE = "/{language}/cases/igor-kalyapin/"
STATIC = Path(__file__).resolve().parents[1] / "appeals" / "static" / "appeals"


@pytest.fixture
def visitor(demo):  # noqa: F811
    return Client(headers={"host": f"{demo.site.hostname}:{demo.site.port}"})


def letter_url(appeal, language, recipients=False):
    return f"/{language}/appeals/{appeal.public_id}/letter/" + ("recipient/" if recipients else "")


def sheet(html):
    return re.search(r'<main class="sheet".*?</main>', html, re.S).group()


def test_the_case_page_links_to_its_letter_to_print(visitor, seed_appeal):  # noqa: F811
    html = visitor.get(SEED_CASE.format(language="fr")).content.decode()
    assert f'<a href="{letter_url(seed_appeal, "fr")}">Imprimer cette lettre</a>' in html


def test_the_french_letter_to_print(visitor, seed_appeal):  # noqa: F811
    response = visitor.get(letter_url(seed_appeal, "fr"))
    assert response.status_code == 200
    html = response.content.decode()
    letter = sheet(html)
    assert letter.startswith('<main class="sheet" lang="fr" dir="ltr">')
    assert '<address class="window-address"><span>Ministre Sergueï Lavrov</span>' in letter
    assert "Excellence," in letter and "Le 16 mars 2016" in letter
    # The date and the lines to fill in, in the letter's language.
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\d\">\d{1,2} \w+ \d{4}</time>", letter)
    assert [line in letter for line in (">Signature<", ">Nom<", ">Adresse<")] == [True] * 3
    assert "[Votre nom]" not in letter
    # The choice of letters, as links; the current one marked.
    assert '<strong aria-current="page">La lettre en français</strong>' in html
    recipients = letter_url(seed_appeal, "fr", recipients=True)
    assert f'<a href="{recipients}" hreflang="ru">La lettre telle que la lit' in html


def test_the_russian_letter_to_print_from_the_arabic_page(visitor, seed_appeal):  # noqa: F811
    html = visitor.get(letter_url(seed_appeal, "ar", recipients=True)).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    letter = sheet(html)
    assert letter.startswith('<main class="sheet" lang="ru" dir="ltr">')
    assert "Сергей Лавров" in letter and "Ваше превосходительство!" in letter
    assert re.search(r"<time[^>]*>\d{1,2} \w+ \d{4}\s*г\.</time>", letter), letter[:600]
    assert ">Подпись<" in letter and ">Имя<" in letter


def test_the_arabic_letter_reads_right_to_left(visitor, seed_appeal):  # noqa: F811
    letter = sheet(visitor.get(letter_url(seed_appeal, "ar")).content.decode())
    assert letter.startswith('<main class="sheet" lang="ar" dir="rtl">')
    assert "سيرغي لافروف" in letter and ">التوقيع<" in letter


def test_a_persian_visitor_prints_the_english_letter_of_their_page(visitor, seed_appeal):  # noqa: F811
    html = visitor.get(letter_url(seed_appeal, "fa")).content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert sheet(html).startswith('<main class="sheet" lang="en" dir="ltr">')
    assert f'href="{letter_url(seed_appeal, "fa", recipients=True)}" hreflang="ru"' in html
    assert f'<a href="{SEED_CASE.format(language="fa")}#appeal">' in html


def test_the_print_page_leads_back_to_the_case(visitor, seed_appeal):  # noqa: F811
    html = visitor.get(letter_url(seed_appeal, "ar", recipients=True)).content.decode()
    assert f'<a href="{SEED_CASE.format(language="ar")}#appeal">' in html


def test_the_russian_page_offers_one_letter_alone(visitor, seed_appeal):  # noqa: F811
    html = visitor.get(letter_url(seed_appeal, "ru")).content.decode()
    assert 'class="letter-choices"' not in html
    assert sheet(html).startswith('<main class="sheet" lang="ru"')


@pytest.mark.parametrize("recipients", [False, True])
def test_the_print_page_has_no_form_navigation_or_script(visitor, seed_appeal, recipients):  # noqa: F811
    html = visitor.get(letter_url(seed_appeal, "fr", recipients)).content.decode()
    for tag in ("<form", "<nav", "<script", "<input", "<button", "style="):
        assert tag not in html, tag
    assert 'class="skip-link"' not in html and "language-switcher" not in html


def test_the_print_page_holds_no_signers_name_and_may_be_cached(visitor, seed_appeal):  # noqa: F811
    make_signature(seed_appeal, name="Secret Signer", city="Hiddenville", show_publicly=True)
    response = visitor.get(letter_url(seed_appeal, "fr"))
    html = response.content.decode()
    assert "Secret Signer" not in html and "Hiddenville" not in html
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    assert not response.cookies


def test_a_visitor_with_a_cookie_gets_a_private_copy(visitor, seed_appeal):  # noqa: F811
    visitor.cookies["sessionid"] = "x"
    response = visitor.get(letter_url(seed_appeal, "fr"))
    assert response.status_code == 200 and "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "public_id", ["AAAAAAAAAAAAAAAAAAAAAA", "x", "..%2F..", "a" * 300, "'\"><script>"]
)
def test_an_unknown_appeal_is_not_found_in_the_visitors_language(visitor, public_id):
    for suffix in ("", "recipient/"):
        response = visitor.get(f"/fr/appeals/{public_id}/letter/{suffix}")
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="fr"' in html and "<script>" not in html


def test_a_broken_address_is_a_bad_request_not_an_error(visitor):
    assert visitor.get("/fr/appeals/%00/letter/").status_code == 400


def test_a_post_is_refused(visitor, seed_appeal):  # noqa: F811
    assert visitor.post(letter_url(seed_appeal, "fr")).status_code == 405


def test_an_unpublished_case_has_no_letter_to_print(client, tree):
    tree.case.unpublish()
    tree.french_case.unpublish()
    assert client.get(letter_url(tree.appeal, "en")).status_code == 404


def test_a_closed_appeal_prints_without_inviting_signatures(client, tree):
    set_appeal_option(tree.case, closed=True)
    appeal = Appeal.objects.get(pk=tree.appeal.pk)
    html = client.get(letter_url(appeal, "en")).content.decode()
    assert "[Your name]" not in html and "Dear Prosecutor," in html
    case = client.get(tree.case.url).content.decode()
    assert "to sign and post it yourself" not in case and "Print this letter" in case


def test_the_letter_is_laid_out_for_an_a4_window_envelope():
    css = (STATIC / "letter_print.css").read_text()
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:", css)
    assert "inline-size: 85mm; block-size: 45mm;" in css and "margin-block: 25mm" in css


def test_a_printed_case_page_hides_the_form_and_the_buttons():
    css = (STATIC / "appeals.css").read_text()
    printed = css[css.index("@media print") :]
    for selector in (".signature-form", ".appeal-print", ".jump-to-appeal", ".appeal-mailto"):
        assert selector in printed
