"""The signers' rights: erase an address, export what is stored about it, anonymise closed
appeals after the retention period, and withdraw one's own signature from the e-mailed link.

Every change of the signatures keeps the counts true: after each, a fold and a recount that
fixes nothing must agree with the rows.
"""

import json
import re
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from appeals import counters, privacy, tasks
from appeals.admin import log_actions
from appeals.models import Appeal, AppealTally, Signature, Withdrawal
from tests.builders import (
    SAME_ORIGIN,
    emailed_link,
    make_signature,
    make_user,
    post_signature,
    set_appeal_option,
    sign_data,
)

pytestmark = pytest.mark.django_db

ADDRESS = "marie.curie@example.org"
# The withdrawal link's path and query in an e-mail.
WITHDRAWAL_LINK = re.compile(r"https?://[^/\s\"]+(/[\w-]+/appeals/withdraw/\?token=[\w-]+)")


def another_appeal(**fields):
    return Appeal.objects.create(
        case_key=uuid.uuid4(), block_id=uuid.uuid4(), title="Free Oleg Orlov", **fields
    )


def true_counts(*appeals):
    """Fold, check that a recount finds nothing to fix, and give each appeal's count and
    tallies by language and by country."""
    counters.fold()
    assert counters.recount(Appeal.objects.all(), fix=False) == []
    figures = []
    for appeal in appeals:
        appeal.refresh_from_db()
        figures.append(
            (
                appeal.signature_count,
                AppealTally.objects.by_language(appeal),
                AppealTally.objects.by_country(appeal),
            )
        )
    return figures


@pytest.fixture
def signers(appeal):
    """Generated signatures on two appeals: the address ADDRESS signed both (one confirmed
    signature each, and a submission awaiting confirmation on the first), beside others."""
    second = another_appeal()
    for number, (language, country) in enumerate(
        [("en", "GB"), ("fr", "FR"), ("fr", "BE"), ("ar", "LB"), ("ru", "RU")]
    ):
        for target in (appeal, second):
            make_signature(
                target,
                name=f"Signer {number}",
                email=f"signer{number}@example.org",
                language=language,
                country=country,
                city="Lyon",
                message="Free them.",
            )
    make_signature(
        appeal, name="Marie Curie", email="Marie.Curie@Example.org", language="fr",
        country="FR", city="Paris", message="Libérez-la.", keep_informed=True,
    )  # fmt: skip
    make_signature(
        second, name="Марія Кюрі", email=ADDRESS, language="ru", country="PL", city="Варшава"
    )
    make_signature(appeal, name="Marie C.", email=ADDRESS, language="en", confirmed_at=None)
    counters.fold()
    return appeal, second


def stored_rows():
    return list(Signature.objects.order_by("pk").values())


# Erasure


def test_erasing_an_address_removes_it_from_every_appeal_and_corrects_the_counts(signers):
    appeal, second = signers
    (first_before, second_before) = true_counts(appeal, second)
    assert first_before[0] == 6 and second_before[0] == 6

    erased = privacy.erase("  MARIE.Curie@example.ORG ")

    assert erased.total == 3 and erased.appeals == 2
    assert erased.by_appeal == {appeal: 2, second: 1}
    assert not Signature.objects.of_address(ADDRESS).exists()
    (first_after, second_after) = true_counts(appeal, second)
    assert first_after[0] == 5 and second_after[0] == 5
    assert first_after[1]["fr"] == first_before[1]["fr"] - 1
    assert first_after[2]["FR"] == first_before[2]["FR"] - 1
    assert "PL" not in second_after[2] and second_before[2]["PL"] == 1
    assert Signature.objects.count() == 10  # the others' signatures are all there


def test_erasing_an_unknown_address_reports_zero_and_changes_nothing(signers):
    before = stored_rows()
    counts = true_counts(*signers)
    assert privacy.erase("nobody@example.org").total == 0
    assert stored_rows() == before
    assert true_counts(*signers) == counts
    assert not ModelLogEntry.objects.filter(action=log_actions.ERASE).exists()


def test_the_erase_command_says_how_many_it_erased(signers):
    out = StringIO()
    call_command("appeals_erase", ADDRESS, "--dry-run", stdout=out)
    assert (
        out.getvalue().strip()
        == "Would erase 3 signatures of 2 appeals (every signature of this address)."
    )
    assert Signature.objects.of_address(ADDRESS).count() == 3
    out = StringIO()
    call_command("appeals_erase", ADDRESS.upper(), stdout=out)
    assert (
        out.getvalue().strip()
        == "Erased 3 signatures of 2 appeals (every signature of this address)."
    )
    out = StringIO()
    call_command("appeals_erase", ADDRESS, stdout=out)
    assert (
        out.getvalue().strip()
        == "Erased 0 signatures of 0 appeals (every signature of this address)."
    )


def test_an_erasure_is_logged_per_appeal_without_the_address(signers):
    appeal, second = signers
    privacy.erase(ADDRESS)
    entries = ModelLogEntry.objects.filter(action=log_actions.ERASE)
    assert {(entry.object_id, entry.data["signatures"]) for entry in entries} == {
        (str(appeal.pk), 2),
        (str(second.pk), 1),
    }
    for entry in entries:
        assert entry.user is None
        assert "@" not in json.dumps(entry.data) + entry.label + entry.message
        assert "Marie" not in json.dumps(entry.data) + entry.label


# What is stored about a person


def exported(address, *arguments):
    out = StringIO()
    call_command("appeals_export_person", address, *arguments, stdout=out)
    return json.loads(out.getvalue())


def test_the_export_gives_every_field_of_every_signature_of_an_address(signers):
    appeal, second = signers
    data = exported("MARIE.CURIE@example.org")
    assert data["email"] == "MARIE.CURIE@example.org"
    assert len(data["signatures"]) == 3
    by_name = {signature["name"]: signature for signature in data["signatures"]}
    marie = by_name["Marie Curie"]
    assert marie["appeal"] == {"public_id": appeal.public_id, "title": appeal.title}
    assert marie["email"] == "Marie.Curie@example.org"
    assert marie["city"] == "Paris" and marie["message"] == "Libérez-la."
    assert marie["country"] == "FR" and marie["country_name"] == "France"
    assert marie["language"] == "fr" and marie["keep_informed"] is True
    assert marie["confirmed_at"].startswith("2026-01-01T00:00:00")
    assert by_name["Марія Кюрі"]["appeal"]["title"] == "Free Oleg Orlov"
    assert by_name["Marie C."]["confirmed_at"] is None
    stored = {field.name for field in Signature._meta.concrete_fields}
    assert set(marie) >= stored - {"id", "appeal", "token_hash", "withdrawal_token_hash"}
    assert not {"token_hash", "withdrawal_token_hash"} & set(marie)
    assert marie["updates_sent"] == []  # the case's updates e-mailed to her: none yet
    assert len(data["also_kept"]) == 5
    assert all("Signer" not in json.dumps(signature) for signature in data["signatures"])


def test_the_export_is_utf8_json_with_its_explanations_in_the_language_asked(signers):
    out = StringIO()
    call_command("appeals_export_person", ADDRESS, "--language", "fr", stdout=out)
    text = out.getvalue()
    assert "Марія Кюрі" in text and "\\u" not in text  # the letters themselves, not escapes
    data = json.loads(text)
    with translation.override("fr"):
        assert data["also_kept"] == privacy.what_else_is_kept()
    assert data["also_kept"][0] != privacy.what_else_is_kept()[0]  # French, not English
    with pytest.raises(CommandError, match="Unknown language"):
        call_command("appeals_export_person", ADDRESS, "--language", "xx", stdout=StringIO())


def test_the_export_of_an_unknown_address_holds_no_signature(signers):
    assert exported("nobody@example.org")["signatures"] == []
    assert not ModelLogEntry.objects.filter(action=log_actions.EXPORT_PERSON).exists()


def test_an_export_is_logged_per_appeal_without_the_address(signers):
    exported(ADDRESS)
    entries = ModelLogEntry.objects.filter(action=log_actions.EXPORT_PERSON)
    assert sorted(entry.data["signatures"] for entry in entries) == [1, 2]
    assert all("@" not in json.dumps(entry.data) for entry in entries)


# Retention


def end(appeal, days_ago):
    """Close ``appeal`` by its closing time, ``days_ago`` days ago."""
    Appeal.objects.filter(pk=appeal.pk).update(closes_at=timezone.now() - timedelta(days=days_ago))


def test_closed_appeals_are_anonymised_after_the_retention_period_with_true_counts(signers):
    appeal, second = signers
    end(appeal, 400)
    end(second, 300)  # ended, but within the 365 days
    before = true_counts(appeal, second)
    kept = list(appeal.signatures.values_list("language", "country", "created_at", "confirmed_at"))

    purged = privacy.purge()

    assert purged.anonymised.by_appeal == {appeal: 7}
    assert true_counts(appeal, second) == before
    assert kept == list(
        appeal.signatures.values_list("language", "country", "created_at", "confirmed_at")
    )
    for row in appeal.signatures.values():
        assert (row["name"], row["email"], row["city"], row["message"]) == ("", "", "", "")
        assert row["anonymised_at"] is not None
        assert not row["keep_informed"] and not row["token_hash"]
        assert "@" not in row["email_key"]
    assert second.signatures.identified().count() == 6


def test_a_purge_run_twice_changes_nothing_the_second_time(signers):
    appeal, _second = signers
    end(appeal, 400)
    assert privacy.purge().anonymised.total == 7
    rows, counts = stored_rows(), true_counts(*signers)
    again = privacy.purge()
    assert again.anonymised.total == 0 and again.expired == 0
    assert stored_rows() == rows
    assert true_counts(*signers) == counts
    assert ModelLogEntry.objects.filter(action=log_actions.PURGE).count() == 1


def test_the_purge_is_logged_per_appeal_with_the_number_of_signatures(signers):
    appeal, second = signers
    end(appeal, 400)
    end(second, 366)
    privacy.purge()
    entries = ModelLogEntry.objects.filter(action=log_actions.PURGE)
    assert {(entry.object_id, entry.data["signatures"]) for entry in entries} == {
        (str(appeal.pk), 7),
        (str(second.pk), 6),
    }
    assert all(entry.user is None for entry in entries)


def test_an_appeal_closed_by_an_editor_counts_its_retention_from_its_closing(tree, signers):
    appeal, _second = signers
    set_appeal_option(tree.case, closed=True)
    appeal.refresh_from_db()
    assert appeal.closed_at is not None
    assert privacy.purge().anonymised.total == 0  # closed today
    Appeal.objects.filter(pk=appeal.pk).update(closed_at=timezone.now() - timedelta(days=366))
    assert privacy.purge().anonymised.total == 7
    set_appeal_option(tree.case, closed=False)
    appeal.refresh_from_db()
    assert appeal.closed_at is None


@override_settings(APPEALS_RETENTION_DAYS=None)
def test_without_a_retention_period_signatures_are_kept_until_erased(signers):
    end(signers[0], 4000)
    assert privacy.purge().anonymised.total == 0
    assert Signature.objects.identified().count() == 13


@override_settings(APPEALS_RETENTION_DAYS=30)
def test_the_retention_period_is_a_setting_and_the_command_says_what_it_did(signers):
    end(signers[0], 31)
    out = StringIO()
    call_command("appeals_purge", "--dry-run", stdout=out)
    assert (
        out.getvalue().strip()
        == "Would anonymise 7 signatures of 1 appeal, ended more than 30 days ago."
    )
    assert Signature.objects.identified().count() == 13
    out = StringIO()
    call_command("appeals_purge", stdout=out)
    assert out.getvalue().splitlines() == [
        "Deleted 0 unconfirmed submissions whose link had expired.",
        "Anonymised 7 signatures of 1 appeal, ended more than 30 days ago.",
    ]


@pytest.mark.parametrize("days", [-1, "365", 36.5, True])
def test_a_retention_period_that_is_no_number_of_days_is_reported(days):
    from appeals.checks import retention_days

    with override_settings(APPEALS_RETENTION_DAYS=days):
        (error,) = retention_days(None)
    assert error.id == "appeals.E001"
    with override_settings(APPEALS_RETENTION_DAYS=0):
        assert retention_days(None) == []


def test_the_daily_task_purges_expired_submissions_and_anonymises(signers):
    end(signers[0], 400)
    make_signature(
        signers[1], email="late@example.org", confirmed_at=None,
        created_at=timezone.now() - timedelta(days=30),
    )  # fmt: skip
    result = tasks.purge_personal_data.enqueue()
    assert result.return_value == {"expired": 1, "anonymised": 7}
    assert tasks.purge_personal_data.enqueue().return_value == {"expired": 0, "anonymised": 0}


def test_an_anonymised_signature_is_no_longer_an_address_s(signers):
    appeal, _second = signers
    end(appeal, 400)
    privacy.purge()
    assert privacy.erase(ADDRESS).by_appeal == {signers[1]: 1}
    assert appeal.signatures.count() == 7  # kept, anonymised, in the statistics


# Withdrawal by the signer


@pytest.fixture
def signed(client, appeal, django_capture_on_commit_callbacks):
    """Sign as a visitor; returns the paths of the e-mailed confirmation and withdrawal links."""

    def sign(language="en", **data):
        with django_capture_on_commit_callbacks(execute=True):
            post_signature(client, appeal, sign_data(**data), language=language)
        return emailed_link(), withdrawal_link()

    return sign


def withdrawal_link(email=None):
    email = email or mail.outbox[-1]
    match = WITHDRAWAL_LINK.search(email.body)
    return match.group(1) if match else None


def token_of(path):
    return path.rsplit("token=", 1)[-1]


def withdraw(client, path, language="en", **headers):
    return client.post(
        f"/{language}/appeals/withdraw/",
        {"token": token_of(path)},
        headers={**SAME_ORIGIN, **headers},
    )


LANGUAGES = ["en", "fr", "es", "ru", "ar", "fa"]


def test_the_confirmation_email_carries_a_withdrawal_link_in_every_language(signed):
    for number, language in enumerate(LANGUAGES):
        _confirmation, path = signed(language, email=f"signer{number}@example.org")
        assert path.startswith(f"/{language}/appeals/withdraw/?token=")
        email = mail.outbox[-1]
        assert path in email.alternatives[0][0]
        with translation.override(language):
            sentence = translation.gettext(
                "Changed your mind? This link withdraws your signature, before or after you "
                "confirm it. Keep this e-mail to use it later:"
            )
            assert sentence in email.body
            assert translation.gettext("Withdraw my signature") in email.alternatives[0][0]
        if language != "en":
            assert not sentence.startswith("Changed your mind?")


def test_the_withdrawal_token_is_kept_only_as_a_hash_and_differs_from_the_confirmation(signed):
    confirmation, withdrawal = signed()
    signature = Signature.objects.get()
    assert token_of(withdrawal) != token_of(confirmation)
    assert token_of(withdrawal) not in str(Signature.objects.values().get())
    assert signature.withdrawal_token_hash and len(signature.withdrawal_token_hash) == 64


def test_opening_the_withdrawal_link_withdraws_nothing(client, signed, appeal):
    _confirmation, path = signed("fr")
    client.post(_confirmation, headers=SAME_ORIGIN)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/fr/appeals/withdraw/">' in html
    assert f'name="token" value="{token_of(path)}"' in html
    assert "Libérez Lena Orlova" in html
    assert response["Referrer-Policy"] == "strict-origin"
    assert Signature.objects.confirmed().count() == 1


def test_a_confirmed_signature_withdrawn_no_longer_counts(client, signed, appeal):
    confirmation, path = signed("fr", country="BE")
    client.post(confirmation, headers=SAME_ORIGIN)
    assert true_counts(appeal)[0][0] == 1

    response = withdraw(client, path, "fr")

    assert response.status_code == 200
    with translation.override("fr"):
        assert (
            translation.gettext("Your signature is withdrawn: it is deleted and no longer counted.")
            in response.content.decode()
        )
    assert not Signature.objects.exists()
    assert true_counts(appeal) == [(0, {}, {})]


def test_a_withdrawal_link_used_twice_says_it_was_already_withdrawn(client, signed, appeal):
    confirmation, path = signed()
    client.post(confirmation, headers=SAME_ORIGIN)
    assert withdraw(client, path).status_code == 200
    again = withdraw(client, path)
    assert again.status_code == 200
    assert "This signature was already withdrawn" in again.content.decode()
    opened = client.get(path)
    assert opened.status_code == 200 and "already withdrawn" in opened.content.decode()
    assert 'action="/en/appeals/withdraw/"' not in opened.content.decode()
    assert Withdrawal.objects.count() == 1
    assert true_counts(appeal) == [(0, {}, {})]


def test_a_submission_withdrawn_before_its_confirmation_can_no_longer_be_confirmed(
    client, signed, appeal
):
    confirmation, path = signed()
    assert withdraw(client, path).status_code == 200
    assert not Signature.objects.exists()
    assert client.post(confirmation, headers=SAME_ORIGIN).status_code == 404
    assert true_counts(appeal) == [(0, {}, {})]


@pytest.mark.parametrize(
    "token", ["forged-" + "x" * 36, "", "x" * 101, "a\x00b", "../../etc", "é" * 40]
)
def test_a_forged_or_broken_token_is_told_the_link_is_not_valid(client, signed, token):
    signed()
    response = client.post("/fr/appeals/withdraw/", {"token": token}, headers=SAME_ORIGIN)
    assert response.status_code == 404
    with translation.override("fr"):
        message = translation.gettext(
            "This withdrawal link is not valid. Check that you copied the whole link."
        )
    assert message in response.content.decode()
    # A NUL in an address is refused before any view.
    opened = client.get("/fr/appeals/withdraw/", {"token": token})
    assert opened.status_code == (400 if "\x00" in token else 404)
    assert Signature.objects.count() == 1


def test_the_link_of_an_erased_signature_answers_as_a_forged_one(client, signed):
    confirmation, path = signed()
    client.post(confirmation, headers=SAME_ORIGIN)
    privacy.erase("marie@example.org")
    forged = client.post("/en/appeals/withdraw/", {"token": "x" * 43}, headers=SAME_ORIGIN)
    erased = withdraw(client, path)
    assert (erased.status_code, erased.content) == (forged.status_code, forged.content)


def test_a_withdrawal_posted_from_another_site_is_refused(client, signed):
    confirmation, path = signed()
    response = withdraw(client, path, origin="https://evil.example")
    assert response.status_code == 403
    assert Signature.objects.count() == 1


def test_a_withdrawal_is_logged_without_a_user_or_an_address(client, signed, appeal):
    confirmation, path = signed()
    withdraw(client, path)
    (entry,) = ModelLogEntry.objects.filter(action=log_actions.WITHDRAW)
    assert entry.object_id == str(appeal.pk) and entry.user is None
    assert entry.message == "A signer withdrew their signature"
    assert "@" not in json.dumps(entry.data)


def api_withdraw(client, token, locale=None):
    query = f"?locale={locale}" if locale else ""
    return client.post(
        f"/api/v3/appeals/withdraw/{query}",
        data=json.dumps({"token": token}),
        content_type="application/json",
    )


def test_the_api_withdraws_with_the_same_answers(client, signed, appeal):
    confirmation, path = signed()
    client.post(confirmation, headers=SAME_ORIGIN)
    response = api_withdraw(client, token_of(path), "fr")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    with translation.override("fr"):
        assert response.json()["message"] == translation.gettext(
            "Your signature is withdrawn: it is deleted and no longer counted."
        )
    assert api_withdraw(client, token_of(path)).json()["status"] == "already_withdrawn"
    forged = api_withdraw(client, "forged")
    assert (forged.status_code, forged.json()["status"]) == (404, "invalid")
    assert api_withdraw(client, None).status_code == 404
    assert true_counts(appeal) == [(0, {}, {})]


def test_the_api_refuses_a_withdrawal_from_another_origin_or_not_json(client, signed):
    _confirmation, path = signed()
    refused = client.post(
        "/api/v3/appeals/withdraw/",
        data=json.dumps({"token": token_of(path)}),
        content_type="application/json",
        headers={"origin": "https://evil.example"},
    )
    assert refused.status_code == 403
    as_form = client.post("/api/v3/appeals/withdraw/", {"token": token_of(path)})
    assert as_form.status_code == 415
    assert Signature.objects.count() == 1


def test_an_old_signature_without_a_withdrawal_link_is_not_withdrawn_by_an_empty_token(
    client, appeal
):
    make_signature(appeal)
    assert privacy.withdraw("")[0] is privacy.Withdrawn.INVALID
    assert Signature.objects.count() == 1


# The campaign desk


def admin_url(name):
    return reverse(f"appeals_signers_rights:{name}")


def refused(response):
    """Whether ``response`` is Wagtail's refusal: to the dashboard, with its message."""
    if response.status_code != 302 or response.url != reverse("wagtailadmin_home"):
        return False
    return "Sorry, you do not have permission to access this area." in messages_of(response)


def messages_of(response):
    return [str(message).strip() for message in response.wsgi_request._messages]


@pytest.fixture
def manager():
    return make_user("manager", groups=["Campaign managers"])


@pytest.mark.parametrize("group", ["Editors", "Moderators", "Translators"])
def test_editors_and_translators_are_refused_every_page_of_the_signers_rights(
    client, signers, group
):
    client.force_login(make_user("someone", groups=[group]))
    for name in ["index", "export", "erase", "purge"]:
        assert refused(client.get(admin_url(name))), name
    posted = {"export-email": ADDRESS, "erase-email": ADDRESS, "confirm": "yes"}
    for name in ["export", "erase", "purge"]:
        response = client.post(admin_url(name), posted)
        assert refused(response), name
        assert ADDRESS not in response.content.decode()
    assert Signature.objects.of_address(ADDRESS).count() == 3
    assert Signature.objects.identified().count() == 13
    assert "appeals/signers" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_campaign_manager_finds_the_signers_rights_in_the_menu(client, manager):
    client.force_login(manager)
    assert admin_url("index") in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(admin_url("index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="export-email"' in html and 'name="erase-email"' in html
    assert admin_url("purge") in html


def test_a_manager_downloads_what_is_stored_about_an_address(client, manager, signers):
    client.force_login(manager)
    response = client.post(admin_url("export"), {"export-email": "Marie.Curie@EXAMPLE.org"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="signer-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content.decode("utf-8"))
    assert len(data["signatures"]) == 3
    entries = ModelLogEntry.objects.filter(action=log_actions.EXPORT_PERSON)
    assert sorted(entry.data["signatures"] for entry in entries) == [1, 2]
    assert all(entry.user == manager for entry in entries)
    assert all("@" not in json.dumps(entry.data) for entry in entries)


def test_an_export_of_an_unknown_or_broken_address_says_so_on_the_page(client, manager, signers):
    client.force_login(manager)
    unknown = client.post(admin_url("export"), {"export-email": "nobody@example.org"})
    assert unknown.status_code == 200
    assert "Nothing is stored about this address." in unknown.content.decode()
    broken = client.post(admin_url("export"), {"export-email": "not an address\x00"})
    assert broken.status_code == 200
    assert "<form" in broken.content.decode() and broken.context["export_form"].errors
    empty = client.post(admin_url("export"), {})
    assert empty.status_code == 200 and empty.context["export_form"].errors
    assert not ModelLogEntry.objects.filter(action=log_actions.EXPORT_PERSON).exists()


def test_a_manager_erases_an_address_after_confirming(client, manager, signers):
    appeal, second = signers
    client.force_login(manager)
    asked = client.post(admin_url("erase"), {"erase-email": ADDRESS})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "This address has 3 signatures stored." in html
    assert appeal.title in html and "Free Oleg Orlov" in html
    assert 'name="confirm" value="yes"' in html
    assert Signature.objects.of_address(ADDRESS).count() == 3  # nothing erased yet

    done = client.post(admin_url("erase"), {"erase-email": ADDRESS, "confirm": "yes"})
    assert done.status_code == 302 and done.url == admin_url("index")
    assert messages_of(done) == ["Erased 3 signatures of this address."]
    assert not Signature.objects.of_address(ADDRESS).exists()
    assert [figures[0] for figures in true_counts(appeal, second)] == [5, 5]
    entries = ModelLogEntry.objects.filter(action=log_actions.ERASE)
    assert {entry.data["signatures"] for entry in entries} == {1, 2}
    assert all(entry.user == manager and "@" not in json.dumps(entry.data) for entry in entries)


def test_erasing_an_unknown_address_in_the_admin_offers_nothing_to_confirm(
    client, manager, signers
):
    client.force_login(manager)
    response = client.post(admin_url("erase"), {"erase-email": "nobody@example.org"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No signature of this address is stored: nothing to erase." in html
    assert 'value="yes"' not in html
    posted = client.post(admin_url("erase"), {"erase-email": "@", "confirm": "yes"})
    assert posted.status_code == 200 and posted.context["erase_form"].errors
    assert Signature.objects.count() == 13


def test_who_may_erase_but_not_see_signers_is_not_told_which_appeals(client, signers):
    from django.contrib.auth.models import Permission

    eraser = make_user("eraser")
    eraser.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="erase_signer"),
    )
    client.force_login(eraser)
    asked = client.post(admin_url("erase"), {"erase-email": ADDRESS})
    assert "This address has 3 signatures stored." in asked.content.decode()
    assert "Free Oleg Orlov" not in asked.content.decode()
    assert refused(client.post(admin_url("export"), {"export-email": ADDRESS}))
    assert 'name="export-email"' not in client.get(admin_url("index")).content.decode()


def test_a_manager_runs_the_purge_after_seeing_what_it_anonymises(client, manager, signers):
    appeal, second = signers
    end(appeal, 400)
    client.force_login(manager)
    shown = client.get(admin_url("purge"))
    assert shown.status_code == 200
    assert shown.context["due"].by_appeal == {appeal: 7}
    assert Signature.objects.identified().count() == 13
    done = client.post(admin_url("purge"))
    assert done.status_code == 302
    assert messages_of(done) == ["Anonymised 7 signatures of appeals past their retention period."]
    (entry,) = ModelLogEntry.objects.filter(action=log_actions.PURGE)
    assert entry.user == manager and entry.data == {"signatures": 7}
    again = client.get(admin_url("purge"))
    assert "Nothing to anonymise" in again.content.decode()


@override_settings(APPEALS_RETENTION_DAYS=None)
def test_without_a_retention_period_the_admin_purge_anonymises_nothing(client, manager, signers):
    end(signers[0], 4000)
    client.force_login(manager)
    assert "no retention period is set" in client.get(admin_url("purge")).content.decode()
    client.post(admin_url("purge"))
    assert Signature.objects.identified().count() == 13


def test_the_signers_rights_read_right_to_left_in_arabic(client, manager, signers):
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(manager)
    response = client.get(admin_url("index"))
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    with translation.override("ar"):
        assert translation.gettext("Erase a signer") in html
        assert translation.gettext("Erase a signer") != "Erase a signer"
    asked = client.post(admin_url("erase"), {"erase-email": ADDRESS})
    assert asked.status_code == 200 and 'dir="rtl"' in asked.content.decode()
