"""The seed case's letter printed to PDF from Chromium, in French and in Arabic: on one or
two A4 pages, the recipient's address where a window envelope shows it."""

import re
import shutil
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.slow

CASE = "/{language}/cases/igor-kalyapin/"
PRINT_LINK = {"fr": "Imprimer cette lettre", "ar": "اطبع هذه الرسالة"}
# The first line of the address, and the letter's first words, in each language.
ADDRESSEE = {"fr": "Ministre Sergueï Lavrov", "ar": "سيرغي لافروف", "ru": "Сергей Лавров"}
FIRST_WORDS = {"fr": "Le 16 mars 2016", "ar": "2016", "ru": "16 марта 2016 года"}
MM = 72 / 25.4  # PDF points in a millimetre
A4_HEIGHT = 297 * MM


def print_page(open_page, language, *, recipients=False):
    """The print page, reached as a visitor reaches it: by the case page's link, and for
    the recipient's letter, by the print page's own link to it."""
    page = open_page(CASE.format(language=language), language=language, javascript=False)
    page.get_by_role("link", name=PRINT_LINK[language]).click()
    page.wait_for_url("**/letter/")
    if recipients:
        page.locator(".letter-choices a[hreflang=ru]").click()
        page.wait_for_url("**/letter/recipient/")
    return page


def pdf_of(page, path):
    page.emulate_media(media="print")
    path.write_bytes(page.pdf(format="A4"))
    return path


def page_count(path):
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)  # noqa: S603, S607
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))


def words_with_boxes(path):
    """Every word of the PDF's first page with its box (points from the top left corner)."""
    html = subprocess.run(  # noqa: S603
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],  # noqa: S607
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return [
        (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, html)
    ]


def pdf_text(path):
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.parametrize(("language", "recipients"), [("fr", False), ("ar", False), ("fr", True)])
def test_the_seed_letter_prints_on_a4_with_its_address_in_the_window(
    open_page, browser, tmp_path, language, recipients
):
    page = print_page(open_page, language, recipients=recipients)
    assert page.locator("form, nav, script").count() == 0
    results = Axe().run(twin(page, browser))
    assert results.violations_count == 0, results.generate_report()

    pdf = pdf_of(page, tmp_path / f"letter-{language}.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert page_count(pdf) in (1, 2)
    if not shutil.which("pdftotext"):
        return
    letter_language = "ru" if recipients else language
    text = pdf_text(pdf)
    assert "119200" in text
    assert FIRST_WORDS[letter_language] in text
    # Nothing of the screen's instructions is printed.
    assert PRINT_LINK[language] not in text
    if letter_language != "ar":  # pdftotext reorders right-to-left words: checked by position
        assert ADDRESSEE[letter_language] in text
    # The address's postcode sits in the window: 45 to 90 mm from the top, 20 to 105 mm
    # from the left edge.
    boxes = [box for box in words_with_boxes(pdf) if box[4] == "119200"]
    assert boxes, "the postcode is on the first page"
    x_min, y_min, x_max, y_max, _ = boxes[0]
    assert 45 * MM <= y_min and y_max <= 90 * MM, (y_min / MM, y_max / MM)
    assert 20 * MM <= x_min and x_max <= 105 * MM, (x_min / MM, x_max / MM)
    assert y_max < A4_HEIGHT


def twin(page, browser):
    """The page as it stands, in a context with scripts on (axe is a script), its own
    scripts (it has none) blocked."""
    html, url = page.content(), page.url
    context = browser.new_context(locale=page.language)
    copy = context.new_page()
    copy.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    copy.route("**/*.js", lambda route: route.abort())
    copy.goto(url)
    return copy
