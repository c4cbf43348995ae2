"""Cases are translated in wagtail-localize, segment by segment."""

import pytest
from django.test import override_settings
from wagtail_localize.models import Translation, TranslationSource

from tests.builders import FRENCH, make_case, translate

pytestmark = pytest.mark.django_db


def test_a_case_translated_in_wagtail_localize_is_served_in_french(
    tree, client, django_capture_on_commit_callbacks
):
    case = make_case(tree.index)
    french = translate(case, "fr", FRENCH, capture=django_capture_on_commit_callbacks)

    response = client.get(french.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Libérez Anna Ivanova" in html
    assert "La police a perquisitionné le domicile de la défenseuse." in html
    assert "<li>La libérer immédiatement ;</li>" in html
    assert '<time datetime="2024-05-02">2 mai 2024</time>' in html
    assert 'href="tel:+74959875656"' in html


@override_settings(WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE=False)
def test_a_new_translation_stays_a_draft_until_published(
    tree, client, django_capture_on_commit_callbacks
):
    case = make_case(tree.index)
    french = translate(
        case, "fr", FRENCH, capture=django_capture_on_commit_callbacks, publish=False
    )
    assert french.alias_of_id is None and french.live_revision is None
    # Until published, the French URL shows the source, marked as not translated yet
    # (it was the case's alias), never the draft translation.
    html = client.get(f"/fr/cases/{case.slug}/").content.decode()
    assert "Free Anna Ivanova" in html and "Libérez Anna Ivanova" not in html
    assert '<article class="case" lang="en" dir="ltr">' in html
    assert 'class="translation-notice"' in html


def test_syncing_after_a_source_edit_keeps_unchanged_translations(
    tree, client, django_capture_on_commit_callbacks
):
    case = make_case(tree.index)
    french = translate(case, "fr", FRENCH, capture=django_capture_on_commit_callbacks)

    case.summary = "A defender detained for her work, now on trial."
    recipient = next(block for block in case.body if block.block_type == "recipient")
    recipient.value["phone"] = "+7 495 000 0000"
    case.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        source, _ = TranslationSource.update_or_create_from_instance(case)
        Translation.objects.get(source=source, target_locale=french.locale).save_target()

    french.refresh_from_db()
    html = client.get(french.url).content.decode()
    assert "Libérez Anna Ivanova" in html
    assert "La libérer immédiatement ;" in html
    # The phone number is not translated: it follows the source.
    assert "+7 495 000 0000" in html
    # The changed summary has no translation yet and falls back to the source.
    assert french.summary == "A defender detained for her work, now on trial."
