"""``load_demo`` builds the seed case in five languages, once, beside whatever is there."""

import io
import re

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site
from wagtail_localize.models import StringTranslation, Translation

from appeals.models import CasePage, Status
from home.models import HomePage

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LANGUAGES = ["en", "fr", "es", "ru", "ar"]


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live", "url_path")),
        "revisions": Revision.objects.count(),
        "statuses": Status.objects.count(),
        "translations": Translation.objects.count(),
        "strings": StringTranslation.objects.count(),
        "sites": list(Site.objects.values_list("pk", "root_page_id")),
    }


def test_running_load_demo_again_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_seed_case_is_served_in_each_language(client, language):
    response = client.get(f"/{language}/cases/igor-kalyapin/")
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "J’exhorte les autorités russes à"),
        ("ru", "Игорь Каляпин"),
        ("ar", "إيغور كاليابين"),
        ("es", "Serguéi Lavrov"),
    ],
)
def test_the_translations_are_the_demo_translations(client, language, text):
    html = client.get(f"/{language}/cases/igor-kalyapin/").content.decode()
    assert text in html


def test_every_translation_was_made_through_wagtail_localize(demo):
    english = CasePage.objects.get(locale__language_code="en", slug="igor-kalyapin")
    translated = CasePage.objects.filter(translation_key=english.translation_key).exclude(
        pk=english.pk
    )
    assert sorted(page.locale.language_code for page in translated) == ["ar", "es", "fr", "ru"]
    for page in translated:
        assert Translation.objects.filter(
            source__object_id=english.translation_key, target_locale=page.locale
        ).exists()
        assert page.live


def test_load_demo_adds_the_demo_beside_other_pages(demo, django_capture_on_commit_callbacks):
    # A database with a site of its own and no demo yet.
    root = Page.get_first_root_node()
    other = root.add_child(instance=Page(title="Our own site", slug="ours"))
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()
    for home in HomePage.objects.all():
        home.delete()
    Status.objects.all().delete()
    other_before = Page.objects.filter(pk=other.pk).values().get()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())

    assert Page.objects.filter(pk=other.pk).values().get() == other_before
    assert Site.objects.get(pk=site.pk).root_page_id == other.pk
    assert CasePage.objects.live().filter(translation_key=demo.case.translation_key).count() == 5


def test_the_admin_password_comes_from_the_environment(demo, monkeypatch):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="admin").delete()
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a long demo password")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "a long demo password" not in out.getvalue()
    assert get_user_model().objects.get(username="admin").check_password("a long demo password")


def test_a_generated_admin_password_is_printed_once(demo, monkeypatch):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="admin").delete()
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    first, second = io.StringIO(), io.StringIO()
    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)
    password = re.search(r"password '([^']+)'", first.getvalue()).group(1)
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert "password" not in second.getvalue()


def test_load_demo_brings_a_demo_loaded_earlier_up_to_date_with_its_catalogue(client, demo):
    from wagtail.models import Locale
    from wagtail_localize.models import String, TranslationSource

    french = Locale.objects.get(language_code="fr")
    source = TranslationSource.objects.get_for_instance(demo.case)
    translation = Translation.objects.get(source=source, target_locale=french)
    role = String.objects.get(data="Chairman of the CPT and head of the JMG")
    StringTranslation.objects.filter(translation_of=role, locale=french).update(
        data="Président du CPT et chef du JMG"  # as an earlier catalogue had it
    )
    translation.save_target(publish=True)
    assert "Président du CPT" in client.get("/fr/cases/igor-kalyapin/").content.decode()

    call_command("load_demo", stdout=io.StringIO())
    html = client.get("/fr/cases/igor-kalyapin/").content.decode()
    assert "président du CPT" in html and "Président du CPT" not in html
