"""The desk's Deliveries: only managers who may deliver prepare, make, mark and cancel
deliveries, and record responses; every step in the audit log without a name; bad input
answered with a message, never a 500."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from appeals.admin import log_actions
from appeals.delivery import recipients
from appeals.models import CasePage, Delivery, DeliveryState
from tests.builders import make_user, recipient_value
from tests.test_deliveries import prepare, signatures

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"appeals_deliveries:{name}", args=args)


def messages_of(response):
    # Wagtail's messages are HTML, escaped.
    return [unescape(str(message)).strip() for message in response.wsgi_request._messages]


def refused(response):
    if response.status_code != 302 or response.url != reverse("wagtailadmin_home"):
        return False
    return "Sorry, you do not have permission to access this area." in messages_of(response)


@pytest.fixture
def manager():
    return make_user("manager", groups=["Campaign managers"])


def choices(appeal, **overrides):
    values = {
        "recipient": recipients(appeal.get_source_page())[0].key,
        "language": "en",
        "method": "post",
        "cut_off": timezone.now().strftime("%Y-%m-%d %H:%M"),
    }
    values.update(overrides)
    return values


def preview(client, appeal, **overrides):
    return client.post(url("prepare", appeal.pk), choices(appeal, **overrides))


def token_of(html):
    return re.search(r'name="token" value="([0-9a-f-]+)"', html).group(1)


def make(client, appeal, html, **extra):
    posted = {**choices(appeal), "token": token_of(html), **extra}
    posted["cut_off"] = re.search(r'name="cut_off" value="([^"]+)"', html).group(1)
    return client.post(url("make", appeal.pk), posted)


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Translators"])
def test_everyone_but_managers_who_deliver_is_refused(client, appeal, group):
    signatures(appeal, 1)
    delivery = prepare(appeal).delivery
    client.force_login(make_user("someone", groups=[group]))
    pages = [
        url("index"),
        url("appeal", appeal.pk),
        url("prepare", appeal.pk),
        url("response", appeal.pk),
        url("sending_hours", appeal.pk),
        url("delivery", delivery.pk),
        url("file", delivery.pk, "pdf"),
        url("delivery", 99999),
    ]
    for page in pages:
        assert refused(client.get(page)), page
    posted_to = [
        url("make", appeal.pk),
        url("cancel", delivery.pk),
        url("delivered", delivery.pk),
        url("test", delivery.pk),
        url("send", delivery.pk),
        url("send_again", delivery.pk),
        url("sending_hours", appeal.pk),
    ]
    for page in posted_to:
        assert refused(client.post(page, choices(appeal))), page
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.PREPARED
    assert url("index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_seeing_signers_without_the_deliver_right_is_not_enough(client, appeal):
    viewer = make_user("viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_signature"),
        Permission.objects.get(codename="access_admin"),
    )
    client.force_login(viewer)
    assert refused(client.get(url("appeal", appeal.pk)))


def test_a_manager_prepares_previews_makes_downloads_and_delivers(
    client, manager, appeal, django_capture_on_commit_callbacks
):
    signatures(appeal, 2, message="Free her now")
    (abusive,) = signatures(appeal, 1, start=2, message="An insult")
    client.force_login(manager)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert url("index") in home
    listing = client.get(url("appeal", appeal.pk)).content.decode()
    assert url("prepare", appeal.pk) in listing
    form = client.get(url("prepare", appeal.pk)).content.decode()
    assert 'value="post"' in form and 'value="email"' in form and 'value="fax"' in form

    shown = preview(client, appeal)
    html = shown.content.decode()
    assert shown.status_code == 200
    assert 'data-preview-total="3"' in html
    assert "An insult" in html and "Free her now" in html
    with django_capture_on_commit_callbacks(execute=True):  # the PDF's task
        made = make(client, appeal, html, leave_out=[str(abusive.pk)])
    delivery = Delivery.objects.get(appeal=appeal)
    assert made.url == url("delivery", delivery.pk)
    assert (delivery.signature_count, delivery.messages_left_out) == (3, 1)

    page = client.get(url("delivery", delivery.pk)).content.decode()
    assert delivery.file("pdf").sha256 in page
    pdf = client.get(url("file", delivery.pk, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    printed = client.get(url("file", delivery.pk, "html"))
    assert "An insult" not in printed.content.decode()
    assert "default-src 'none'" in printed["Content-Security-Policy"]

    when = timezone.now().strftime("%Y-%m-%d %H:%M")
    client.post(url("delivered", delivery.pk), {"delivered_at": when})
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.delivered_at
    assert client.post(url("cancel", delivery.pk)).status_code == 302
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.DELIVERED

    actions = ModelLogEntry.objects.filter(object_id=str(appeal.pk)).values_list("action", "data")
    logged = dict(actions)
    assert log_actions.PREPARE_DELIVERY in logged and log_actions.DELIVER in logged
    text = str(list(actions))
    assert "Signer" not in text and "@" not in text and "Ivan Petrov" not in text


def test_a_second_click_on_make_makes_nothing_twice(client, manager, appeal):
    signatures(appeal, 2)
    client.force_login(manager)
    html = preview(client, appeal).content.decode()
    first = make(client, appeal, html)
    page = client.get(first.url).content.decode()
    assert "data-pdf-pending" in page  # its task runs once the delivery is committed
    again = make(client, appeal, html)
    assert Delivery.objects.filter(appeal=appeal).count() == 1
    assert first.url == again.url
    assert "This pack was made already: here it is." in messages_of(again)


def test_nothing_new_makes_nothing_and_says_so(client, manager, appeal):
    client.force_login(manager)
    response = preview(client, appeal)
    assert response.status_code == 200
    assert any("nothing made" in message for message in messages_of(response))
    assert not Delivery.objects.exists()


def test_a_recipient_without_email_or_fax_is_offered_print_only(client, manager, tree):
    case = CasePage.objects.get(pk=tree.case.pk)
    (block,) = case.body.blocks_by_name("recipient")
    block.value["email"] = ""
    block.value["fax"] = ""
    case.save_revision().publish()
    signatures(tree.appeal, 1)
    client.force_login(manager)
    form = client.get(url("prepare", tree.appeal.pk)).content.decode()
    assert 'value="post"' in form and 'value="in-person"' in form
    assert 'value="email"' not in form and 'value="fax"' not in form
    forged = preview(client, tree.appeal, method="email")
    assert forged.status_code == 200
    assert "Select a valid choice" in forged.content.decode()
    assert not Delivery.objects.exists()


def test_a_method_the_chosen_recipient_lacks_is_refused(client, manager, tree):
    case = CasePage.objects.get(pk=tree.case.pk)
    case.body.append(("recipient", recipient_value(name="Olga Ivanova", email="", fax="")))
    case.save_revision().publish()
    signatures(tree.appeal, 1)
    client.force_login(manager)
    second = case.body.blocks_by_name("recipient")[1].id
    response = preview(client, tree.appeal, recipient=second, method="email")
    assert "deliver by post or in person" in response.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"recipient": "not-a-block"},
        {"language": "xx"},
        {"method": "pigeon"},
        {"cut_off": "yesterday"},
        {"cut_off": "2999-01-01 00:00"},
        {"cut_off": "\x00"},
    ],
)
def test_bad_choices_are_answered_with_the_form(client, manager, appeal, bad):
    signatures(appeal, 1)
    client.force_login(manager)
    response = preview(client, appeal, **bad)
    assert response.status_code == 200
    assert "error-message" in response.content.decode()
    assert not Delivery.objects.exists()


def test_a_forged_token_or_left_out_id_makes_nothing(client, manager, appeal):
    signatures(appeal, 1, message="hello")
    client.force_login(manager)
    html = preview(client, appeal).content.decode()
    posted = {**choices(appeal), "token": "not-a-uuid"}
    response = client.post(url("make", appeal.pk), posted)
    assert response.status_code == 200
    assert "The preview is out of date: check it again." in messages_of(response)
    response = make(client, appeal, html, leave_out=["abc"])
    assert response.status_code == 200
    assert not Delivery.objects.exists()


def test_unknown_ids_are_404s(client, manager, appeal):
    client.force_login(manager)
    for page in [url("appeal", 99999), url("prepare", 99999), url("delivery", 99999)]:
        assert client.get(page).status_code == 404
    signatures(appeal, 1)
    delivery = prepare(appeal).delivery
    assert client.get(url("file", delivery.pk, "exe")).status_code == 404


def test_a_delivery_dated_in_the_future_is_refused(client, manager, appeal):
    signatures(appeal, 1)
    delivery = prepare(appeal).delivery
    client.force_login(manager)
    response = client.post(url("delivered", delivery.pk), {"delivered_at": "2999-01-01 10:00"})
    assert response.status_code == 200
    assert "A delivery cannot be dated in the future." in response.content.decode()
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.PREPARED


def test_cancelling_frees_the_signatures(client, manager, appeal):
    signatures(appeal, 2)
    delivery = prepare(appeal).delivery
    client.force_login(manager)
    client.post(url("cancel", delivery.pk))
    assert Delivery.objects.get(pk=delivery.pk).state == DeliveryState.CANCELLED
    assert prepare(appeal).delivery.signature_count == 2


def test_a_response_is_recorded_and_drafted_into_the_timeline(client, manager, appeal):
    client.force_login(manager)
    response = client.post(
        url("response", appeal.pk),
        {"date": timezone.localdate().isoformat(), "summary": "The ministry replied.",
         "link": "example.org/reply"},
    )  # fmt: skip
    assert response.status_code == 302
    source = appeal.get_source_page()
    draft = source.get_latest_revision_as_object()
    assert [update.text for update in draft.updates.all()][-1].startswith("The ministry replied.")
    assert "https://example.org/reply" in draft.updates.all()[len(draft.updates.all()) - 1].text
    live = CasePage.objects.get(pk=source.pk)
    assert all("ministry" not in update.text for update in live.updates.all())
    assert ModelLogEntry.objects.filter(action=log_actions.RESPONSE).exists()


def test_a_response_added_to_an_editors_draft_keeps_it_and_says_so(client, manager, appeal):
    source = appeal.get_source_page()
    draft = source.get_latest_revision_as_object()
    draft.summary = "An editor's change, not published yet."
    draft.save_revision()
    client.force_login(manager)
    response = client.post(
        url("response", appeal.pk),
        {"date": timezone.localdate().isoformat(), "summary": "The ministry replied."},
    )
    assert "holds changes not published yet" in messages_of(response)[-1]
    latest = CasePage.objects.get(pk=source.pk).get_latest_revision_as_object()
    assert latest.summary == "An editor's change, not published yet."
    assert latest.updates.all()[len(latest.updates.all()) - 1].text == "The ministry replied."


def test_a_response_dated_in_the_future_is_refused(client, manager, appeal):
    client.force_login(manager)
    response = client.post(url("response", appeal.pk), {"date": "2999-01-01", "summary": "x"})
    assert response.status_code == 200
    assert "A response cannot be dated in the future." in response.content.decode()


def test_the_report_links_to_the_deliveries_for_managers(client, manager, appeal):
    client.force_login(manager)
    html = client.get(reverse("appeals_appeal:report", args=[appeal.pk])).content.decode()
    assert url("appeal", appeal.pk) in html


def test_the_desk_reads_right_to_left_in_arabic(client, manager, appeal):
    signatures(appeal, 1, message="رسالة")
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(manager)
    for response in [client.get(url("appeal", appeal.pk)), preview(client, appeal)]:
        html = response.content.decode()
        assert response.status_code == 200
        assert 'dir="rtl"' in html and 'lang="ar"' in html
    with translation.override("ar"):
        assert translation.gettext("Make the pack") != "Make the pack"
        assert translation.gettext("Make the pack") in html


def test_a_case_without_recipients_offers_no_delivery(client, manager, tree):
    case = CasePage.objects.get(pk=tree.case.pk)
    # Its raw data, so that the other blocks keep their ids (the appeal its own).
    case.body = [block for block in case.body.raw_data if block["type"] != "recipient"]
    case.save_revision().publish()
    client.force_login(manager)
    assert (
        url("prepare", tree.appeal.pk)
        not in client.get(url("appeal", tree.appeal.pk)).content.decode()
    )
    response = client.post(url("prepare", tree.appeal.pk), {})
    assert response.status_code == 302
    assert "This appeal's case names no recipient to deliver to." in messages_of(response)
