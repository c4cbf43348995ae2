"""Cases are translated in wagtail-localize, segment by segment."""

import pytest
from django.test import override_settings
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from home.demo import content
from tests.builders import make_case, translate

FRENCH = {
    "Free Anna Ivanova": "Libérez Anna Ivanova",
    "Anna Ivanova": "Anna Ivanova",
    "A defender detained for her work.": "Une défenseuse détenue pour son travail.",
    "Police searched the home of the defender.": (
        "La police a perquisitionné le domicile de la défenseuse."
    ),
    "Kazan": "Kazan",
    "I urge the authorities to:": "J’exhorte les autorités à :",
    "Release her at once;": "La libérer immédiatement ;",
    "Drop every charge.": "Abandonner toutes les charges.",
    "Write to the prosecutor": "Écrivez au procureur",
}

pytestmark = pytest.mark.django_db


def segment_texts(instance):
    source = TranslationSource.objects.get_for_instance(instance)
    return {
        segment.string.data
        for segment in StringSegment.objects.filter(source=source).select_related("string")
    }


def seed_prose():
    """Every piece of prose the editor wrote for the seed case."""
    recipient = content.RECIPIENT
    texts = {
        content.CASE_TITLE,
        content.DEFENDER_NAME,
        content.DEFENDER_ORGANISATION,
        content.DEFENDER_ROLE,
        content.SUMMARY,
        content.BACKGROUND_HEADING,
        content.DEMANDS_INTRODUCTION,
        content.APPEAL["heading"],
        content.APPEAL["introduction"],
        content.APPEAL["closing"],
        *content.BACKGROUND,
        *content.DEMANDS,
        *content.APPEAL["paragraphs"],
        *recipient["address_lines"],
        *(update["text"] for update in content.UPDATES),
    }
    for incident in (content.INCIDENT_ATTACK, content.INCIDENT_RAID):
        texts |= {incident["place"], *incident["narrative"]}
    for field in ("salutation", "title", "name", "organisation", "city", "country"):
        texts.add(recipient[field])
    return texts


def test_every_prose_segment_of_the_seed_case_is_offered(demo):
    missing = seed_prose() - segment_texts(demo.case)
    assert not missing


def test_phone_numbers_postcodes_and_dates_are_not_offered(demo):
    texts = segment_texts(demo.case)
    for verbatim in ("+7 495 644 2203", "119200", "2016-03-16", "2016-03-15", "5000"):
        assert not any(verbatim in text for text in texts), verbatim


def test_segments_carry_the_block_and_field_they_come_from(demo):
    source = TranslationSource.objects.get_for_instance(demo.case)
    paths = set(StringSegment.objects.filter(source=source).values_list("context__path", flat=True))
    fields = {path.rsplit(".", 1)[-1] for path in paths if path.startswith("body.")}
    assert {"place", "narrative", "introduction", "salutation", "letter", "closing"} <= fields


def test_a_case_translated_in_wagtail_localize_is_served_in_french(
    demo, client, django_capture_on_commit_callbacks
):
    case = make_case(demo.index)
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
    demo, client, django_capture_on_commit_callbacks
):
    case = make_case(demo.index)
    french = translate(case, "fr", {}, capture=django_capture_on_commit_callbacks, publish=False)
    assert not french.live
    assert client.get(f"/fr/cases/{case.slug}/").status_code == 404


def test_syncing_after_a_source_edit_keeps_unchanged_translations(
    demo, client, django_capture_on_commit_callbacks
):
    case = make_case(demo.index)
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


def test_the_status_is_translated_once_and_shared_by_cases(
    demo, django_capture_on_commit_callbacks
):
    case = make_case(demo.index, status=demo.status)
    french = translate(case, "fr", FRENCH, capture=django_capture_on_commit_callbacks)
    assert french.status.locale.language_code == "fr"
    assert french.status.translation_key == demo.status.translation_key
    assert french.status.name == "Détention"


def test_updates_are_translated_with_the_page(demo):
    french = demo.case.get_translation(Locale.objects.get(language_code="fr"))
    (update,) = french.updates.all()
    assert update.locale.language_code == "fr"
    assert update.date == content.UPDATES[0]["date"]
    assert update.text != content.UPDATES[0]["text"]
    assert update.status.name == "Agression"
