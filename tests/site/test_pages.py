"""The home page, the case list and the site's URLs, in each language."""

import pytest
from wagtail.models import Locale

from appeals.models import Status
from tests.builders import make_case

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_open_cases_in_the_visitors_language(client):
    html = client.get("/fr/").content.decode()
    assert "Agissez pour Igor Kalyapin" in html
    assert "Take action for Igor Kalyapin" not in html


def test_a_closed_case_is_not_listed_on_the_home_page(client, demo):
    released = Status.objects.get(slug="released", locale=demo.english)
    make_case(demo.index, title="Free Oleg Orlov", status=released)
    make_case(demo.index, title="Free Anna Ivanova", status=demo.status)
    html = client.get("/en/").content.decode()
    assert "Free Anna Ivanova" in html
    assert "Free Oleg Orlov" not in html


def test_a_case_not_translated_yet_is_listed_in_every_language(client, demo):
    make_case(demo.index, title="Free Anna Ivanova")
    for language in ("fr", "ar"):
        assert "Free Anna Ivanova" in client.get(f"/{language}/").content.decode()
        cases = client.get(f"/{language}/cases/").content.decode()
        assert '<li class="case-card" lang="en" dir="ltr">' in cases


def test_the_case_list_filters_by_status(client, demo):
    make_case(demo.index, title="Free Anna Ivanova", status=demo.status)
    everything = client.get("/en/cases/").content.decode()
    detained = client.get("/en/cases/?status=detained").content.decode()
    assert "Free Anna Ivanova" in everything and "Take action for Igor Kalyapin" in everything
    assert "Free Anna Ivanova" in detained and "Take action for Igor Kalyapin" not in detained


def test_the_status_filter_is_offered_in_the_page_language(client):
    html = client.get("/ru/cases/").content.decode()
    assert '<option value="administrative-charges"' in html
    assert "Административное преследование" in html


def test_an_unknown_status_filter_lists_nothing_rather_than_failing(client):
    response = client.get("/en/cases/?status=%3Cscript%3E")
    assert response.status_code == 200
    assert "Take action for Igor Kalyapin" not in response.content.decode()


def test_a_nul_in_the_status_filter_is_a_bad_request(client):
    # website.middleware.RequestGuardMiddleware answers before the page is served.
    assert client.get("/en/cases/?status=%00%3Cscript%3E").status_code == 400


def test_the_case_page_links_its_translations(client, demo):
    html = client.get("/en/cases/igor-kalyapin/").content.decode()
    for language in ("fr", "es", "ru", "ar"):
        url = demo.case.get_translation(Locale.objects.get(language_code=language)).full_url
        assert url.endswith(f"/{language}/cases/igor-kalyapin/")
        assert f'hreflang="{language}" href="{url}"' in html


def test_the_root_redirects_to_a_language(client):
    response = client.get("/", headers={"accept-language": "ru"})
    assert response.status_code == 302
    assert response.url == "/ru/"


def test_an_unknown_page_is_a_404(client):
    assert client.get("/fr/cases/nobody/").status_code == 404


def test_the_api_and_admin_have_no_language_prefix(client):
    assert client.get("/api/v3/nothing-here/").status_code == 404
    assert client.get("/admin/").status_code == 302  # to the admin login, not to /en/admin/
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_the_case_timeline_shows_the_translated_update(client):
    html = client.get("/es/cases/igor-kalyapin/").content.decode()
    assert '<time datetime="2016-03-16">16 de marzo de 2016</time>' in html


def test_every_content_language_has_a_locale(demo):
    assert set(Locale.objects.values_list("language_code", flat=True)) >= {
        "en",
        "fr",
        "es",
        "ru",
        "ar",
    }
