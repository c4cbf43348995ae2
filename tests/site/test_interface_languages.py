"""Languages of the interface only (Persian): switched to and from like any other, and the
untranslated text on their pages marked with its own language and direction."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

pytestmark = pytest.mark.django_db

CASE = "/cases/igor-kalyapin/"
EVERY_LANGUAGE = ["en", "fr", "es", "ru", "ar", "fa"]


def soup(client, path):
    response = client.get(path)
    return BeautifulSoup(response.content.decode(), "html.parser")


def switcher(page):
    return page.find("nav", class_="language-switcher")


def nearest(element, attribute):
    """The value of ``attribute`` on ``element`` or its nearest ancestor that has it."""
    for node in [element, *element.parents]:
        if getattr(node, "attrs", None) and attribute in node.attrs:
            return node[attribute]
    return None


def text_node(page, text):
    found = (page.body or page).find(string=lambda string: string and text in string)
    assert found is not None, text
    return found.parent


def assert_marked(page, text, language, direction):
    element = text_node(page, text)
    assert (nearest(element, "lang"), nearest(element, "dir")) == (language, direction), text


@pytest.mark.parametrize("path", ["/fa/", "/fa/cases/", f"/fa{CASE}"])
def test_the_persian_switcher_marks_persian_current(client, path):
    nav = switcher(soup(client, path))
    current = nav.find(attrs={"aria-current": True})
    assert current.get_text(strip=True) == "فارسی"
    assert current["lang"] == "fa"
    assert current.name != "a"


def test_the_persian_switcher_links_every_other_language_to_the_same_case(client):
    nav = switcher(soup(client, f"/fa{CASE}"))
    links = {link["hreflang"]: link["href"] for link in nav.find_all("a")}
    assert links == {code: f"/{code}{CASE}" for code in EVERY_LANGUAGE if code != "fa"}


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/en/cases/",
        f"/en{CASE}",
        f"/fr{CASE}",
        f"/ar{CASE}",
        "/ru/cases/",
        "/es/cases/nobody/",  # a 404
        "/en/appeals/confirm/?token=abc",  # a view of the plugin, not a page
    ],
)
def test_every_page_links_persian(client, path):
    nav = switcher(soup(client, path))
    persian = nav.find("a", hreflang="fa")
    assert persian is not None, path
    assert persian["href"].startswith("/fa/")
    assert persian["lang"] == "fa"
    assert persian.get_text(strip=True) == "فارسی"


def test_a_case_page_links_the_same_case_in_persian(client):
    nav = switcher(soup(client, f"/ru{CASE}"))
    assert nav.find("a", hreflang="fa")["href"] == f"/fa{CASE}"
    current = nav.find(attrs={"aria-current": True})
    assert current["lang"] == "ru"


def test_a_page_announces_its_persian_alternate(client):
    page = soup(client, f"/en{CASE}")
    alternate = page.find("link", rel="alternate", hreflang="fa")
    assert alternate["href"].endswith(f"/fa{CASE}")


def test_the_persian_home_page_marks_the_english_cases_as_english(client, demo):
    page = soup(client, "/fa/")
    assert page.html["lang"] == "fa"
    assert_marked(page, demo.home.title, "en", "ltr")
    assert_marked(page, demo.case.title, "en", "ltr")
    assert_marked(page, demo.case.summary, "en", "ltr")
    assert_marked(page, demo.case.status.name, "en", "ltr")


def test_the_persian_case_list_marks_titles_summaries_and_statuses(client, demo):
    page = soup(client, "/fa/cases/")
    card = page.find("li", class_="case-card")
    assert_marked(card, demo.case.title, "en", "ltr")
    assert_marked(card, demo.case.summary, "en", "ltr")
    assert_marked(card, demo.case.status.name, "en", "ltr")
    option = page.find("option", value=demo.case.status.slug)
    assert (nearest(option, "lang"), nearest(option, "dir")) == ("en", "ltr")


def test_the_persian_case_page_isolates_the_english_status_from_its_persian_label(client, demo):
    page = soup(client, f"/fa{CASE}")
    with translation.override("fa"):
        label = translation.gettext("Status:")
    assert label.endswith(":")  # the colon belongs after the label, in reading order
    label_element = text_node(page, label)
    assert (nearest(label_element, "lang"), nearest(label_element, "dir")) == ("fa", "rtl")
    status = text_node(page, demo.case.status.name)
    assert status.name == "bdi"
    assert (status["lang"], status["dir"]) == ("en", "ltr")
    # The line reads in the visitor's direction, the English name isolated inside it.
    assert nearest(status.parent, "dir") == "rtl"
    assert_marked(page, demo.case.title, "en", "ltr")
    assert_marked(page, demo.case.summary, "en", "ltr")


@pytest.fixture
def english_case_aliased_in_arabic(demo):
    """A new English case that Arabic visitors see as an alias until it is translated."""
    from wagtail.models import Locale

    from tests.builders import make_case

    case = make_case(demo.index, title="Free Anna Ivanova", status=demo.status)
    # Publishing the source mirrored it into Arabic (APPEALS_MIRROR_UNTRANSLATED_CASES).
    alias = case.get_translation(Locale.objects.get(language_code="ar"))
    assert alias.alias_of_id == case.id
    return alias


def test_arabic_lists_mark_an_english_case_as_english(client, demo, english_case_aliased_in_arabic):
    for path in ("/ar/", "/ar/cases/"):
        page = soup(client, path)
        assert page.html["dir"] == "rtl"
        assert_marked(page, "Free Anna Ivanova", "en", "ltr")


def test_arabic_case_page_marks_an_english_case_as_english(
    client, demo, english_case_aliased_in_arabic
):
    page = soup(client, english_case_aliased_in_arabic.url)
    assert_marked(page, "Free Anna Ivanova", "en", "ltr")
    with translation.override("ar"):
        label = translation.gettext("Status:")
    label_element = text_node(page, label)
    assert (nearest(label_element, "lang"), nearest(label_element, "dir")) == ("ar", "rtl")
    status = text_node(page, demo.status.name)
    assert (status.name, status["lang"], status["dir"]) == ("bdi", "en", "ltr")


def test_the_persian_case_page_marks_the_recipients_labels_as_persian(client):
    page = soup(client, f"/fa{CASE}")
    with translation.override("fa"):
        label = translation.gettext("Write to")
    heading = text_node(page, label)
    assert (nearest(heading, "lang"), nearest(heading, "dir")) == ("fa", "rtl")
