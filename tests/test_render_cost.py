"""What an uncached case page and a signature cost: queries counted, templates not rendered
twice, and nothing remembered that differs between visitors.

Counts, never timings: they are the same on every machine. ``bench/profile_case_page.py``
measures the time.
"""

import re

import pytest
from django import forms
from django.test import Client
from django.test.signals import template_rendered
from django.utils import translation

from appeals.forms import CountrySelect, country_field_choices
from tests.builders import post_signature, sign_data
from tests.site.conftest import demo, demo_site  # noqa: F401 (the demo, for its languages)

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "es", "ru", "ar", "fa"]
SEED_CASE = "/{language}/cases/igor-kalyapin/"


@pytest.fixture
def visitor(demo):  # noqa: F811
    return Client(headers={"host": f"{demo.site.hostname}:{demo.site.port}"})


# The country list: 250 options, the same for every visitor in a language.


@pytest.fixture
def rendered_templates():
    names = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


HIDDEN_INPUT = ["hidden", "input", "attrs"]  # Django's templates of a hidden input


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_form_widgets_are_rendered_through_templates_once_per_process(
    visitor, rendered_templates, language
):
    url = SEED_CASE.format(language=language)
    visitor.get(url)
    rendered_templates.clear()
    html = visitor.get(url).content.decode()
    assert 'name="country"' in html
    widget_templates = {name for name in rendered_templates if "forms/widgets" in name}
    # The hidden render time differs on every page: it alone is rendered afresh.
    assert widget_templates == {f"django/forms/widgets/{name}.html" for name in HIDDEN_INPUT}
    assert "appeals/includes/signature_form.html" in rendered_templates


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("value", [None, "", "FR", "TD", "XX", ["FR", "DE"], '"><script>'])
def test_the_country_list_is_djangos_select_to_the_byte(language, value):
    attrs = {"id": "id_country", "required": True, "aria-describedby": 'id_country_error "x"'}
    with translation.override(language):
        ours = CountrySelect(attrs={"aria-invalid": "true"}).render("country", value, attrs)
        djangos = forms.Select(choices=country_field_choices(), attrs={"aria-invalid": "true"})
        assert ours == djangos.render("country", value, attrs)


def selected_options(html):
    select = html[html.index('<select name="country"') : html.index("</select>")]
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_a_blank_form_selects_the_prompt_alone(client, tree):
    assert selected_options(client.get(tree.case.url).content.decode()) == [""]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_form_sent_back_with_an_error_keeps_the_chosen_country_selected_once(
    client, appeal, language
):
    data = sign_data(name="", country="TD", city="N'Djamena", message="Free them.")
    response = post_signature(client, appeal, data, language)
    assert response.status_code == 400
    html = response.content.decode()
    assert selected_options(html) == ["TD"]
    assert 'value="N&#x27;Djamena"' in html and "Free them.</textarea>" in html
    assert "checked" in re.search(r'<input type="checkbox" name="consent"[^>]*>', html).group()


def test_what_one_visitor_typed_never_reaches_the_next_visitors_form(client, appeal, tree):
    data = sign_data(name="", email="eve@example.org", country="TD", city="Abéché")
    post_signature(client, appeal, data)
    html = Client().get(tree.case.url).content.decode()
    assert "eve@example.org" not in html and "Abéché" not in html
    assert selected_options(html) == [""]
    assert "checked" not in html[html.index("signature-form") :]
