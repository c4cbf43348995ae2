"""The translation-status report: each case in each language, how far, and whether it kept up."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import reverse
from wagtail.admin.menu import reports_menu
from wagtail.models import Locale
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation, TranslationSource

from appeals.translation_progress import TranslationState, with_progress
from tests.builders import FRENCH, make_case, make_signature, make_user, translate

pytestmark = pytest.mark.django_db

REPORT = "appeals_translation_status"
# Whatever the number of cases: the rows, their count, their pages and records, the locales,
# and what every admin page asks (session, user, permissions, menus).
MAX_QUERIES = 20


@pytest.fixture
def editor():
    return make_user("editor", groups=["Editors"])


@pytest.fixture
def translator():
    return make_user("translator", groups=["Translators"])


@pytest.fixture
def translated_case(tree, django_capture_on_commit_callbacks):
    """A case of its own, translated into French and published there."""
    case = make_case(tree.index, title="Free Oleg Petrov", slug="oleg-petrov")
    translate(case, "fr", FRENCH, capture=django_capture_on_commit_callbacks)
    return case


def report(client, user, **query):
    client.force_login(user)
    response = client.get(reverse(REPORT), query)
    assert response.status_code == 200
    return response


def row_of(response, case):
    return next(row for row in response.context["object_list"] if row.pk == case.pk)


def status_of(response, case, language="fr"):
    row = row_of(response, case)
    return next(found for found in row.translation_statuses if found.language.code == language)


def french_translation(case):
    source = TranslationSource.objects.get_for_instance(case)
    return Translation.objects.get(source=source, target_locale__language_code="fr")


def edit_and_publish(case):
    case.summary = "A defender detained for her work, now on trial."
    case.save_revision().publish()


def test_the_tree_case_is_translated_into_french_and_up_to_date(client, tree, editor):
    response = report(client, editor)

    english = status_of(response, tree.case, "en")
    french = status_of(response, tree.case, "fr")
    assert english.state == TranslationState.SOURCE
    assert french.state == TranslationState.CURRENT
    assert french.translated and french.published
    assert french.page.pk == tree.french_case.pk
    html = response.content.decode()
    assert 'data-language="fr" data-translation-state="current"' in html
    assert reverse("wagtailadmin_pages:edit", args=[tree.french_case.pk]) in html


def test_progress_is_wagtail_localizes_own(client, tree, editor, translated_case):
    response = report(client, editor)

    for case in (tree.case, translated_case):
        record = french_translation(case)
        total, translated = record.get_progress()
        assert status_of(response, case).progress == (total, translated)
        assert f'data-progress="{translated}/{total}"' in response.content.decode()
    # The tree's French leaves some strings in English: not everything is translated.
    total, translated = french_translation(tree.case).get_progress()
    assert 0 < translated < total


def test_progress_counted_in_bulk_is_get_progress(tree, translated_case):
    records = list(with_progress(Translation.objects.all()))

    assert len(records) >= 2
    for record in records:
        assert (record.total_segments, record.translated_segments) == record.get_progress()


def test_a_source_edited_and_published_is_out_of_date_until_synced(client, editor, translated_case):
    edit_and_publish(translated_case)

    response = report(client, editor)

    french = status_of(response, translated_case)
    assert french.state == TranslationState.SOURCE_CHANGED
    sync_url = reverse("wagtail_localize:update_translations", args=[french.source_id])
    assert f'href="{sync_url}?next=' in response.content.decode()


def test_a_synced_source_waits_for_its_translation_to_be_applied(
    client, editor, translated_case, django_capture_on_commit_callbacks
):
    edit_and_publish(translated_case)
    # What wagtail-localize's "Sync translated pages" does without "Publish immediately".
    TranslationSource.objects.get_for_instance(translated_case).update_from_db()

    assert status_of(report(client, editor), translated_case).state == (
        TranslationState.NOT_APPLIED
    )

    with django_capture_on_commit_callbacks(execute=True):
        french_translation(translated_case).save_target(publish=True)

    assert status_of(report(client, editor), translated_case).state == TranslationState.CURRENT


def test_the_sync_view_the_report_links_to_brings_it_back(
    client, editor, translated_case, django_capture_on_commit_callbacks
):
    edit_and_publish(translated_case)
    response = report(client, editor)
    french = status_of(response, translated_case)
    sync_url = reverse("wagtail_localize:update_translations", args=[french.source_id])
    back = reverse(REPORT)

    with django_capture_on_commit_callbacks(execute=True):
        synced = client.post(f"{sync_url}?next={back}", {"publish_translations": ""})

    assert synced.status_code == 302 and synced.url == back
    assert status_of(report(client, editor), translated_case).state == (
        TranslationState.NOT_APPLIED
    )


def test_a_new_case_mirrored_as_an_alias_is_not_translated_yet(client, tree, editor):
    case = make_case(tree.index, title="Free Maria Sokolova", slug="maria-sokolova")

    response = report(client, editor)

    french = status_of(response, case)
    assert french.state == TranslationState.NOT_YET
    assert french.page.alias_of_id == case.pk and not french.translated
    submit_url = reverse("wagtail_localize:submit_page_translation", args=[case.pk])
    assert f'href="{submit_url}?next=' in response.content.decode()
    # wagtail-localize's own form, offering French.
    submit = client.get(submit_url, {"next": reverse(REPORT)})
    assert submit.status_code == 200
    assert "Français" in submit.content.decode()


@override_settings(APPEALS_MIRROR_UNTRANSLATED_CASES=False)
def test_a_new_case_without_a_page_in_a_language_is_never_started(client, tree, editor):
    case = make_case(tree.index, title="Free Maria Sokolova", slug="maria-sokolova")

    response = report(client, editor)

    assert status_of(response, case).state == TranslationState.NEVER_STARTED
    assert status_of(response, case).page is None
    submit_url = reverse("wagtail_localize:submit_page_translation", args=[case.pk])
    assert f'href="{submit_url}?next=' in response.content.decode()


@override_settings(
    LANGUAGES=[("en", "English"), ("fr", "Français"), ("de", "Deutsch")],
    WAGTAIL_CONTENT_LANGUAGES=[("en", "English"), ("fr", "Français"), ("de", "Deutsch")],
)
def test_a_language_wagtail_has_no_locale_for_offers_nothing_to_start(client, tree, editor):
    assert not Locale.objects.filter(language_code="de").exists()

    response = report(client, editor)

    german = status_of(response, tree.case, "de")
    assert german.state == TranslationState.NEVER_STARTED
    assert german.language.locale_id is None
    assert "Start translation" not in response.content.decode()


def test_a_translation_started_but_not_published_says_so(
    client, tree, editor, django_capture_on_commit_callbacks
):
    case = make_case(tree.index, title="Free Maria Sokolova", slug="maria-sokolova")
    translate(case, "fr", FRENCH, capture=django_capture_on_commit_callbacks, publish=False)

    response = report(client, editor)

    french = status_of(response, case)
    assert french.state == TranslationState.CURRENT
    assert not french.published
    assert "not published yet" in response.content.decode()


def test_a_translation_no_longer_synced_is_not_kept_in_sync(client, editor, translated_case):
    record = french_translation(translated_case)
    record.enabled = False  # "Stop Synced translation"
    record.save()

    french = status_of(report(client, editor), translated_case)

    assert french.state == TranslationState.NOT_SYNCED
    assert french.translated and french.progress is None


def test_cases_filter_by_state_in_a_language_or_any(client, tree, editor, translated_case):
    edit_and_publish(translated_case)

    changed = report(client, editor, state="source_changed")
    current = report(client, editor, state="current", language="fr")
    never = report(client, editor, state="never_started", language="fr")

    assert [row.pk for row in changed.context["object_list"]] == [translated_case.pk]
    assert tree.case.pk in [row.pk for row in current.context["object_list"]]
    assert translated_case.pk not in [row.pk for row in current.context["object_list"]]
    assert [row.pk for row in never.context["object_list"]] == []


def test_a_language_chosen_shows_that_column_alone(client, tree, editor):
    response = report(client, editor, language="fr")

    (french,) = row_of(response, tree.case).translation_statuses
    assert french.language.code == "fr"
    html = response.content.decode()
    assert 'data-language="fr"' in html and 'data-language="es"' not in html


def test_a_case_is_found_by_its_title(client, tree, editor, translated_case):
    response = report(client, editor, q="Oleg")

    assert [row.pk for row in response.context["object_list"]] == [translated_case.pk]


@pytest.mark.parametrize(
    "query",
    [
        {"language": "xx"},
        {"state": "source"},
        {"state": "'; DROP TABLE wagtailcore_page; --"},
        {"ordering": "translation_key"},
        {"p": "999"},
        {"p": "-1"},
        {"q": "Lena" * 500},
    ],
)
def test_hostile_or_broken_queries_answer_with_the_report(client, tree, editor, query):
    client.force_login(editor)

    response = client.get(reverse(REPORT), query)

    assert response.status_code == 200


def test_translations_and_sources_are_not_rows(client, tree, editor):
    rows = [row.pk for row in report(client, editor).context["object_list"]]

    assert tree.case.pk in rows
    assert tree.french_case.pk not in rows


def test_the_results_alone_answer_the_listings_own_refresh(client, tree, editor):
    client.force_login(editor)

    response = client.get(reverse("appeals_translation_status_results"), {"language": "fr"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-translation-state="current"' in html and "<html" not in html


def test_the_report_costs_the_same_queries_for_one_case_or_several(
    client, tree, editor, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    for number in range(5):
        case = make_case(tree.index, title=f"Free case {number}", slug=f"case-{number}")
        if number % 2:
            translate(case, "fr", FRENCH, capture=django_capture_on_commit_callbacks)
    edit_and_publish(case)
    client.force_login(editor)
    client.get(reverse(REPORT))  # what a first admin page caches

    with django_assert_max_num_queries(MAX_QUERIES) as one:
        response = client.get(reverse(REPORT), {"q": tree.case.title})
    assert len(response.context["object_list"]) == 1
    with django_assert_max_num_queries(MAX_QUERIES) as several:
        response = client.get(reverse(REPORT))
    assert len(response.context["object_list"]) >= 6

    assert len(several) == len(one)


def test_editors_and_translators_see_the_report_in_the_reports_menu(rf, tree, editor, translator):
    for user in (editor, translator):
        request = rf.get("/admin/")
        request.user = user
        names = [item.name for item in reports_menu.menu_items_for_request(request)]
        assert "translation-status" in names


def test_translators_may_start_and_sync_from_the_report(client, tree, translator):
    case = make_case(tree.index, title="Free Maria Sokolova", slug="maria-sokolova")

    response = report(client, translator)

    assert status_of(response, tree.case).state == TranslationState.CURRENT
    submit_url = reverse("wagtail_localize:submit_page_translation", args=[case.pk])
    assert f'href="{submit_url}?next=' in response.content.decode()


def test_without_the_right_to_submit_translations_no_link_starts_one(client, tree):
    group = Group.objects.create(name="Page editors only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    group.page_permissions.create(
        page=tree.index, permission=Permission.objects.get(codename="change_page")
    )
    case = make_case(tree.index, title="Free Maria Sokolova", slug="maria-sokolova")

    response = report(client, make_user("writer", groups=[group.name]))

    assert status_of(response, case).state == TranslationState.NOT_YET
    assert "Start translation" not in response.content.decode()


def test_a_user_who_may_not_edit_pages_is_refused(client, tree):
    group = Group.objects.create(name="Admin only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(make_user("visitor", groups=[group.name]))

    response = client.get(reverse(REPORT))
    xhr = client.get(reverse(REPORT), headers={"x-requested-with": "XMLHttpRequest"})

    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert xhr.status_code == 403


def test_a_user_without_admin_access_is_sent_to_log_in(client, tree):
    anonymous = client.get(reverse(REPORT))
    client.force_login(make_user("signer"))
    no_access = client.get(reverse(REPORT))

    for response in (anonymous, no_access):
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))


def test_the_report_shows_no_signer(client, tree, appeal, editor):
    make_signature(
        appeal,
        name="Zinaida Unseen",
        email="zinaida@example.org",
        city="Tver",
        message="Let her go",
    )

    for user in (editor, make_user("status-superuser", superuser=True)):
        html = report(client, user).content.decode()
        for secret in ("Zinaida", "zinaida@example.org", "Tver", "Let her go"):
            assert secret not in html


def test_the_report_reads_right_to_left_in_arabic(client, tree, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "ar"
    profile.save()

    html = report(client, editor).content.decode()

    assert 'dir="rtl"' in html
    assert "حالة الترجمة" in html  # "Translation status"
    assert 'data-translation-state="current"' in html


def test_the_report_exports_as_a_spreadsheet(client, tree, editor):
    client.force_login(editor)

    response = client.get(reverse(REPORT), {"export": "csv", "language": "fr"})

    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "Case,Source language,Source last published,Français"
    total, translated = french_translation(tree.case).get_progress()
    (row,) = [line for line in lines if line.startswith(tree.case.title)]
    assert row.startswith(f"{tree.case.title},English,")
    assert row.endswith(f",Up to date ({translated}/{total})")
    xlsx = client.get(reverse(REPORT), {"export": "xlsx"})
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
