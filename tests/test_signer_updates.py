"""Updates to signers: a case's timeline entry e-mailed to the signers who asked to be
kept informed, in the language they signed in, once each; a one-click link stops them;
the desk sends them, and only the managers allowed to."""

import re
import smtplib
import uuid
from datetime import date, timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry

from appeals import informing, privacy, tasks
from appeals.models import (
    CasePage,
    CaseUpdate,
    MailingState,
    Signature,
    SignerUpdate,
    Status,
    UpdateSent,
)
from tests.builders import FRENCH, make_case, make_signature, make_user, translate

pytestmark = pytest.mark.django_db

ENTRY = "The court released her on bail."
FRENCH_ENTRY = "Le tribunal l’a libérée sous caution."
DEAD_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 9,  # nothing listens: the connection is refused
    "EMAIL_TIMEOUT": 2,
}
WITH_A_WORKER = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
ONE_CLICK = "List-Unsubscribe=One-Click"
DEAD_MAILBOX = "signer1@example.org"


class RefusingBackend(MemoryBackend):
    """A mail server that refuses one mailbox and takes every other."""

    def send_messages(self, messages):
        for message in messages:
            if DEAD_MAILBOX in message.to:
                raise smtplib.SMTPRecipientsRefused({DEAD_MAILBOX: (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture
def case(tree, django_capture_on_commit_callbacks):
    """A case with one timeline entry, translated into French."""
    status = Status.objects.create(
        name="Released on bail", slug="released-on-bail", locale=tree.english
    )
    entry = CaseUpdate(date=date(2026, 3, 14), text=ENTRY, status=status, locale=tree.english)
    case = make_case(tree.index, slug="anna-ivanova", updates=[entry])
    translate(
        case,
        "fr",
        {**FRENCH, ENTRY: FRENCH_ENTRY},
        capture=django_capture_on_commit_callbacks,
    )
    # The status is translated on its own, as a snippet.
    french_status = status.get_translation_or_none(tree.french) or status.copy_for_translation(
        tree.french
    )
    french_status.name = "Libérée sous caution"
    french_status.save()
    return CasePage.objects.get(pk=case.pk)


@pytest.fixture
def appeal(case):
    (block,) = case.get_appeal_blocks()
    return case.get_appeal(block.id)


@pytest.fixture
def key(case):
    return case.updates.get().translation_key


def signer(appeal, number, **fields):
    values = {
        "name": f"Signer {number}",
        "email": f"signer{number}@example.org",
        "keep_informed": True,
    }
    values.update(fields)
    return make_signature(appeal, **values)


def send(appeal, key, token=None):
    """Start a mailing as the desk does and run its task (at once, in tests)."""
    started = informing.start(appeal, key, user=None, token=token or uuid.uuid4())
    if started.outcome in ("made", "resumed"):
        tasks.send_signer_update.enqueue(started.mailing.pk)
    return started


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def html_of(message):
    return message.alternatives[0][0]


def unsubscribe_path(message):
    """The path and query of the List-Unsubscribe header's address."""
    address = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>"))
    return f"{address.path}?{address.query}"


# Who gets what, in which language


def test_each_signer_gets_the_entry_in_the_language_they_signed_in(appeal, key):
    signer(appeal, 1, language="en")
    signer(appeal, 2, language="fr")
    signer(appeal, 3, language="es")  # no Spanish page: the source's entry
    assert send(appeal, key).outcome == "made"

    (english,) = sent_to("signer1@example.org")
    assert ENTRY in english.body and "Dear Signer 1," in english.body
    assert "Released on bail" in english.body

    (french,) = sent_to("signer2@example.org")
    assert FRENCH_ENTRY in french.body and ENTRY not in french.body
    assert "Bonjour Signer 2," in french.body
    assert "14 mars 2026" in french.body
    assert f'<div lang="fr" dir="ltr"><p>{FRENCH_ENTRY}</p></div>' in unescape(html_of(french))
    assert "/fr/" in french.body  # the link to the French page
    assert "Libérée sous caution" in french.body

    (spanish,) = sent_to("signer3@example.org")
    assert ENTRY in spanish.body
    assert "Estimado/a Signer 3:" in spanish.body
    # The entry keeps its own language inside the Spanish e-mail.
    assert f'<div lang="en" dir="ltr"><p>{ENTRY}</p></div>' in unescape(html_of(spanish))
    assert '<html lang="es"' in html_of(spanish)


def test_a_persian_signer_reads_the_persian_interface_around_the_source_entry(appeal, key):
    signer(appeal, 1, language="fa")
    send(appeal, key)
    (message,) = mail.outbox
    assert "Signer 1 گرامی،" in message.body
    assert ENTRY in message.body
    assert 'dir="rtl"' in html_of(message)
    assert f'<div lang="en" dir="ltr"><p>{ENTRY}</p></div>' in unescape(html_of(message))


def test_the_subject_names_the_site_not_the_case_unless_asked(appeal, key):
    signer(appeal, 1)
    signer(appeal, 2)
    send(appeal, key)
    assert "Appeals" in mail.outbox[0].subject
    assert "Anna" not in mail.outbox[0].subject
    with override_settings(APPEALS_EMAIL_SUBJECT_NAMES_CASE=True):
        mail.outbox.clear()
        Signature.objects.filter(email="signer2@example.org").update(keep_informed=True)
        UpdateSent.objects.filter(signature__email="signer2@example.org").delete()
        send(appeal, key)
    assert "Free Anna Ivanova" in mail.outbox[0].subject


def test_those_who_did_not_ask_or_are_gone_receive_nothing(appeal, key):
    signer(appeal, 1)
    signer(appeal, 2, keep_informed=False)
    signer(appeal, 3, confirmed_at=None)  # never confirmed
    withdrawn = signer(appeal, 4, email_due="confirm")
    erased = signer(appeal, 5)
    anonymised = signer(appeal, 6)

    token = withdrawn.issue_withdrawal_token()
    withdrawn.save()
    assert privacy.withdraw(token)[0] is privacy.Withdrawn.WITHDRAWN
    privacy.erase(erased.email)
    Signature.objects.filter(pk=anonymised.pk).anonymise()

    send(appeal, key)
    assert [message.to for message in mail.outbox] == [["signer1@example.org"]]
    assert UpdateSent.objects.count() == 1


def test_an_address_that_signed_two_appeals_of_the_case_gets_the_entry_once(appeal, key):
    from appeals.models import Appeal

    other = Appeal.objects.create(case_key=appeal.case_key, block_id=uuid.uuid4(), title="Other")
    signer(appeal, 1)
    signer(other, 1)
    send(appeal, key)
    send(other, key)
    assert len(mail.outbox) == 1


# Once


def test_the_same_entry_is_sent_once_however_often_it_is_sent(appeal, key):
    signer(appeal, 1)
    signer(appeal, 2)
    token = uuid.uuid4()
    first = send(appeal, key, token)
    assert first.outcome == "made" and len(mail.outbox) == 2

    again = send(appeal, key, token)  # the same form sent twice
    assert again.outcome == "already" and again.mailing == first.mailing
    assert send(appeal, key).outcome == "nothing"  # a second mailing finds nobody due
    tasks.send_signer_update.enqueue(first.mailing.pk)  # its task run again
    assert len(mail.outbox) == 2
    assert UpdateSent.objects.filter(update_key=key).count() == 2

    mailing = SignerUpdate.objects.get()
    assert (mailing.state, mailing.recipients, mailing.sent) == (MailingState.SENT, 2, 2)


def test_a_signer_who_asks_later_gets_the_entry_from_the_next_mailing(appeal, key):
    signer(appeal, 1)
    started = informing.start(appeal, key, user=None, token=uuid.uuid4())
    SignerUpdate.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    signer(appeal, 2, confirmed_at=timezone.now())  # while it waits in the queue
    tasks.send_signer_update.enqueue(started.mailing.pk)
    mailing = SignerUpdate.objects.get()
    assert (mailing.state, mailing.sent, mailing.recipients) == (MailingState.SENT, 1, 1)
    assert send(appeal, key).mailing.recipients == 1
    assert [message.to for message in mail.outbox] == [
        ["signer1@example.org"],
        ["signer2@example.org"],
    ]


def test_a_dead_mail_server_records_nothing_and_the_next_run_sends_each_once(appeal, key):
    for number in range(3):
        signer(appeal, number)
    with override_settings(**DEAD_SMTP):
        started = send(appeal, key)
    mailing = SignerUpdate.objects.get(pk=started.mailing.pk)
    assert not UpdateSent.objects.exists()
    assert mailing.sent == 0 and mailing.state == MailingState.SENDING

    assert send(appeal, key).outcome == "resumed"  # the desk's button, pressed again
    tasks.send_signer_update.enqueue(mailing.pk)
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"signer{number}@example.org" for number in range(3)
    ]
    mailing.refresh_from_db()
    assert (mailing.state, mailing.sent) == (MailingState.SENT, 3)


@override_settings(
    EMAIL_BACKEND="tests.test_signer_updates.RefusingBackend", APPEALS_UPDATE_EMAILS_PER_MINUTE=1
)
def test_a_mailbox_the_server_refuses_holds_up_nobody_and_is_not_tried_again(appeal, key):
    for number in range(3):
        signer(appeal, number)
    send(appeal, key)  # the refused address comes second, one per batch
    assert sorted(message.to[0] for message in mail.outbox) == [
        "signer0@example.org",
        "signer2@example.org",
    ]
    mailing = SignerUpdate.objects.get()
    assert (mailing.state, mailing.sent, mailing.recipients) == (MailingState.SENT, 2, 3)
    assert UpdateSent.objects.filter(refused=True).get().signature.email == DEAD_MAILBOX
    assert send(appeal, key).outcome == "nothing"


def test_an_entry_gone_from_the_live_page_stops_its_mailing(appeal, key, case):
    signer(appeal, 1)
    started = informing.start(appeal, key, user=None, token=uuid.uuid4())
    case.updates.all().delete()
    case.save_revision().publish()
    tasks.send_signer_update.enqueue(started.mailing.pk)
    assert not mail.outbox
    assert SignerUpdate.objects.get().state == MailingState.STOPPED
    assert informing.start(appeal, key, user=None, token=uuid.uuid4()).outcome == "gone"


# The throttle


@override_settings(APPEALS_UPDATE_EMAILS_PER_MINUTE=2)
def test_one_batch_sends_at_most_the_setting(appeal, key):
    for number in range(5):
        signer(appeal, number)
    mailing = informing.start(appeal, key, user=None, token=uuid.uuid4()).mailing
    batch = informing.send_batch(mailing.pk, 2)
    assert (batch.sent, batch.due) == (2, True)
    assert len(mail.outbox) == 2
    tasks.send_signer_update.enqueue(mailing.pk)  # at once: batch after batch
    assert len(mail.outbox) == 5


@WITH_A_WORKER
@override_settings(APPEALS_UPDATE_EMAILS_PER_MINUTE=2)
def test_with_a_worker_the_next_batch_is_a_minute_later(appeal, key):
    for number in range(3):
        signer(appeal, number)
    mailing = informing.start(appeal, key, user=None, token=uuid.uuid4()).mailing
    started = timezone.now()
    assert tasks.send_signer_update.call(mailing.pk) == 2
    assert len(mail.outbox) == 2
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.send_signer_update.module_path)
    assert queued.run_after >= started + timedelta(seconds=60)
    assert tasks.send_signer_update.call(mailing.pk) == 1
    assert len(mail.outbox) == 3
    assert DBTaskResult.objects.count() == 1  # nothing more to queue
    assert SignerUpdate.objects.get().state == MailingState.SENT


# Unsubscribing


def test_the_email_carries_one_click_unsubscribe_headers_that_work(client, appeal, key):
    signature = signer(appeal, 1, language="fr")
    send(appeal, key)
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe-Post"] == ONE_CLICK
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/fr/")
    path = unsubscribe_path(message)
    assert path in message.body and path in unescape(html_of(message))

    # A mail client's one-click POST: the token in the address, no Origin, no cookie.
    response = client.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]
    signature.refresh_from_db()
    assert signature.keep_informed is False
    assert Signature.objects.filter(pk=signature.pk).confirmed().exists()  # still signed


def test_the_link_shows_a_button_and_only_its_post_unsubscribes(client, appeal, key):
    signature = signer(appeal, 1, language="fr")
    send(appeal, key)
    path = unsubscribe_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/fr/appeals/unsubscribe/"' in html and "Signer 1" not in html
    signature.refresh_from_db()
    assert signature.keep_informed is True

    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = client.post("/fr/appeals/unsubscribe/", {"token": token})
    assert done.status_code == 200
    assert "plus aucune" in done.content.decode()  # said in the visitor's language
    signature.refresh_from_db()
    assert signature.keep_informed is False
    again = client.get(path)
    assert again.status_code == 200 and "<form" not in again.content.decode()


def test_after_unsubscribing_the_next_entry_skips_the_signer(client, appeal, key, case):
    signer(appeal, 1)
    signer(appeal, 2)
    send(appeal, key)
    path = unsubscribe_path(sent_to("signer1@example.org")[0])
    client.post(path, ONE_CLICK, content_type="application/x-www-form-urlencoded")

    case.updates.add(CaseUpdate(date=date(2026, 4, 1), text="Her trial opens.", locale=case.locale))
    case.save_revision().publish()
    newer = CasePage.objects.get(pk=case.pk).updates.get(text="Her trial opens.").translation_key
    mail.outbox.clear()
    send(appeal, newer)
    assert [message.to for message in mail.outbox] == [["signer2@example.org"]]


@pytest.mark.parametrize(
    "token",
    [
        "",
        "nonsense",
        "x" * 5000,
        signing.dumps([1, "0" * 24], salt="another.salt"),
        signing.dumps([1, "0" * 24], salt="appeals.unsubscribe"),  # the wrong address
        signing.dumps("not a pair", salt="appeals.unsubscribe"),
        "\x00",
    ],
)
def test_a_bad_or_forged_token_is_told_clearly_and_changes_nothing(client, appeal, token):
    signature = signer(appeal, 1)
    for response in (
        client.get("/en/appeals/unsubscribe/", {"token": token}),
        client.post("/en/appeals/unsubscribe/", {"token": token}),
    ):
        assert response.status_code in (400, 404)  # a NUL is refused before the view
        if response.status_code == 404:
            assert "not valid" in response.content.decode()
    signature.refresh_from_db()
    assert signature.keep_informed is True


def test_the_token_of_an_anonymised_signature_no_longer_works(client, appeal):
    signature = signer(appeal, 1)
    token = signature.unsubscribe_token()
    Signature.objects.filter(pk=signature.pk).anonymise()
    response = client.post("/en/appeals/unsubscribe/", {"token": token})
    assert response.status_code == 404


# The desk


def desk(name, *args):
    return reverse(f"appeals_signer_updates:{name}", args=args)


def messages_of(response):
    return [unescape(str(message)).strip() for message in response.wsgi_request._messages]


def refused(response):
    if response.status_code != 302 or response.url != reverse("wagtailadmin_home"):
        return False
    return "Sorry, you do not have permission to access this area." in messages_of(response)


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Translators"])
def test_everyone_but_managers_is_refused_on_every_address(client, appeal, key, group):
    signer(appeal, 1)
    client.force_login(make_user("someone", groups=[group]))
    for address in [desk("index"), desk("appeal", appeal.pk), desk("send", appeal.pk, key)]:
        assert refused(client.get(address)), address
    assert refused(client.post(desk("send", appeal.pk, key), {"token": str(uuid.uuid4())}))
    assert refused(client.get(desk("appeal", 99999)))
    assert not mail.outbox and not SignerUpdate.objects.exists()
    assert desk("index") not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_manager_confirms_then_sends_once_and_sees_progress_without_names(client, appeal, key):
    signer(appeal, 1, language="fr")
    signer(appeal, 2, language="es")
    signer(appeal, 3, keep_informed=False)
    client.force_login(make_user("manager", groups=["Campaign managers"]))
    assert desk("index") in client.get(reverse("wagtailadmin_home")).content.decode()
    assert appeal.title in client.get(desk("index")).content.decode()

    listing = client.get(desk("appeal", appeal.pk)).content.decode()
    assert 'data-asked="2"' in listing
    assert f'data-entry="{key}" data-sent="0" data-due="2"' in listing
    assert "Send to 2 signers" in listing
    assert "French" in listing and "Spanish" in listing  # translated, and not
    assert "Signer 1" not in listing and "example.org" not in listing

    confirm = client.get(desk("send", appeal.pk, key)).content.decode()
    assert ENTRY in confirm and not mail.outbox  # nothing leaves before the manager confirms
    token = re.search(r'name="token" value="([0-9a-f-]+)"', confirm).group(1)
    response = client.post(desk("send", appeal.pk, key), {"token": token})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    response = client.post(desk("send", appeal.pk, key), {"token": token})
    assert "This update was sent already: nothing is sent twice." in messages_of(response)
    assert len(mail.outbox) == 2

    listing = client.get(desk("appeal", appeal.pk)).content.decode()
    assert f'data-entry="{key}" data-sent="2" data-due="0"' in listing
    assert "2 of 2" in listing
    entries = ModelLogEntry.objects.filter(object_id=str(appeal.pk)).order_by("timestamp")
    messages = [entry.message for entry in entries if entry.action.startswith("appeals.")]
    assert messages == [
        "Queued a timeline entry for 2 signers who asked to be kept informed",
        "A timeline entry was e-mailed to 2 signers",
    ]
    assert all("Signer" not in str(entry.data) for entry in entries)


def test_a_bad_form_token_or_entry_is_answered_not_a_500(client, appeal, key):
    signer(appeal, 1)
    client.force_login(make_user("manager", groups=["Campaign managers"]))
    response = client.post(desk("send", appeal.pk, key), {"token": "not-a-uuid"})
    assert response.status_code == 302
    assert not mail.outbox
    assert client.get(desk("send", appeal.pk, uuid.uuid4())).status_code == 404
    response = client.post(desk("send", appeal.pk, uuid.uuid4()), {"token": str(uuid.uuid4())})
    assert response.status_code == 302 and not SignerUpdate.objects.exists()


def test_what_is_stored_about_a_signer_names_the_entries_sent_them(appeal, key):
    signer(appeal, 1)
    send(appeal, key)
    (data,) = privacy.person_data("signer1@example.org")["signatures"]
    assert [sent["entry"] for sent in data["updates_sent"]] == [str(key)]


def test_after_a_dead_mail_server_the_desk_resumes_the_mailing(client, appeal, key):
    signer(appeal, 1)
    signer(appeal, 2)
    client.force_login(make_user("manager", groups=["Campaign managers"]))

    def press_send():
        confirm = client.get(desk("send", appeal.pk, key)).content.decode()
        token = re.search(r'name="token" value="([0-9a-f-]+)"', confirm).group(1)
        return client.post(desk("send", appeal.pk, key), {"token": token})

    with override_settings(**DEAD_SMTP):
        assert press_send().status_code == 302
    assert not mail.outbox
    listing = client.get(desk("appeal", appeal.pk)).content.decode()
    assert "0 of 2" in listing and "Send to 2 signers" in listing

    response = press_send()
    assert "it carries on, and nobody is sent the entry twice" in messages_of(response)[0]
    assert len(mail.outbox) == 2
    assert SignerUpdate.objects.get().state == MailingState.SENT
