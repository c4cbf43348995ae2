"""Who may edit, translate and publish: editors, translators, and everyone else."""

import io

import polib
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from tests.builders import make_user

pytestmark = pytest.mark.django_db


DENIED = "denied"


def get_as(client, user, url):
    """GET ``url`` as ``user``: the status code, or DENIED for Wagtail's refusal.

    Wagtail's admin answers a refused page view with a redirect to the dashboard
    and an error message, and an XMLHttpRequest with a plain 403; both are
    checked.
    """
    client.force_login(user)
    response = client.get(url)
    if response.status_code != 302:
        return response.status_code
    assert response.url == reverse("wagtailadmin_home")
    messages = [str(message).strip() for message in response.wsgi_request._messages]
    assert "Sorry, you do not have permission to access this area." in messages
    assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
    return DENIED


@pytest.fixture
def french_case(tree):
    return tree.french_case


@pytest.fixture
def french_translation(tree, french_case):
    source = TranslationSource.objects.get_for_instance(tree.case)
    return Translation.objects.get(source=source, target_locale=french_case.locale)


@pytest.fixture
def translator():
    return make_user("translator", groups=["Translators"])


@pytest.fixture
def editor():
    return make_user("editor", groups=["Editors"])


@pytest.fixture
def outsider():
    """Can reach the admin, and nothing else."""
    user = make_user("outsider")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_translators_can_edit_every_language_but_publish_none(tree, french_case, translator):
    for page in (tree.case, french_case):
        permissions = page.permissions_for_user(translator)
        assert permissions.can_edit()
        assert not permissions.can_publish()


def test_translators_may_start_translations(translator):
    assert translator.has_perm("wagtail_localize.submit_translation")


@pytest.mark.parametrize(
    ("who", "outcome"), [("translator", 200), ("editor", 200), ("outsider", DENIED)]
)
def test_the_edit_view_of_a_translated_case(client, french_case, request, who, outcome):
    url = reverse("wagtailadmin_pages:edit", args=[french_case.id])
    assert get_as(client, request.getfixturevalue(who), url) == outcome


@pytest.mark.parametrize(
    ("who", "outcome"), [("translator", 200), ("editor", 200), ("outsider", DENIED)]
)
def test_the_translate_view_of_a_case(client, tree, request, who, outcome):
    url = reverse("wagtail_localize:submit_page_translation", args=[tree.case.id])
    assert get_as(client, request.getfixturevalue(who), url) == outcome


def test_the_edit_view_of_a_source_case_for_an_editor(client, tree, editor, outsider):
    url = reverse("wagtailadmin_pages:edit", args=[tree.case.id])
    assert get_as(client, editor, url) == 200
    assert get_as(client, outsider, url) == DENIED


def test_a_translator_downloads_and_uploads_a_po_file(client, french_translation, translator):
    client.force_login(translator)
    download = client.get(reverse("wagtail_localize:download_pofile", args=[french_translation.id]))
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    entry = next(entry for entry in po if entry.msgid == "Moscow")
    assert entry.msgstr == "Moscou"

    entry.msgstr = "Moscou (Russie)"
    upload = io.BytesIO(str(po).encode())
    upload.name = "fr.po"
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[french_translation.id]), {"file": upload}
    )

    assert response.status_code == 302
    assert StringTranslation.objects.filter(
        locale=french_translation.target_locale, data="Moscou (Russie)"
    ).exists()


def test_a_stranger_cannot_download_a_po_file(client, french_translation, outsider):
    url = reverse("wagtail_localize:download_pofile", args=[french_translation.id])
    assert get_as(client, outsider, url) == DENIED  # a redirect with a message; 403 for XHR
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_translation_goes_through_the_moderation_workflow(
    client, french_case, translator, django_capture_on_commit_callbacks
):
    moderator = make_user("moderator", groups=["Moderators"])
    summary = StringSegment.objects.get(
        source__object_id=french_case.translation_key, context__path="summary"
    )
    # What the translation editor stores when the translator edits a segment.
    StringTranslation.objects.filter(
        translation_of=summary.string, locale=french_case.locale, context=summary.context
    ).update(data="Résumé revu par la traductrice.")
    listing = reverse("wagtailadmin_explore", args=[french_case.get_parent().id])
    submit = reverse("appeals_submit_translation_for_review", args=[french_case.id])

    client.force_login(translator)
    assert submit in client.get(listing).content.decode()
    assert client.get(submit).status_code == 200
    assert client.post(submit).status_code == 302

    french_case.refresh_from_db()
    assert french_case.workflow_in_progress
    assert french_case.has_unpublished_changes
    assert french_case.summary != "Résumé revu par la traductrice."  # not live yet
    assert "Résumé revu" not in client.get(french_case.url).content.decode()
    draft = french_case.get_latest_revision_as_object()
    assert draft.summary == "Résumé revu par la traductrice."
    assert client.post(submit).url == reverse("wagtailadmin_home")  # refused: already in review

    task_state = french_case.current_workflow_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(task_state, moderator, "approve")
    french_case.refresh_from_db()
    assert french_case.summary == "Résumé revu par la traductrice."
    assert french_case.live


def test_a_source_page_is_not_offered_for_translation_review(client, tree, translator):
    tree.case.save_revision(user=translator)
    client.force_login(translator)
    submit = reverse("appeals_submit_translation_for_review", args=[tree.case.id])
    assert client.post(submit).url == reverse("wagtailadmin_home")  # refused
    assert not tree.case.workflow_in_progress
