"""The seed case is translated in wagtail-localize, segment by segment."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, TranslationSource

from home.demo import content
from tests.builders import FRENCH, make_case, translate

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
