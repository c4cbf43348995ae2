"""Translators change what visitors see only through review.

wagtail-localize's editor offers everyone who may edit a translated page
"Convert to alias page" and "Stop Synced translation", and its "Sync
translated pages" can publish every translation as it stands: each would put a
translator's work live, or take the page out of review, with no moderator.
Here those need the publish permission, and changes not yet reviewed show
where translators, reviewers and editors look.
"""

import html
import inspect
import json
import re

import pytest
from django.urls import resolve, reverse
from wagtail.models import Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from appeals.admin import translation_publishing, translation_sync
from tests.builders import make_user

pytestmark = pytest.mark.django_db

DENIED = "denied"
REVISED_SUMMARY = "Résumé revu par la traductrice."


@pytest.fixture
def french_case(tree):
    return tree.french_case


@pytest.fixture
def french_translation(french_case):
    return Translation.objects.get(
        source__object_id=french_case.translation_key, target_locale=french_case.locale
    )


@pytest.fixture
def translator():
    return make_user("translator", groups=["Translators"])


@pytest.fixture
def moderator():
    return make_user("moderator", groups=["Moderators"])


@pytest.fixture
def superuser():
    return make_user("superuser", superuser=True)


def outcome(response):
    """The status code, or DENIED for Wagtail's refusal: a redirect home with its message."""
    if response.status_code != 302 or response.url != reverse("wagtailadmin_home"):
        return response.status_code
    messages = [str(message).strip() for message in response.wsgi_request._messages]
    assert "Sorry, you do not have permission to access this area." in messages
    return DENIED


def change_a_segment(page, text=REVISED_SUMMARY):
    """What the translation editor stores when a translator edits a segment."""
    summary = StringSegment.objects.get(
        source__object_id=page.translation_key, context__path="summary"
    )
    StringTranslation.objects.filter(
        translation_of=summary.string, locale=page.locale, context=summary.context
    ).update(data=text)


def editor_props(content):
    found = re.search(r'class="js-translation-editor" data-props="([^"]*)"', content)
    return json.loads(html.unescape(found[1]))


def listing_of(client, page):
    return client.get(reverse("wagtailadmin_explore", args=[page.get_parent().id]))


def assert_unchanged(french_case, french_translation):
    """Still a live translation with its own French content and its translation record."""
    page = Page.objects.get(pk=french_case.pk).specific
    assert page.alias_of_id is None
    assert page.live
    assert page.title == french_case.title
    assert page.summary == french_case.summary
    assert Translation.objects.filter(pk=french_translation.pk, enabled=True).exists()


# 1. Converting to an alias and stopping a sync need the publish permission.


def test_wagtail_localizes_addresses_answer_with_the_checked_views(french_case, french_translation):
    convert = reverse("wagtail_localize:convert_to_alias", args=[french_case.id])
    stop = reverse("wagtail_localize:stop_translation", args=[french_translation.id])
    sync = reverse("wagtail_localize:update_translations", args=[french_translation.source_id])
    assert inspect.unwrap(resolve(convert).func) is translation_publishing.convert_to_alias
    assert inspect.unwrap(resolve(stop).func) is translation_publishing.stop_translation
    assert inspect.unwrap(resolve(sync).func) is translation_sync.update_translations


def test_the_translation_editor_offers_a_translator_neither_alias_nor_stop(
    client, french_case, french_translation, translator
):
    client.force_login(translator)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[french_case.id]))
    assert response.status_code == 200
    content = response.content.decode()
    links = editor_props(content)["links"]
    assert links["convertToAliasUrl"] is None
    assert links["stopTranslationUrl"] is None
    assert reverse("wagtail_localize:convert_to_alias", args=[french_case.id]) not in content
    assert reverse("wagtail_localize:stop_translation", args=[french_translation.id]) not in content
    assert ":not([data-w-action-url-value]) { display: none; }" in content
    assert not editor_props(content)["perms"]["canPublish"]


@pytest.mark.parametrize("who", ["moderator", "superuser"])
def test_a_publisher_keeps_both_in_the_translation_editor(
    client, french_case, french_translation, request, who
):
    client.force_login(request.getfixturevalue(who))
    content = client.get(reverse("wagtailadmin_pages:edit", args=[french_case.id])).content.decode()
    links = editor_props(content)["links"]
    assert links["convertToAliasUrl"] == reverse(
        "wagtail_localize:convert_to_alias", args=[french_case.id]
    )
    assert links["stopTranslationUrl"] == reverse(
        "wagtail_localize:stop_translation", args=[french_translation.id]
    )
    assert "display: none" not in content


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_translators_crafted_convert_to_alias_is_refused_and_changes_nothing(
    client, french_case, french_translation, translator, method
):
    client.force_login(translator)
    url = reverse("wagtail_localize:convert_to_alias", args=[french_case.id])
    assert outcome(getattr(client, method)(url)) == DENIED
    xhr = getattr(client, method)(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert xhr.status_code == 403
    assert_unchanged(french_case, french_translation)
    assert "Moscou" in client.get(french_case.url).content.decode()  # visitors still read French


def test_a_translators_convert_to_alias_from_the_page_editor_is_refused(
    client, french_case, french_translation, translator
):
    client.force_login(translator)
    edit = reverse("wagtailadmin_pages:edit", args=[french_case.id])
    assert outcome(client.post(edit, {"localize-convert-to-alias": "1"})) == DENIED
    assert_unchanged(french_case, french_translation)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_translators_crafted_stop_translation_is_refused_and_changes_nothing(
    client, french_case, french_translation, translator, method
):
    client.force_login(translator)
    url = reverse("wagtail_localize:stop_translation", args=[french_translation.id])
    assert outcome(getattr(client, method)(url, {"next": "/admin/"})) == DENIED
    assert_unchanged(french_case, french_translation)


def test_the_page_editor_offers_a_translator_no_convert_to_alias(
    client, french_case, french_translation, translator
):
    """Once a sync is stopped (by a publisher), the page editor has its own "Convert" item."""
    french_translation.enabled = False
    french_translation.save(update_fields=["enabled"])
    client.force_login(translator)
    content = client.get(reverse("wagtailadmin_pages:edit", args=[french_case.id])).content
    assert b"localize-convert-to-alias" not in content
    client.force_login(make_user("superuser", superuser=True))
    content = client.get(reverse("wagtailadmin_pages:edit", args=[french_case.id])).content
    assert b"localize-convert-to-alias" in content


def test_a_publisher_stops_a_sync(client, french_translation, moderator):
    client.force_login(moderator)
    url = reverse("wagtail_localize:stop_translation", args=[french_translation.id])
    assert client.post(url, {"next": "/admin/"}).status_code == 302
    french_translation.refresh_from_db()
    assert not french_translation.enabled


def test_a_publisher_converts_to_an_alias(client, tree, french_case, french_translation, moderator):
    client.force_login(moderator)
    url = reverse("wagtail_localize:convert_to_alias", args=[french_case.id])
    assert client.get(url).status_code == 200  # the confirmation
    assert client.post(url).status_code == 302
    french_case.refresh_from_db()
    assert french_case.alias_of_id == tree.case.id
    assert not Translation.objects.filter(pk=french_translation.pk).exists()


# 2. Changes not yet reviewed show, and reviewers act where they review.


def test_an_unchanged_translation_is_not_pending_and_offers_nothing_to_submit(
    client, french_case, translator
):
    client.force_login(translator)
    listing = listing_of(client, french_case).content.decode()
    submit = reverse("appeals_submit_translation_for_review", args=[french_case.id])
    assert submit not in listing
    assert "data-unreviewed-changes" not in listing
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[french_case.id])).content.decode()
    assert submit not in editor
    assert "Changes not yet reviewed" not in editor
    assert outcome(client.post(submit)) == DENIED  # nothing to review
    assert not Page.objects.get(pk=french_case.pk).workflow_in_progress


def test_a_changed_segment_shows_as_pending_in_the_listing_and_the_editor(
    client, french_case, translator
):
    change_a_segment(french_case)
    client.force_login(translator)
    submit = reverse("appeals_submit_translation_for_review", args=[french_case.id])
    listing = listing_of(client, french_case).content.decode()
    assert "data-unreviewed-changes" in listing
    assert "Changes not yet reviewed" in listing
    assert submit in listing
    editor = client.get(reverse("wagtailadmin_pages:edit", args=[french_case.id])).content.decode()
    assert "Changes not yet reviewed" in editor
    assert submit in editor


def test_the_pending_flag_is_translated(client, french_case, translator):
    change_a_segment(french_case)
    profile = UserProfile.get_for_user(translator)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(translator)
    assert "Modifications non relues" in listing_of(client, french_case).content.decode()


def test_a_reviewer_approves_from_the_translation_editor(
    client, french_case, translator, moderator, django_capture_on_commit_callbacks
):
    change_a_segment(french_case)
    client.force_login(translator)
    submit = reverse("appeals_submit_translation_for_review", args=[french_case.id])
    assert client.post(submit).status_code == 302
    french_case.refresh_from_db()
    edit = reverse("wagtailadmin_pages:edit", args=[french_case.id])

    # Submitted: still not what visitors see, but nothing new to submit.
    editor = client.get(edit).content.decode()
    assert "Changes not yet reviewed" in editor
    assert submit not in editor

    client.force_login(moderator)
    editor = client.get(edit).content.decode()
    task_state = french_case.current_workflow_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[french_case.id, "approve", task_state.id]
    )
    reject = reverse(
        "wagtailadmin_pages:workflow_action", args=[french_case.id, "reject", task_state.id]
    )
    assert f'action="{approve}"' in editor
    assert f'action="{reject}"' in editor
    assert "Request changes" in editor

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve, {"comment": "", "next": edit})
    assert response.status_code == 302
    assert response.url == edit
    page = Page.objects.get(pk=french_case.pk).specific
    assert page.summary == REVISED_SUMMARY
    assert not page.workflow_in_progress
    assert "Changes not yet reviewed" not in client.get(edit).content.decode()


def test_a_reviewer_requests_changes_from_the_translation_editor(
    client, french_case, translator, moderator
):
    change_a_segment(french_case)
    client.force_login(translator)
    client.post(reverse("appeals_submit_translation_for_review", args=[french_case.id]))
    french_case.refresh_from_db()
    task_state = french_case.current_workflow_task_state
    client.force_login(moderator)
    reject = reverse(
        "wagtailadmin_pages:workflow_action", args=[french_case.id, "reject", task_state.id]
    )
    assert client.post(reject, {"comment": "Le résumé est trop long."}).status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_REJECTED
    assert Page.objects.get(pk=french_case.pk).specific.summary == french_case.summary


def sync_url(french_translation):
    return reverse("wagtail_localize:update_translations", args=[french_translation.source_id])


def test_the_sync_view_names_the_translation_with_unreviewed_changes(
    client, french_case, french_translation, superuser
):
    client.force_login(superuser)
    assert (
        "data-unreviewed-translations"
        not in client.get(sync_url(french_translation)).content.decode()
    )
    change_a_segment(french_case)
    content = client.get(sync_url(french_translation)).content.decode()
    assert "data-unreviewed-translations" in content
    assert "These translations have changes not yet reviewed:" in content
    assert french_case.title in content
    assert 'name="publish_translations"' in content
    assert f'name="{translation_sync.CONFIRM_FIELD}"' in content


def test_publishing_unreviewed_changes_from_the_sync_view_needs_a_confirmation(
    client, french_case, french_translation, superuser, django_capture_on_commit_callbacks
):
    change_a_segment(french_case)
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(sync_url(french_translation), {"publish_translations": "on"})
    assert response.status_code == 302
    assert response.url == sync_url(french_translation)
    assert Page.objects.get(pk=french_case.pk).specific.summary == french_case.summary

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            sync_url(french_translation),
            {"publish_translations": "on", translation_sync.CONFIRM_FIELD: "on"},
        )
    assert response.status_code == 302
    assert Page.objects.get(pk=french_case.pk).specific.summary == REVISED_SUMMARY


def test_a_translator_never_gets_the_sync_views_publish_option(
    client, french_case, french_translation, translator, django_capture_on_commit_callbacks
):
    change_a_segment(french_case)
    client.force_login(translator)
    content = client.get(sync_url(french_translation)).content.decode()
    assert 'name="publish_translations"' not in content
    assert "data-unreviewed-translations" in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            sync_url(french_translation),
            {"publish_translations": "on", translation_sync.CONFIRM_FIELD: "on"},
        )
    assert outcome(response) == DENIED
    assert Page.objects.get(pk=french_case.pk).specific.summary == french_case.summary
    # Syncing without publishing stays the translator's to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(sync_url(french_translation)).status_code == 302
    assert Page.objects.get(pk=french_case.pk).specific.summary == french_case.summary
