"""An appeal's settings come from its source page, in every language at once.

Translators translate an appeal's words (heading, introduction, salutation,
letter, closing); its settings (goal, closing time, closed, the public list,
the delivery language, the demands included) are the editor's, set by
publishing the source page alone. A translation's copy of them, stale until
the next sync, and an alias's, are never read.
"""

import pytest
from django.core import mail
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource

from appeals.letter import compose_letter
from appeals.models import Appeal, CasePage
from tests.builders import (
    SAME_ORIGIN,
    make_signature,
    post_signature,
    set_appeal_option,
)

pytestmark = pytest.mark.django_db

SETTINGS = ("goal", "closes_at", "closed", "delivery_language", "show_signers", "include_demands")
WORDS = ("heading", "introduction", "letter", "closing")


def alias_in(page, language_code):
    """An alias of ``page`` in a language it is not translated into, as wagtail-localize makes."""
    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    return page.copy_for_translation(locale, copy_parents=True, alias=True).specific


def french_block_value(tree):
    (block,) = CasePage.objects.get(pk=tree.french_case.pk).get_appeal_blocks()
    return block.value


def test_ticking_the_public_list_on_the_source_alone_shows_it_in_every_language(
    client, tree, appeal
):
    spanish = alias_in(tree.case, "es")
    make_signature(appeal, name="Amal Haddad", show_publicly=True)
    set_appeal_option(tree.case, show_signers=True)
    assert french_block_value(tree)["show_signers"] is False  # the translation was not synced
    for url in (tree.case.url, tree.french_case.url, CasePage.objects.get(pk=spanish.pk).url):
        html = client.get(url).content.decode()
        assert 'class="recent-signers"' in html, url
        assert "<bdi>Amal</bdi>" in html, url


def test_leaving_out_the_demands_on_the_source_alone_removes_them_from_every_letter(
    client, tree, appeal
):
    set_appeal_option(tree.case, include_demands=False)
    assert french_block_value(tree)["include_demands"] is True  # stale copy
    french = client.get(tree.french_case.url).content.decode()
    assert "Monsieur le Procureur," in french  # the French words are still the translation's
    assert 'class="letter-demands"' not in french
    assert compose_letter(CasePage.objects.get(pk=tree.french_case.pk)).demands == []
    appeal.refresh_from_db()
    assert compose_letter(CasePage.objects.get(pk=tree.french_case.pk), appeal).demands == []


def test_the_api_in_french_reports_the_sources_settings(client, tree, appeal):
    make_signature(appeal, name="Amal Haddad", show_publicly=True)
    set_appeal_option(tree.case, show_signers=True, include_demands=False, goal=250)
    data = client.get(f"/api/v3/appeals/{appeal.public_id}/", {"locale": "fr"}).json()
    assert data["language"] == "fr"
    assert data["recent_signers"] == [{"first_name": "Amal", "country": "LB"}]
    assert data["letter"]["demands"] == []
    assert data["letter"]["salutation"] == "Monsieur le Procureur,"
    assert data["state"]["goal"] == 250

    page = client.get(f"/api/v3/pages/{tree.french_case.id}/").json()
    (item,) = [item for item in page["body"] if item["type"] == "appeal"]
    assert item["value"]["show_signers"] is True
    assert item["value"]["include_demands"] is False
    assert item["value"]["goal"] == 250
    assert item["value"]["delivery_language"] == "en"
    assert item["value"]["heading"] == "Écrivez au procureur"
    assert item["appeal"]["recent_signers"] == [{"first_name": "Amal", "country": "LB"}]


def test_the_emailed_letter_follows_the_sources_settings(
    client, tree, appeal, django_capture_on_commit_callbacks
):
    set_appeal_option(tree.case, include_demands=False)
    with django_capture_on_commit_callbacks(execute=True):
        post_signature(client, appeal, language="fr", headers=SAME_ORIGIN)
    (email,) = mail.outbox
    assert "Monsieur le Procureur," in email.body
    assert "La libérer immédiatement" not in email.body


def test_a_translations_stale_copy_of_a_setting_changes_nothing(client, tree, appeal):
    set_appeal_option(tree.case, show_signers=False, include_demands=True, goal=100)
    french = CasePage.objects.get(pk=tree.french_case.pk)
    (block,) = french.get_appeal_blocks()
    block.value.update(show_signers=True, include_demands=False, goal=7, closed=True)
    french.save_revision().publish()  # as if a translation carried other settings

    appeal.refresh_from_db()
    assert (appeal.show_signers, appeal.include_demands, appeal.goal, appeal.closed) == (
        False, True, 100, False,
    )  # fmt: skip
    make_signature(appeal, name="Amal Haddad", show_publicly=True)
    html = client.get(tree.french_case.url).content.decode()
    assert 'class="recent-signers"' not in html
    assert 'class="letter-demands"' in html
    assert 'name="email"' in html  # open


def test_publishing_the_source_with_an_alias_keeps_the_sources_settings(tree, appeal):
    # Wagtail publishes every alias after its source, with the same signal.
    alias_in(tree.case, "es")
    set_appeal_option(tree.case, delivery_language="", show_signers=True)
    appeal.refresh_from_db()
    assert appeal.delivery_language == "en"
    assert appeal.show_signers is True
    assert Appeal.objects.filter(case_key=tree.case.translation_key).count() == 1


def test_translators_are_offered_an_appeals_words_and_none_of_its_settings(tree):
    source, _ = TranslationSource.get_or_create_from_instance(tree.case)
    (block,) = tree.case.get_appeal_blocks()
    prefix = f"body.{block.id}."
    paths = {
        segment.context.path
        for segments in (
            source.stringsegment_set,
            source.templatesegment_set,
            source.relatedobjectsegment_set,
            source.overridablesegment_set,
        )
        for segment in segments.select_related("context")
    }
    offered = {path.removeprefix(prefix).split(".")[0] for path in paths if path.startswith(prefix)}
    assert set(WORDS) <= offered
    assert not offered & set(SETTINGS)
