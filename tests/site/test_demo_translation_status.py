"""The translation-status report for the demo: the seed case in English, translated into four
languages through wagtail-localize, then edited, synced and applied as its editors would."""

import pytest
from django.urls import reverse
from wagtail_localize.models import Translation, TranslationSource

from appeals.translation_progress import TranslationState
from tests.builders import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TRANSLATED_INTO = ["fr", "es", "ru", "ar"]


@pytest.fixture
def editor():
    return make_user("editor", groups=["Editors"])


def statuses(client, user, case):
    client.force_login(user)
    response = client.get(reverse("appeals_translation_status"))
    assert response.status_code == 200
    row = next(row for row in response.context["object_list"] if row.pk == case.pk)
    return {status.language.code: status for status in row.translation_statuses}


def states(client, user, case):
    return {code: status.state for code, status in statuses(client, user, case).items()}


def edit_and_publish(case):
    case.summary = "The Committee against Torture is closed; its head faces charges."
    case.save_revision().publish()


def test_the_seed_case_is_translated_in_full_and_up_to_date(client, demo, editor):
    found = statuses(client, editor, demo.case)

    assert found["en"].state == TranslationState.SOURCE
    source = TranslationSource.objects.get_for_instance(demo.case)
    for code in TRANSLATED_INTO:
        status = found[code]
        assert status.state == TranslationState.CURRENT, code
        assert status.published
        record = Translation.objects.get(source=source, target_locale__language_code=code)
        total, translated = record.get_progress()
        assert status.progress == (total, translated) and translated == total > 0


def test_the_seed_case_edited_then_synced_then_applied(
    client, demo, editor, django_capture_on_commit_callbacks
):
    edit_and_publish(demo.case)
    changed = states(client, editor, demo.case)

    source = TranslationSource.objects.get_for_instance(demo.case)
    source.update_from_db()  # "Sync translated pages", without publishing
    synced = states(client, editor, demo.case)

    with django_capture_on_commit_callbacks(execute=True):
        for record in source.translations.filter(enabled=True):
            record.save_target(publish=True)
    applied = states(client, editor, demo.case)

    for code in TRANSLATED_INTO:
        assert changed[code] == TranslationState.SOURCE_CHANGED, code
        assert synced[code] == TranslationState.NOT_APPLIED, code
        assert applied[code] == TranslationState.CURRENT, code
    # The changed summary is one segment more to translate in each language.
    for code, status in statuses(client, editor, demo.case).items():
        if code in TRANSLATED_INTO:
            total, translated = status.progress
            assert translated == total - 1, code


def test_a_translator_sees_the_demo_and_its_next_steps(client, demo):
    translator = make_user("translator", groups=["Translators"])
    edit_and_publish(demo.case)
    client.force_login(translator)

    response = client.get(reverse("appeals_translation_status"), {"state": "source_changed"})

    assert response.status_code == 200
    assert demo.case.pk in [row.pk for row in response.context["object_list"]]
    source = TranslationSource.objects.get_for_instance(demo.case)
    sync_url = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert f'href="{sync_url}?next=' in response.content.decode()
