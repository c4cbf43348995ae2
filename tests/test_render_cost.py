"""What an uncached case page and a signature cost: queries counted, templates not rendered
twice, and nothing remembered that differs between visitors.

Counts, never timings: they are the same on every machine. ``bench/profile_case_page.py``
measures the time. The page cache is off: a page it keeps costs no query at all.
"""

import re
from collections import Counter

import pytest
from django import forms
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from appeals.forms import CountrySelect, country_field_choices
from appeals.models import Appeal, AppealsSettings, Signature
from tests.builders import (
    case_body,
    make_case,
    make_user,
    post_signature,
    recipient_value,
    sign_data,
    stream_block,
)
from tests.site.conftest import demo, demo_site  # noqa: F401 (the demo, for its languages)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Every page here is rendered afresh: what it costs uncached is what is counted."""
    settings.APPEALS_PAGE_CACHE = None


LANGUAGES = ["en", "fr", "es", "ru", "ar", "fa"]
SEED_CASE = "/{language}/cases/igor-kalyapin/"


def queries_of(client, url):
    client.get(url)  # what every request reads from the cache (Wagtail's site root paths)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def visitor(demo):  # noqa: F811
    return Client(headers={"host": f"{demo.site.hostname}:{demo.site.port}"})


# Queries: a fixed number, whatever the language, the blocks and the signatures.

# The page itself, its index, the home page, its status, locale and appeal, its updates,
# its translations (the language links), the privacy notice, and Wagtail's lookups of the
# site, the locale and the view restrictions. English and Persian (served from the English
# tree) have one fewer: Wagtail finds the English root without looking for a translation.
SEED_CASE_QUERIES = {"en": 12, "fr": 13, "es": 13, "ru": 13, "ar": 13, "fa": 12}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_seed_case_page_makes_a_fixed_number_of_queries(visitor, language):
    assert queries_of(visitor, SEED_CASE.format(language=language)) == SEED_CASE_QUERIES[language]


def test_the_case_page_costs_as_many_queries_more_than_a_text_page_in_every_language(visitor):
    """What the language changes is Wagtail's routing, which a text page pays as well."""
    extra = {
        language: queries_of(visitor, SEED_CASE.format(language=language))
        - queries_of(visitor, f"/{language}/privacy/")
        for language in LANGUAGES
    }
    assert set(extra.values()) == {3}, extra


def many_blocks():
    """Every kind of block, several times, with recipients who have e-mail addresses."""
    body = case_body()
    for number in range(8):
        body += [
            stream_block("paragraph", f"<p>Paragraph {number} with a <b>bold</b> word.</p>"),
            stream_block("quote", {"quote": f"Quote {number}", "attribution": "A defender"}),
            stream_block(
                "incident",
                {"date": "2024-05-02", "place": "Kazan", "narrative": f"<p>Event {number}.</p>"},
            ),
            stream_block("recipient", recipient_value(name=f"Copy {number}")),
            stream_block(
                "demands",
                {"introduction": "And:", "demands": [{"type": "item", "value": "More."}]},
            ),
        ]
    return body


def only_the_appeal():
    return [block for block in case_body() if block["type"] == "appeal"]


def test_a_case_of_one_block_and_a_case_of_forty_make_as_many_queries(client, tree):
    small = make_case(tree.index, title="One block", slug="one-block", body=only_the_appeal())
    large = make_case(tree.index, title="Many blocks", slug="many-blocks", body=many_blocks())
    assert len(large.body) > 40
    assert queries_of(client, small.url) == queries_of(client, large.url) == 10


def statements_of(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return Counter(statement(query["sql"]) for query in queries)


def test_the_case_page_differs_between_languages_by_wagtails_routing_alone(client, tree):
    """In French the page's mailto link carries the letter in English, the delivery
    language: the English page comes with the language links, in their one query. What
    French costs more is Wagtail's routing: the French root, and the aliased ancestors
    whose view restrictions it checks."""
    french_url = f"/fr/cases/{tree.case.slug}/"
    assert "mailto:office@example.org" in client.get(french_url).content.decode()
    french, english = statements_of(client, french_url), statements_of(client, tree.case.url)
    assert french - english == Counter({"SELECT wagtailcore_page": 3})
    assert not english - french


@pytest.mark.slow
def test_five_thousand_signatures_cost_no_query_more(visitor, demo):  # noqa: F811
    (block,) = demo.case.get_appeal_blocks()
    appeal = demo.case.get_appeal(block.id)
    before = {lang: queries_of(visitor, SEED_CASE.format(language=lang)) for lang in LANGUAGES}
    Signature.objects.bulk_create(
        Signature(
            appeal=appeal,
            language="en",
            name=f"Signer {number}",
            email=f"s{number}@example.org",
            email_key=f"s{number}@example.org",
            country="FR",
            consent_version="1",
            show_publicly=True,
            confirmed_at="2026-01-01T00:00:00Z",
        )
        for number in range(5000)
    )
    Appeal.objects.filter(pk=appeal.pk).update(signature_count=5000)
    after = {lang: queries_of(visitor, SEED_CASE.format(language=lang)) for lang in LANGUAGES}
    assert after == before == SEED_CASE_QUERIES
    assert (
        'data-signature-count="5000"'
        in visitor.get(SEED_CASE.format(language="ar")).content.decode()
    )


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


# Signing: the appeal and its page, the signature and its e-mail's task; nothing else.

SIGN_QUERIES_QUEUED = [
    "SELECT appeals_appeal",  # the appeal
    "SELECT appeals_casepage",  # its case page in the visitor's language, with its locale
    "INSERT appeals_signature",
    "INSERT django_tasks_database_dbtaskresult",  # the confirmation e-mail, queued
]


def statement(sql):
    """``SELECT table`` or ``INSERT table``: what a query does, and to what."""
    verb = sql.split()[0]
    table = re.search(r'(?:FROM|INTO) "([^"]+)"', sql)
    return f"{verb} {table.group(1) if table else ''}".strip()


def sign_statements(client, appeal, django_capture_on_commit_callbacks, email):
    with CaptureQueriesContext(connection) as queries:
        with django_capture_on_commit_callbacks(execute=True):
            response = post_signature(client, appeal, sign_data(email=email))
    assert response.status_code == 302
    return [statement(query["sql"]) for query in queries]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_signature_queued_for_its_email_makes_four_queries(
    client, appeal, django_capture_on_commit_callbacks
):
    sign_statements(client, appeal, django_capture_on_commit_callbacks, "warm@example.org")
    statements = sign_statements(client, appeal, django_capture_on_commit_callbacks, "m@x.org")
    assert [s for s in statements if s.split()[0] in {"SELECT", "INSERT", "UPDATE"}] == (
        SIGN_QUERIES_QUEUED
    )


def test_a_signature_asks_nothing_more_before_its_email_is_sent(
    client, appeal, django_capture_on_commit_callbacks
):
    """The immediate backend sends the e-mail on commit, in the request: the request's own
    work ends with the signature stored."""
    for email in ["warm@example.org", "n@x.org"]:
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                assert post_signature(client, appeal, sign_data(email=email)).status_code == 302
    assert [statement(query["sql"]) for query in queries] == SIGN_QUERIES_QUEUED[:3]
    assert len(callbacks) == 1  # the e-mail's task


def test_the_api_signs_without_looking_up_the_site_or_the_settings(
    client, appeal, django_capture_on_commit_callbacks
):
    import json

    from tests.builders import api_payload

    def statements(email):
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False):
                response = client.post(
                    f"/api/v3/appeals/{appeal.public_id}/signatures/?locale=fr",
                    json.dumps(api_payload(email=email)),
                    content_type="application/json",
                )
        assert response.status_code == 202
        return [statement(query["sql"]) for query in queries]

    statements("warm@example.org")
    assert statements("api@x.org") == SIGN_QUERIES_QUEUED[:3]


# The consent version: read from the cache, and a save in the admin shows at once.


def save_settings_in_the_admin(site, **values):
    admin = Client()
    admin.force_login(make_user("boss", superuser=True))
    url = reverse("wagtailsettings:edit", args=["appeals", "appealssettings", site.pk])
    response = admin.post(url, {"privacy_page": "", "consent_version": "1", **values})
    assert response.status_code == 302


def test_a_consent_version_saved_in_the_admin_applies_to_the_next_signature(
    client, appeal, tree, django_capture_on_commit_callbacks
):
    post_signature(client, appeal, sign_data(email="before@example.org"))
    save_settings_in_the_admin(tree.site, consent_version="2026-03")
    post_signature(client, appeal, sign_data(email="after@example.org"))
    versions = dict(Signature.objects.values_list("email", "consent_version"))
    assert versions == {"before@example.org": "1", "after@example.org": "2026-03"}


def test_deleted_settings_fall_back_to_the_defaults_at_once(client, appeal, tree):
    save_settings_in_the_admin(tree.site, consent_version="2026-03")
    assert AppealsSettings.for_page(tree.case).consent_version == "2026-03"
    AppealsSettings.objects.filter(site=tree.site).delete()
    assert AppealsSettings.for_page(tree.case).consent_version == "1"


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6390/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
)
def test_without_a_cache_the_settings_come_from_the_database(tree):
    AppealsSettings.objects.update_or_create(site=tree.site, defaults={"consent_version": "7"})
    assert AppealsSettings.cached_for_site(tree.site.pk).consent_version == "7"


def test_the_cached_settings_hold_no_page(tree):
    save_settings_in_the_admin(tree.site, privacy_page=str(tree.case.pk))
    AppealsSettings.cached_for_site(tree.site.pk)
    assert AppealsSettings.cached_for_site(tree.site.pk).privacy_page_id == tree.case.pk
    cached = cache.get(f"appeals:settings:{tree.site.pk}")
    assert set(cached) == {"id", "privacy_page_id", "consent_version"}


@pytest.mark.parametrize(("language", "notice"), [("fr", "/fr/privacy/"), ("ar", "/ar/privacy/")])
def test_the_privacy_notice_is_linked_in_the_visitors_language(visitor, language, notice):
    html = visitor.get(SEED_CASE.format(language=language)).content.decode()
    assert f'<a href="{notice}">' in html


def test_a_signature_form_posts_to_its_own_appeal(client, tree):
    other = make_case(tree.index, title="Another", slug="another")
    (block,) = other.get_appeal_blocks()
    other_appeal = other.get_appeal(block.id)
    first = client.get(tree.case.url).content.decode()
    second = client.get(other.url).content.decode()
    assert f"/appeals/{tree.appeal.public_id}/sign/" in first
    assert f"/appeals/{other_appeal.public_id}/sign/" in second
