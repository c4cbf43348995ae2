"""A NUL, a control character or a broken byte sequence in the URL is a 400, before any view."""

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

BAD_URLS = [
    "/api/v3/pages/?search=%00",
    "/api/v3/pages/?locale=fr%00",
    "/api/v3/pages/?search=%1b",
    "/api/v3/pages/?search=%ff",  # not UTF-8
    "/en/?q=%c3%28",  # a broken two-byte sequence
    "/en/%00/",
    "/en/cases/%07/",
    "/admin/%00/",
    "/api/v3/appeals/%00/",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_control_character_or_broken_sequence_in_the_url_is_a_400(client, tree, url):
    response = client.get(url)
    assert response.status_code == 400


def test_a_path_that_is_not_utf8_is_a_400(client, tree):
    # The test client escapes the byte again; a WSGI server hands it over as
    # ISO-8859-1 text, as here.
    response = client.get("/en/x/", PATH_INFO="/en/\xff/")
    assert response.status_code == 400


MESSAGE = "This address holds characters that no link contains."


def french(message):
    with translation.override("fr"):
        translated = translation.gettext(message)
    assert translated != message
    return translated


def test_the_400_page_is_in_the_visitors_language(client, tree):
    response = client.get("/en/?q=%00", headers={"accept-language": "fr"})
    assert french(MESSAGE) not in response.content.decode()  # the prefix says English
    response = client.get("/fr/?q=%00")
    assert french(MESSAGE) in response.content.decode()
    assert '<html lang="fr"' in response.content.decode()


def test_the_api_answers_its_400_in_json_in_the_visitors_language(client, tree):
    response = client.get("/api/v3/pages/?search=%00", headers={"accept-language": "fr"})
    assert response.status_code == 400
    assert response.json() == {"message": french(MESSAGE)}


@pytest.mark.parametrize(
    "url",
    ["/api/v3/pages/?search=caf%C3%A9", "/en/?q=%E2%80%94+dash", "/api/v3/pages/?search=a+b"],
)
def test_ordinary_urls_pass(client, tree, url):
    assert client.get(url).status_code == 200
