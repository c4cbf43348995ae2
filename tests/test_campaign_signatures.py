"""The campaign desk's Signatures: a listing, its filters and exports, for managers alone."""

import csv
import io
import time
import tracemalloc
from datetime import UTC, datetime

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from appeals.admin import log_actions
from appeals.models import Signature
from tests.builders import make_case, make_signature, make_user

pytestmark = pytest.mark.django_db

DENIED = "denied"
INDEX = "/admin/appeals/signatures/"
RESULTS = "/admin/appeals/signatures/results/"
HEADER = [
    "Name", "E-mail", "Town or city", "Country code", "Country", "Language", "Appeal",
    "Confirmed", "Signed at (UTC)", "Confirmed at (UTC)", "Keep informed", "Message",
]  # fmt: skip


def moment(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def second_appeal(tree, title="Free Oleg Sorokin", slug="oleg-sorokin"):
    case = make_case(tree.index, title=title, slug=slug)
    return case.get_appeal(case.get_appeal_blocks()[0].id)


@pytest.fixture
def signers(tree):
    """Three confirmed signatures on two appeals and one pending submission."""
    other = second_appeal(tree)
    return {
        "amal": make_signature(
            tree.appeal, name="Amal Haddad", email="amal@example.org", city="Beirut",
            country="LB", language="ar", message="Free her now.", keep_informed=True,
            created_at=moment("2026-01-02T09:00:00"), confirmed_at=moment("2026-01-02T10:00:00"),
        ),
        "jean": make_signature(
            tree.appeal, name="Jean Dupont", email="jean@example.org", city="Lyon",
            country="FR", language="fr",
            created_at=moment("2026-02-10T09:00:00"), confirmed_at=moment("2026-02-10T09:30:00"),
        ),
        "olga": make_signature(
            other, name="Olga Petrova", email="olga@example.org", city="Kazan", country="RU",
            language="ru",
            created_at=moment("2026-03-01T08:00:00"), confirmed_at=moment("2026-03-01T08:05:00"),
        ),
        "pending": make_signature(
            tree.appeal, name="Pat Pending", email="pat@example.org", country="GB",
            created_at=moment("2026-03-05T08:00:00"), confirmed_at=None,
        ),
        "other": other,
    }  # fmt: skip


@pytest.fixture
def manager():
    return make_user("manager", groups=["Campaign managers"])


def user_with(username, *codenames):
    """A user of the admin holding only the given permissions on signatures."""
    user = make_user(username)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="appeals", codename__in=codenames),
    )
    return user


def outsiders():
    return {
        "editor": make_user("editor", groups=["Editors"]),
        "moderator": make_user("moderator", groups=["Moderators"]),
        "translator": make_user("translator", groups=["Translators"]),
        "admin user": user_with("plain-admin-user"),
        # Rights Django has but no group is given: none opens a signer.
        "change and delete": user_with("changer", "change_signature", "delete_signature"),
        "export without view": user_with("exporter", "export_signature"),
    }


def get_as(client, user, url):
    """GET ``url`` as ``user``: the response, or DENIED for Wagtail's refusal."""
    client.force_login(user)
    response = client.get(url)
    if response.status_code == 302 and response.url == reverse("wagtailadmin_home"):
        messages = [str(message).strip() for message in response.wsgi_request._messages]
        assert "Sorry, you do not have permission to access this area." in messages
        return DENIED
    return response


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def exported_csv(response):
    assert response.status_code == 200, response
    assert response["Content-Type"] == "text/csv"
    assert 'filename="signatures.csv"' in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(body(response), newline="")))


def exported_xlsx(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def listed_names(response):
    return [signature.name for signature in response.context["object_list"]]


# Permissions


@pytest.mark.parametrize(
    "url",
    [INDEX, RESULTS, f"{INDEX}?export=csv", f"{INDEX}?export=xlsx", f"{RESULTS}?export=csv",
     "inspect"],
)  # fmt: skip
def test_no_one_but_those_who_may_see_signers_opens_a_desk_address(client, signers, url):
    if url == "inspect":
        url = reverse("appeals_signatures:inspect", args=[signers["amal"].pk])
    for who, user in outsiders().items():
        assert get_as(client, user, url) == DENIED, who
        client.force_login(user)
        ajax = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert ajax.status_code == 403, who
        assert "Amal" not in body(ajax) and "amal@" not in body(ajax)


def test_the_campaigns_menu_shows_signatures_to_managers_alone(client, manager):
    client.force_login(manager)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Campaigns" in home and INDEX in home
    for who, user in outsiders().items():
        client.force_login(user)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        # Editors and translators find the Campaigns menu too, with the appeals' counts:
        # never its signatures.
        assert INDEX not in home, who


def test_there_is_no_way_to_add_edit_or_delete_a_signature(client, manager, signers):
    client.force_login(manager)
    pk = signers["amal"].pk
    for address in ["new/", f"edit/{pk}/", f"delete/{pk}/", f"history/{pk}/", f"copy/{pk}/"]:
        assert client.get(INDEX + address).status_code == 404, address
    superuser = make_user("root", superuser=True)
    client.force_login(superuser)
    page = body(client.get(reverse("appeals_signatures:inspect", args=[pk])))
    assert "/edit/" not in page and "/delete/" not in page


def test_a_manager_without_the_export_right_sees_signers_and_no_export(client, signers):
    viewer = user_with("viewer", "view_signature")
    response = get_as(client, viewer, INDEX)
    assert listed_names(response) == ["Olga Petrova", "Jean Dupont", "Amal Haddad"]
    assert "Download CSV" not in body(response) and "export=" not in body(response)
    for address in [f"{INDEX}?export=csv", f"{INDEX}?export=xlsx", f"{RESULTS}?export=xlsx"]:
        assert get_as(client, viewer, address) == DENIED
    assert not ModelLogEntry.objects.filter(action=log_actions.EXPORT).exists()


def test_signers_are_copied_into_no_index_of_wagtails(client, manager, signers):
    from wagtail.models import ReferenceIndex
    from wagtail.search.index import class_is_indexed

    assert not class_is_indexed(Signature)
    assert not ReferenceIndex.is_indexed(Signature)
    assert not ReferenceIndex.objects.filter(content_type__model="signature").exists()


def test_the_group_editor_offers_no_right_to_add_change_or_delete_signatures(client):
    client.force_login(make_user("root", superuser=True))
    group = Group.objects.get(name="Campaign managers")
    page = body(client.get(reverse("wagtailusers_groups:edit", args=[group.pk])))
    for codename in ["add_signature", "change_signature", "delete_signature"]:
        permission = Permission.objects.get(codename=codename)
        assert f'value="{permission.pk}"' not in page, codename


# The listing


def test_a_manager_sees_confirmed_signatures_latest_first(client, manager, signers):
    response = get_as(client, manager, INDEX)
    assert response.status_code == 200
    assert listed_names(response) == ["Olga Petrova", "Jean Dupont", "Amal Haddad"]
    page = body(response)
    for text in ["amal@example.org", "Beirut", "Lebanon", "Arabic", "Free Lena Orlova",
                 "Free Oleg Sorokin", "Confirmed", "Download CSV", "Download XLSX"]:  # fmt: skip
        assert text in page, text
    assert "Pat Pending" not in page


def test_pending_submissions_are_shown_on_request_marked_as_no_signatures(client, manager, signers):
    response = get_as(client, manager, f"{INDEX}?status=pending")
    assert listed_names(response) == ["Pat Pending"]
    assert "Pending: not a signature" in body(response)
    response = get_as(client, manager, f"{INDEX}?status=all")
    assert listed_names(response)[0] == "Pat Pending" and len(listed_names(response)) == 4


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("language=fr", ["Jean Dupont"]),
        ("country=LB", ["Amal Haddad"]),
        ("language=ru&country=RU", ["Olga Petrova"]),
        ("signed_from=2026-02-01&signed_to=2026-02-28", ["Jean Dupont"]),
        ("confirmed_from=2026-02-11", ["Olga Petrova"]),
        ("confirmed_to=2026-01-31", ["Amal Haddad"]),
        ("q=haddad", ["Amal Haddad"]),
        ("q=JEAN@EXAMPLE", ["Jean Dupont"]),
        ("q=nobody", []),
        ("status=all&q=pat@", ["Pat Pending"]),
    ],
)
def test_filters_and_search_narrow_the_listing(client, manager, signers, query, names):
    assert listed_names(get_as(client, manager, f"{INDEX}?{query}")) == names


def test_the_appeal_filter_lists_that_appeals_signatures(client, manager, signers, appeal):
    response = get_as(client, manager, f"{INDEX}?appeal={appeal.pk}")
    assert listed_names(response) == ["Jean Dupont", "Amal Haddad"]
    response = get_as(client, manager, f"{INDEX}?appeal={signers['other'].pk}")
    assert listed_names(response) == ["Olga Petrova"]


@pytest.mark.parametrize(
    "query",
    ["appeal=999999", "appeal=x", "language=xx", "country=ZZ", "status=everything",
     "signed_from=2026-13-45", "confirmed_to=yesterday", "appeal=%00", "p=-1",
     "ordering=token_hash", "q=" + "a" * 5000],
)  # fmt: skip
def test_broken_filters_list_no_pending_submission_and_never_fail(client, manager, signers, query):
    response = get_as(client, manager, f"{INDEX}?{query}")
    # The site refuses a control character in any request (website.middleware).
    assert response.status_code == (400 if "%00" in query else 200)
    assert "Pat Pending" not in body(response)
    assert "pat@example.org" not in body(get_as(client, manager, f"{RESULTS}?{query}"))


def test_a_broken_filter_says_what_is_wrong(client, manager, signers):
    response = get_as(client, manager, f"{INDEX}?signed_from=2026-13-45&language=xx")
    assert response.context["object_list"].count() == 0
    assert response.context["no_results_message"] == (
        "Nothing is listed while a filter is not valid: Language: Select a valid choice. xx is "
        "not one of the available choices.; Signed between: Enter a valid date."
    )


def test_the_listing_names_countries_and_languages_in_the_managers_language(
    client, manager, signers
):
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "fr"
    profile.save()
    page = body(get_as(client, manager, INDEX))
    assert "Liban" in page and "arabe" in page.lower() and "Signatures" in page


def test_the_listing_costs_as_many_queries_for_fifty_rows_as_for_two(client, manager, tree):
    appeals = [tree.appeal, second_appeal(tree)]

    def queries_for(count):
        Signature.objects.all().delete()
        for number in range(count):
            make_signature(appeals[number % 2], email=f"s{number}@example.org")
        client.force_login(manager)
        client.get(INDEX)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INDEX)
        assert len(response.context["object_list"]) == count
        return len(queries)

    assert queries_for(50) == queries_for(2)


# A signature's page


def test_a_signatures_page_shows_what_the_signer_gave(client, manager, signers):
    url = reverse("appeals_signatures:inspect", args=[signers["amal"].pk])
    response = get_as(client, manager, url)
    page = body(response)
    for text in ["Amal Haddad", "amal@example.org", "Beirut", "Lebanon", "Arabic",
                 "Free her now.", "Free Lena Orlova", "Yes"]:  # fmt: skip
        assert text in page, text


def test_a_pending_submissions_page_says_it_is_no_signature(client, manager, signers):
    url = reverse("appeals_signatures:inspect", args=[signers["pending"].pk])
    response = get_as(client, manager, url)
    assert "Pending: not a signature" in body(response)


def test_an_unknown_signature_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(f"{INDEX}inspect/999999/").status_code == 404
    assert client.get(f"{INDEX}inspect/x/").status_code == 404


# Exports


def test_the_csv_export_holds_the_filtered_signatures_oldest_first(client, manager, signers):
    rows = exported_csv(get_as(client, manager, f"{INDEX}?export=csv"))
    assert rows[0] == HEADER
    assert rows[1] == [
        "Amal Haddad", "amal@example.org", "Beirut", "LB", "Lebanon", "ar", "Free Lena Orlova",
        "yes", "2026-01-02T09:00:00+00:00", "2026-01-02T10:00:00+00:00", "yes", "Free her now.",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["Amal Haddad", "Jean Dupont", "Olga Petrova"]
    rows = exported_csv(get_as(client, manager, f"{RESULTS}?export=csv&language=fr"))
    assert [row[0] for row in rows[1:]] == ["Jean Dupont"]


def test_pending_submissions_are_exported_only_on_request_and_marked(client, manager, signers):
    rows = exported_csv(get_as(client, manager, f"{INDEX}?export=csv&status=pending"))
    assert rows[1][:2] == ["Pat Pending", "pat@example.org"]
    assert (rows[1][7], rows[1][9]) == ("no", "")


def test_the_xlsx_export_holds_the_same_cells_with_dates_as_dates(client, manager, signers):
    rows = exported_xlsx(get_as(client, manager, f"{INDEX}?export=xlsx&country=LB"))
    assert rows[0] == HEADER
    assert rows[1] == [
        "Amal Haddad", "amal@example.org", "Beirut", "LB", "Lebanon", "ar", "Free Lena Orlova",
        "yes", datetime(2026, 1, 2, 9), datetime(2026, 1, 2, 10), "yes", "Free her now.",
    ]  # fmt: skip
    assert len(rows) == 2


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_filter_that_matches_nothing_exports_the_headers_alone(
    client, manager, signers, export_format
):
    response = get_as(client, manager, f"{INDEX}?export={export_format}&q=nobody")
    rows = exported_csv(response) if export_format == "csv" else exported_xlsx(response)
    assert rows == [HEADER]


@pytest.mark.parametrize("hostile", ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tcmd", '=HYPERLINK("x")'])
def test_cells_a_spreadsheet_would_run_are_written_as_text_in_both_formats(
    client, manager, appeal, hostile
):
    make_signature(appeal, name=hostile, email="x@example.org", city=hostile, message=hostile)
    (row,) = exported_csv(get_as(client, manager, f"{INDEX}?export=csv"))[1:]
    assert row[0] == row[2] == row[11] == f"'{hostile}"
    (row,) = exported_xlsx(get_as(client, manager, f"{INDEX}?export=xlsx"))[1:]
    assert row[0] == row[2] == row[11] == f"'{hostile}"


def test_an_export_is_written_in_the_managers_language(client, manager, signers):
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "fr"
    profile.save()
    rows = exported_csv(get_as(client, manager, f"{INDEX}?export=csv&country=LB"))
    assert rows[0][:5] == ["Nom", "Adresse e-mail", "Ville", "Code du pays", "Pays"]
    assert (rows[1][4], rows[1][7]) == ("Liban", "oui")


@override_settings(APPEALS_XLSX_MAX_ROWS=2)
def test_above_the_limit_xlsx_is_refused_and_csv_offered(client, manager, signers, appeal):
    page = body(get_as(client, manager, INDEX))
    assert "Download CSV" in page and "Download XLSX" not in page
    client.force_login(manager)
    response = client.get(f"{INDEX}?export=xlsx&language=")
    assert response.status_code == 302 and response.url == f"{INDEX}?language="
    (message,) = [str(message).strip() for message in response.wsgi_request._messages]
    assert message == (
        "XLSX holds at most 2 signatures, and this selection holds 3: export it as CSV, "
        "or narrow the filters."
    )
    assert len(exported_csv(client.get(f"{INDEX}?export=csv"))) == 4
    # Narrowed under the limit, the selection is offered as XLSX again.
    assert "Download XLSX" in body(client.get(f"{INDEX}?appeal={appeal.pk}"))
    assert len(exported_xlsx(client.get(f"{INDEX}?export=xlsx&appeal={appeal.pk}"))) == 3
    # Each appeal whose signatures left: two for the CSV, one for the XLSX.
    assert ModelLogEntry.objects.filter(action=log_actions.EXPORT).count() == 3


def test_an_export_with_broken_filters_is_refused_with_a_message(client, manager, signers):
    client.force_login(manager)
    response = client.get(f"{INDEX}?export=csv&signed_from=2026-13-45")
    assert response.status_code == 302
    (message,) = [str(message).strip() for message in response.wsgi_request._messages]
    assert message == "The filters are not valid: correct them, then export."
    assert not ModelLogEntry.objects.filter(action=log_actions.EXPORT).exists()


# The audit log


def export_entries():
    return list(ModelLogEntry.objects.filter(action=log_actions.EXPORT).order_by("object_id"))


def test_every_export_is_logged_per_appeal_without_a_signer(client, manager, signers, appeal):
    client.force_login(manager)
    body(client.get(f"{INDEX}?export=csv&q=example.org"))
    first, second = export_entries()
    assert (first.object_id, second.object_id) == (str(appeal.pk), str(signers["other"].pk))
    assert first.user == manager and first.label == "Free Lena Orlova"
    assert first.data == {
        "format": "csv", "rows": 2, "export_rows": 3,
        "filters": "confirmed signatures; searched by name or e-mail",
    }  # fmt: skip
    assert first.message == (
        "Exported 2 signatures as CSV (confirmed signatures; searched by name or e-mail)"
    )
    for entry in (first, second):
        assert "@" not in str(entry.data) and "example.org" not in str(entry.data)
        assert "Amal" not in str(entry.data) and "Olga" not in str(entry.data)


def test_the_log_describes_the_filters_of_an_export(client, manager, signers, appeal):
    client.force_login(manager)
    query = (
        f"export=xlsx&appeal={appeal.pk}&language=fr&country=FR&status=all"
        "&signed_from=2026-02-01&confirmed_to=2026-02-28"
    )
    exported_xlsx(client.get(f"{INDEX}?{query}"))
    (entry,) = export_entries()
    assert entry.message == (
        "Exported 1 signature as XLSX (confirmed signatures and pending submissions; "
        "appeal: Free Lena Orlova; language: French; country: France; signed from 2026-02-01; "
        "confirmed until 2026-02-28)"
    )


def test_an_export_of_nothing_is_logged_against_the_appeal_filtered(
    client, manager, signers, appeal
):
    client.force_login(manager)
    exported_csv(client.get(f"{INDEX}?export=csv&appeal={appeal.pk}&country=JP"))
    (entry,) = export_entries()
    assert entry.object_id == str(appeal.pk) and entry.data["rows"] == 0


# Scale


def bulk_signatures(appeal, count):
    Signature.objects.bulk_create(
        (
            Signature(
                appeal=appeal, language="en", name=f"Signer number {n}",
                email=f"s{n}@example.org", email_key=f"s{n}@example.org", country="FR",
                city="Paris", message="A message of some length. " * 4, consent_version="1",
                confirmed_at="2026-01-01T00:00:00Z",
            )
            for n in range(count)
        ),
        batch_size=5000,
    )  # fmt: skip


def streamed_bytes(response):
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    return size


@pytest.mark.slow
def test_an_export_of_100000_signatures_streams_in_little_memory(client, manager, appeal):
    rows = 100_000
    bulk_signatures(appeal, rows)
    client.force_login(manager)

    started = time.perf_counter()
    response = client.get(f"{INDEX}?export=csv")
    size = streamed_bytes(response)
    seconds = time.perf_counter() - started

    tracemalloc.start()
    try:
        response = client.get(f"{INDEX}?export=csv")
        assert streamed_bytes(response) == size
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(
        f"\nCSV export of {rows} signatures: {size / 1e6:.1f} MB in {seconds:.2f} s, "
        f"{rows / seconds:,.0f} rows/s; peak traced memory {peak / 1e6:.1f} MB"
    )
    assert size > 15_000_000  # the file itself: far more than the memory it took
    assert peak < 30_000_000, peak


def test_anonymised_signatures_are_neither_listed_nor_exported(client, manager, signers):
    Signature.objects.filter(pk=signers["jean"].pk).anonymise()
    response = get_as(client, manager, INDEX)
    assert "Jean Dupont" not in listed_names(response)
    assert len(listed_names(response)) == 2
    rows = exported_csv(get_as(client, manager, f"{INDEX}?export=csv"))
    assert [row[0] for row in rows[1:]] == ["Amal Haddad", "Olga Petrova"]
    inspect = reverse("appeals_signatures:inspect", args=[signers["jean"].pk])
    assert get_as(client, manager, inspect).status_code == 404


def test_addresses_read_left_to_right_in_a_right_to_left_admin(client, manager, signers):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "ar"
    profile.save()
    page = body(get_as(client, manager, INDEX))
    assert 'dir="rtl"' in page
    assert '<bdi dir="ltr">amal@example.org</bdi>' in page
