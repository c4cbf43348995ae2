"""``load_demo`` builds the seed case in five languages, once, beside whatever is there."""

import io
import re

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision, Site
from wagtail_localize.models import StringTranslation, Translation

from appeals.models import AppealsSettings, CasePage, Status
from home.models import HomePage, StandardPage

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LANGUAGES = ["en", "fr", "es", "ru", "ar"]


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live", "url_path")),
        "revisions": Revision.objects.count(),
        "statuses": Status.objects.count(),
        "translations": Translation.objects.count(),
        "strings": StringTranslation.objects.count(),
        "sites": list(Site.objects.values_list("pk", "hostname", "port", "root_page_id")),
        "appeals_settings": list(
            AppealsSettings.objects.values_list("site_id", "privacy_page_id", "consent_version")
        ),
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
    assert password not in second.getvalue()


def test_load_demo_brings_a_demo_loaded_earlier_up_to_date_with_its_catalogue(
    client, demo, django_capture_on_commit_callbacks
):
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

    # wagtail-localize publishes a translation once its transaction commits: the page
    # cache then forgets the case.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    html = client.get("/fr/cases/igor-kalyapin/").content.decode()
    assert "président du CPT" in html and "Président du CPT" not in html


# The privacy notice: what a signer is told before ticking the consent box.


def privacy_pages():
    from home.demo.tree import demo_key

    return StandardPage.objects.filter(translation_key=demo_key("privacy"))


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("en", "Privacy notice", "Your e-mail address and your IP address never reach"),
        ("fr", "Politique de confidentialité", "Votre adresse e-mail et votre adresse IP"),
        ("es", "Política de privacidad", "Su dirección de correo electrónico y su dirección IP"),
        ("ru", "Политика конфиденциальности", "Ваш адрес электронной почты и Ваш IP-адрес"),
        ("ar", "إشعار الخصوصية", "عنوان بريدك الإلكتروني وعنوان IP"),
    ],
)
def test_the_privacy_notice_is_live_in_every_content_language(client, language, title, text):
    response = client.get(f"/{language}/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert text in html
    assert "privacy@appeals.example" in html
    page = privacy_pages().get(locale__language_code=language)
    assert page.live


def test_the_privacy_notice_says_how_long_an_unconfirmed_signature_is_kept(client):
    from appeals.conf import appeals_conf

    days = appeals_conf.CONFIRMATION_MAX_AGE.days
    assert days == 7
    html = client.get("/en/privacy/").content.decode()
    assert "deleted when its link expires, seven days after you signed" in html
    assert "kept until the appeal is delivered and closed" in html


def test_the_privacy_notice_is_translated_through_wagtail_localize(demo):
    english = privacy_pages().get(locale=demo.english)
    for page in privacy_pages().exclude(pk=english.pk):
        assert Translation.objects.filter(
            source__object_id=english.translation_key, target_locale=page.locale
        ).exists()
    assert privacy_pages().count() == len(LANGUAGES)


def test_the_demo_site_links_its_privacy_notice(demo):
    settings = AppealsSettings.objects.get(site=demo.site)
    assert settings.privacy_page_id == privacy_pages().get(locale=demo.english).pk


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_consent_box_links_to_the_privacy_notice_in_the_visitors_language(client, language):
    html = client.get(f"/{language}/cases/igor-kalyapin/").content.decode()
    assert f'<a href="/{language}/privacy/">' in html


def test_an_editors_choice_of_privacy_notice_is_kept(demo):
    other = demo.home.add_child(instance=Page(title="Our notice", slug="our-notice"))
    AppealsSettings.objects.filter(site=demo.site).update(privacy_page=other)
    call_command("load_demo", stdout=io.StringIO())
    assert AppealsSettings.objects.get(site=demo.site).privacy_page_id == other.pk


# The newcomer's demo: where it is served, how to sign in, and a clean tree.


def test_load_demo_names_the_site_the_admin_and_the_account(demo, monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    text = "\n".join(lines[-3:])
    assert "http://127.0.0.1:8123/" in text
    assert "http://127.0.0.1:8123/admin/" in text
    assert "'admin'" in text
    # The account exists already: the summary says where its password is, never the password.
    assert "DEMO_ADMIN_PASSWORD" in text


def test_a_new_account_is_named_with_its_password_in_the_summary(demo, monkeypatch):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="admin").delete()
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    password = re.search(r"password '([^']+)'", out.getvalue()).group(1)
    assert "http://127.0.0.1:" in out.getvalue().splitlines()[-2]
    assert f"user 'admin', password '{password}'" in out.getvalue().splitlines()[-1]


def test_the_demo_site_follows_port(demo, monkeypatch, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.test import Client

    from tests.builders import LINK, post_signature

    monkeypatch.setenv("PORT", "8123")
    call_command("load_demo", stdout=io.StringIO())
    site = Site.objects.get(pk=demo.site.pk)
    assert site.root_url == "http://127.0.0.1:8123"

    (block,) = demo.case.get_appeal_blocks()
    appeal = demo.case.get_appeal(block.id)
    visitor = Client(headers={"host": "127.0.0.1:8123"})
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signature(visitor, appeal, language="fr", origin="http://127.0.0.1:8123")
    assert response.status_code == 302  # to the thank-you page
    (email,) = mail.outbox
    link = LINK.search(email.body).group(0)
    assert link.startswith("http://127.0.0.1:8123/fr/appeals/confirm/?token=")


def test_the_welcome_placeholder_is_removed(demo):
    root = Page.get_first_root_node()
    welcome = root.add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home", live=True)
    )
    call_command("load_demo", stdout=io.StringIO())
    assert not Page.objects.filter(pk=welcome.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Our organisation"},
        {"slug": "our-home"},
        "child",
        "site root",
        "edited",
    ],
    ids=["retitled", "renamed", "with a child", "a site's root", "edited"],
)
def test_a_welcome_page_someone_changed_is_kept(demo, change):
    root = Page.get_first_root_node()
    welcome = root.add_child(
        instance=Page(title="Welcome to your new Wagtail site!", slug="home", live=True)
    )
    if change == "child":
        welcome.add_child(instance=Page(title="About us", slug="about"))
    elif change == "site root":
        Site.objects.create(hostname="ours.example", port=80, root_page=welcome)
    elif change == "edited":
        welcome.save_revision()
    else:
        Page.objects.filter(pk=welcome.pk).update(**change)
    call_command("load_demo", stdout=io.StringIO())
    assert Page.objects.filter(pk=welcome.pk).exists()


def test_the_demo_tree_has_no_welcome_placeholder(demo):
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_the_demo_has_an_editor_a_translator_and_a_campaign_manager(demo, monkeypatch):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    team = ["demo-editor", "demo-translator", "demo-manager"]
    User.objects.filter(username__in=["admin", *team]).delete()
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    password = re.search(r"password '([^']+)'", out.getvalue()).group(1)
    groups = dict(zip(team, ["Editors", "Translators", "Campaign managers"], strict=True))
    for name, group in groups.items():
        user = User.objects.get(username=name)
        assert user.check_password(password) and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [group]
    assert "'demo-editor', 'demo-translator', 'demo-manager'" in out.getvalue()
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert password not in again.getvalue()
