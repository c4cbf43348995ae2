"""The campaign desk's Appeals: the listing, each appeal's report with its chart, the case
page's counts and the dashboard's open appeals. Counts for whoever follows appeals, and
never a signer for anyone."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.users.models import UserProfile

from appeals import counters
from appeals.admin import charts
from appeals.models import Appeal, CasePage
from tests.builders import make_case, make_signature, make_user, set_appeal_option

pytestmark = pytest.mark.django_db

DENIED = "denied"
# What one signer typed: none of it may reach any page of the desk's counts.
SIGNER = {
    "name": "Zebulon Quillfeather",
    "email": "zebulon.quillfeather@example.org",
    "city": "Xanthoria",
    "message": "Marmalade manifesto for the prosecutor",
}
SIGNER_TRACES = [*SIGNER.values(), "Zebulon", "Quillfeather", "zebulon.quillfeather"]

USER_KINDS = ["superuser", "manager", "editor", "moderator", "translator"]


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """Users here log in with ``force_login``: their passwords need no costly hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user_of_kind(kind):
    groups = {
        "manager": ["Campaign managers"],
        "editor": ["Editors"],
        "moderator": ["Moderators"],
        "translator": ["Translators"],
    }
    if kind == "superuser":
        return make_user(kind, superuser=True)
    if kind == "outsider":
        user = make_user(kind)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        return user
    return make_user(kind, groups=groups[kind])


def get_as(client, user, url):
    """GET ``url`` as ``user``: the response, or DENIED for Wagtail's refusal."""
    client.force_login(user)
    response = client.get(url)
    if response.status_code == 302 and response.url == reverse("wagtailadmin_home"):
        messages = [str(message).strip() for message in response.wsgi_request._messages]
        assert "Sorry, you do not have permission to access this area." in messages
        return DENIED
    return response


def confirmed_on(day, hour=12):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def sign(appeal, number, *, language="en", country="FR", day=date(2026, 3, 2), **fields):
    """``number`` signatures of ``appeal`` confirmed on ``day``, signed in ``language``."""
    for _ in range(number):
        sign.serial += 1
        make_signature(
            appeal,
            language=language,
            country=country,
            email=f"signer-{sign.serial}@example.org",
            confirmed_at=confirmed_on(day),
            **fields,
        )


sign.serial = 0


def pending(appeal, number):
    for _ in range(number):
        sign.serial += 1
        make_signature(appeal, email=f"pending-{sign.serial}@example.org", confirmed_at=None)


def report_url(appeal):
    return reverse("appeals_appeal:report", args=[appeal.pk])


DESK_PAGES = ["listing", "listing results", "report", "dashboard", "case page", "translation"]


def desk_url(tree, page):
    """The address of one of the pages that show appeals' counts."""
    return {
        "listing": lambda: reverse("appeals_appeal:index"),
        "listing results": lambda: reverse("appeals_appeal:index_results") + "?q=Lena",
        "report": lambda: report_url(tree.appeal),
        "dashboard": lambda: reverse("wagtailadmin_home"),
        "case page": lambda: reverse("wagtailadmin_pages:edit", args=[tree.case.pk]),
        "translation": lambda: reverse("wagtailadmin_pages:edit", args=[tree.french_case.pk]),
    }[page]()


def in_arabic(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "ar"
    profile.save()
    return user


def svg_of(html):
    (svg,) = re.findall(r"<svg viewBox.*?</svg>", html, re.S)
    return svg


# Who sees what


@pytest.mark.parametrize("page", DESK_PAGES)
@pytest.mark.parametrize("kind", USER_KINDS)
def test_whoever_may_edit_pages_or_see_signers_follows_the_appeals(client, tree, kind, page):
    response = get_as(client, make_user_of_kind(kind), desk_url(tree, page))
    if kind == "manager" and page in ("case page", "translation"):
        # Campaign managers follow appeals; the case's pages are the editors'.
        assert response == DENIED
        return
    assert response != DENIED
    assert response.status_code == 200
    assert reverse("appeals_appeal:index") in response.content.decode()  # the menu


def test_a_user_who_may_only_enter_the_admin_is_refused(client, tree):
    outsider = make_user_of_kind("outsider")
    assert get_as(client, outsider, reverse("appeals_appeal:index")) == DENIED
    assert get_as(client, outsider, report_url(tree.appeal)) == DENIED
    # An unknown id is refused alike: the refusal comes before the lookup.
    assert get_as(client, outsider, reverse("appeals_appeal:report", args=[10**6])) == DENIED
    home = get_as(client, outsider, reverse("wagtailadmin_home")).content.decode()
    assert reverse("appeals_appeal:index") not in home
    assert "data-open-appeals" not in home
    refused = client.get(
        reverse("appeals_appeal:index"), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("page", DESK_PAGES)
@pytest.mark.parametrize("kind", [*USER_KINDS, "outsider"])
def test_no_signer_ever_appears_on_the_desks_counts(client, tree, kind, page):
    make_signature(tree.appeal, **SIGNER, show_publicly=True, keep_informed=True)
    make_signature(tree.appeal, **{**SIGNER, "email": "zq2@example.org"}, confirmed_at=None)
    counters.fold()
    response = get_as(client, make_user_of_kind(kind), desk_url(tree, page))
    if response == DENIED:
        return
    html = response.content.decode()
    for trace in SIGNER_TRACES:
        assert trace not in html, trace


def test_there_is_nothing_to_add_edit_or_delete(client, tree):
    client.force_login(make_user_of_kind("superuser"))
    html = client.get(reverse("appeals_appeal:index")).content.decode()
    assert "/admin/appeals/new/" not in html
    for name in ["add", "edit", "delete", "history", "inspect", "copy"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"appeals_appeal:{name}", args=[] if name == "add" else [tree.appeal.pk])


def test_the_policy_names_who_follows_the_appeals(tree):
    from wagtail.permissions import policy_registry

    kinds = {kind: make_user_of_kind(kind) for kind in [*USER_KINDS, "outsider"]}
    policy = policy_registry.get_by_type(Appeal)
    followers = set(policy.users_with_any_permission(["view"]))
    assert followers >= {user for kind, user in kinds.items() if kind != "outsider"}
    assert kinds["outsider"] not in followers
    assert not policy.users_with_any_permission(["add", "change", "delete"]).exists()
    assert not policy.user_has_permission(kinds["superuser"], "change")


def test_the_audit_log_links_an_appeal_to_its_report(tree):
    editor = make_user_of_kind("editor")
    assert AdminURLFinder(editor).get_edit_url(tree.appeal) == report_url(tree.appeal)
    assert AdminURLFinder(make_user_of_kind("outsider")).get_edit_url(tree.appeal) is None


def test_the_group_editor_offers_no_appeal_rights_of_its_own(client):
    client.force_login(make_user_of_kind("superuser"))
    html = client.get(reverse("wagtailusers_groups:add")).content.decode()
    assert "appeals.add_appeal" not in html and "Can add appeal" not in html


# The listing


def test_the_listing_gives_each_appeals_figures_and_opens_its_report(client, tree):
    set_appeal_option(tree.case, goal=250, closes_at="2099-01-01T12:00:00Z")
    sign(tree.appeal, 3)
    counters.fold()
    pending(tree.appeal, 2)
    client.force_login(make_user_of_kind("editor"))
    response = client.get(reverse("appeals_appeal:index"))
    assert response.status_code == 200
    html = response.content.decode()
    (row,) = [row for row in re.findall(r"<tr.*?</tr>", html, re.S) if "Free Lena Orlova" in row]
    cells = [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)
    ]
    assert cells[1] == "English, French"
    assert cells[2:5] == ["3", "2", "250"]
    assert "Open" in cells[6]
    assert f'href="{report_url(tree.appeal)}"' in row


def listing_row(client, title):
    html = client.get(reverse("appeals_appeal:index")).content.decode()
    (row,) = [row for row in re.findall(r"<tr.*?</tr>", html, re.S) if title in row]
    return row


def test_the_listing_says_an_appeal_is_closed(client, tree):
    set_appeal_option(tree.case, closed=True)
    client.force_login(make_user_of_kind("editor"))
    assert "Closed" in listing_row(client, "Free Lena Orlova")


def test_an_appeal_whose_case_is_not_live_is_not_open(client, tree):
    tree.french_case.unpublish()
    tree.case.unpublish()
    client.force_login(make_user_of_kind("editor"))
    assert "Not published" in listing_row(client, "Free Lena Orlova")
    assert tree.appeal not in Appeal.objects.taking_signatures()
    assert report_url(tree.appeal) not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_listing_counts_no_expired_submission_as_pending(client, tree):
    pending(tree.appeal, 1)
    make_signature(
        tree.appeal, email="late@example.org", confirmed_at=None,
        created_at=datetime(2020, 1, 1, tzinfo=UTC),
    )  # fmt: skip
    assert Appeal.objects.with_pending_count().get(pk=tree.appeal.pk).pending_count == 1


def test_the_listing_searches_sorts_and_survives_hostile_parameters(client, tree):
    client.force_login(make_user_of_kind("editor"))
    index = reverse("appeals_appeal:index")
    assert "Free Lena Orlova" in client.get(index, {"q": "lena"}).content.decode()
    assert "Free Lena Orlova" not in client.get(index, {"q": "nobody"}).content.decode()
    for query in [
        {"q": "%' OR 1=1 --"}, {"ordering": "-pending_count"}, {"ordering": "email"},
        {"p": "abc"}, {"p": "99999"},
    ]:  # fmt: skip
        assert client.get(index, query).status_code == 200, query
    # A NUL, which PostgreSQL refuses in a query, is turned away before any view (400).
    for query in [{"q": "\x00"}, {"ordering": "\x00"}]:
        assert client.get(index, query).status_code in (200, 400), query


def test_languages_shown_are_those_with_their_own_live_text(tree):
    tree.french_case.unpublish()
    languages = CasePage.live_languages([tree.case.translation_key])
    assert languages[tree.case.translation_key] == [("en", True)]


# The report


def test_an_unknown_appeal_is_not_found(client, tree):
    client.force_login(make_user_of_kind("editor"))
    for pk in [10**6, 2**63, 10**30]:
        assert client.get(reverse("appeals_appeal:report", args=[pk])).status_code == 404
    for path in ["report/abc/", "report/-1/", "report/1.5/"]:
        assert client.get(reverse("appeals_appeal:index") + path).status_code == 404


def generated_set(appeal):
    """Signatures in three languages from five countries over three days."""
    first = date(2026, 3, 2)
    for language, country, number, day in [
        ("en", "GB", 5, 0), ("en", "US", 3, 0), ("fr", "FR", 4, 1), ("fr", "BE", 2, 1),
        ("ar", "LB", 6, 4), ("ar", "FR", 1, 4), ("en", "DE", 2, 4),
    ]:  # fmt: skip
        sign(appeal, number, language=language, country=country, day=first + timedelta(day))
    counters.fold()
    pending(appeal, 4)


def test_the_report_gives_counts_by_language_country_and_day(client, tree):
    set_appeal_option(tree.case, goal=100)
    generated_set(tree.appeal)
    client.force_login(make_user_of_kind("editor"))
    response = client.get(report_url(tree.appeal))
    assert response.status_code == 200
    context = response.context
    assert context["confirmed"] == 23 and context["pending"] == 4 and context["progress"] == 23
    by_language = [(share.name, share.count) for share in context["by_language"]]
    assert by_language == [("English", 10), ("Arabic", 7), ("French", 6)]
    by_country = {share.name: share.count for share in context["by_country"]}
    assert by_country == {
        "United Kingdom": 5, "Lebanon": 6, "France": 5, "United States of America": 3,
        "Belgium": 2, "Germany": 2,
    }  # fmt: skip
    assert sum(share.percent for share in context["by_country"]) == pytest.approx(100, abs=0.5)
    assert context["chart"].days == [
        (date(2026, 3, 2), 8), (date(2026, 3, 3), 6), (date(2026, 3, 6), 9),
    ]  # fmt: skip
    html = response.content.decode()
    assert 'data-confirmed="23"' in html and 'data-pending="4"' in html
    assert "23 confirmed signatures" in html and "Goal: 100 (23%)" in html


def test_the_report_names_languages_and_countries_in_the_admins_language(client, tree):
    generated_set(tree.appeal)
    manager = make_user_of_kind("manager")
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(manager)
    context = client.get(report_url(tree.appeal)).context
    assert [share.name for share in context["by_language"]] == ["Anglais", "Arabe", "Français"]
    assert {share.name for share in context["by_country"]} >= {"Liban", "Allemagne", "Belgique"}


def test_the_chart_is_inline_svg_with_a_bar_per_day_and_no_outside_reference(client, tree):
    generated_set(tree.appeal)
    client.force_login(make_user_of_kind("editor"))
    html = client.get(report_url(tree.appeal)).content.decode()
    svg = svg_of(html)
    assert len(re.findall(r"<rect ", svg)) == 3
    assert re.findall(r'data-count="(\d+)"', svg) == ["8", "6", "9"]
    assert "http" not in svg and "<script" not in svg.lower()
    assert "url(" not in svg and "<image" not in svg and "<use" not in svg
    assert all(link.startswith("#") for link in re.findall(r'href="([^"]*)"', svg))
    assert re.search(r'role="img" aria-labelledby="daily-chart-title daily-chart-description"', svg)
    assert '<title id="daily-chart-title">Confirmed signatures per day</title>' in svg
    assert "23 signatures confirmed from 2 March 2026 to 6 March 2026" in svg
    # The same figures as a table, for whoever does not see the drawing.
    table = html[html.index("<details>") : html.index("</details>")]
    assert "6 March 2026" in table and ">9<" in table


def test_a_report_without_signatures_says_so(client, tree):
    client.force_login(make_user_of_kind("translator"))
    response = client.get(report_url(tree.appeal))
    assert response.status_code == 200
    assert response.context["chart"] is None
    assert "No confirmed signature yet." in response.content.decode()


def test_the_report_reads_right_to_left_in_arabic(client, tree):
    generated_set(tree.appeal)
    client.force_login(in_arabic(make_user_of_kind("manager")))
    response = client.get(report_url(tree.appeal))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html[: html.index("<body")]
    svg = svg_of(html)
    assert 'direction="rtl"' in svg
    assert "التوقيعات المؤكدة في كل يوم" in svg
    # The first day stands on the right.
    bars = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', svg)]
    assert bars == sorted(bars, reverse=True)
    assert response.context["by_language"][0].name.startswith("الإنجليزي")


def test_the_report_links_to_the_case_for_its_editors(client, tree):
    client.force_login(make_user_of_kind("editor"))
    html = client.get(report_url(tree.appeal)).content.decode()
    assert reverse("wagtailadmin_pages:edit", args=[tree.case.pk]) in html


# The chart's drawing


def test_bars_stand_in_time_order_with_empty_days_between():
    days = [(date(2026, 1, 1), 4), (date(2026, 1, 2), 2), (date(2026, 1, 10), 10)]
    chart = charts.daily_chart(days)
    assert [bar.count for bar in chart.bars] == [4, 2, 10]
    xs = [bar.x for bar in chart.bars]
    assert xs == sorted(xs)
    slot = xs[1] - xs[0]
    assert xs[2] - xs[1] == pytest.approx(8 * slot)
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.count == 10 and tallest.y == pytest.approx(charts.TOP_SPACE)


def test_right_to_left_mirrors_the_time_axis():
    days = [(date(2026, 1, 1), 4), (date(2026, 1, 5), 2)]
    ltr, rtl = charts.daily_chart(days), charts.daily_chart(days, rtl=True)
    for left, right in zip(ltr.bars, rtl.bars, strict=True):
        assert left.x + left.width + right.x == pytest.approx(charts.WIDTH)
    assert rtl.bars[0].x > rtl.bars[1].x
    assert rtl.scale[0].x > rtl.plot_end - 1 and ltr.scale[0].x < ltr.plot_start + 1


@pytest.mark.parametrize("language", ["en", "fr", "es", "ru", "ar", "fa"])
@pytest.mark.parametrize("span", [1, 2, 5, 7, 12, 31, 45, 100, 400, 1500])
def test_date_labels_never_touch(language, span):
    first = date(2025, 9, 1)
    days = [(first, 1), (first + timedelta(span - 1), 3)]
    with translation.override(language):
        for rtl in (False, True):
            labels = charts.daily_chart(days, rtl=rtl).date_labels
            assert 1 <= len(labels) <= charts.MOST_DATE_LABELS
            assert charts.labels_apart(labels)
            for label in labels:
                half = charts.label_width(label.text) / 2
                assert half <= label.x <= charts.WIDTH - half


def test_russian_labels_say_the_day_of_the_month():
    with translation.override("ru"):
        assert charts.short_date(date(2026, 9, 28)) == "28 сентября"


def test_the_scale_tops_at_a_round_number():
    assert [charts.scale_top(n) for n in [1, 2, 3, 7, 10, 11, 480, 501]] == [
        1, 2, 5, 10, 10, 20, 500, 1000,
    ]  # fmt: skip
    assert charts.daily_chart([]) is None


# The case page's counts and the dashboard


def test_the_case_pages_edit_view_shows_its_appeals_counts(client, tree):
    sign(tree.appeal, 2)
    counters.fold()
    pending(tree.appeal, 1)
    client.force_login(make_user_of_kind("editor"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[tree.case.pk])).content.decode()
    panel = html[html.index("data-appeal-counts") :]
    assert 'data-confirmed="2"' in panel and 'data-pending="1"' in panel
    assert report_url(tree.appeal) in panel
    assert "every language of this case" in panel


def test_a_translation_shows_the_same_counts_for_every_language(client, tree):
    sign(tree.appeal, 2, language="fr")
    counters.fold()
    client.force_login(make_user_of_kind("translator"))
    url = reverse("wagtailadmin_pages:edit", args=[tree.french_case.pk])
    html = client.get(url).content.decode()
    assert "data-translation-editor-counts" in html
    assert 'data-confirmed="2"' in html and report_url(tree.appeal) in html


def test_a_page_never_published_has_no_counts_panel(client, tree):
    case = CasePage(title="Draft case", slug="draft-case", defender_name="A", summary="B")
    case.body = tree.case.body.raw_data
    tree.index.add_child(instance=case)
    case.save_revision()
    client.force_login(make_user_of_kind("editor"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=[case.pk])).content.decode()
    assert "data-appeal-counts" not in html


def test_the_dashboard_lists_open_appeals_with_counts_and_closing_dates(client, tree):
    set_appeal_option(tree.case, closes_at="2099-05-01T12:00:00Z")
    sign(tree.appeal, 4)
    counters.fold()
    closed = make_case(tree.index, title="A closed case", slug="closed-case")
    set_appeal_option(closed, closed=True)
    client.force_login(make_user_of_kind("translator"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[
        html.index("data-open-appeals") : html.index("</table>", html.index("data-open-appeals"))
    ]
    assert "Free Lena Orlova" in panel and 'data-confirmed="4"' in panel
    assert report_url(tree.appeal) in panel
    assert "A closed case" not in panel


# Cost: queries that do not grow with appeals or signatures


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def more_cases(tree, number):
    for serial in range(number):
        case = make_case(tree.index, title=f"Case {serial}", slug=f"case-{serial}")
        (block,) = case.get_appeal_blocks()
        appeal = case.get_appeal(block.id)
        sign(appeal, 2, country="DE")
        pending(appeal, 1)
    counters.fold()


@pytest.mark.parametrize(
    "page", ["listing", "report", "dashboard", pytest.param("case page", marks=pytest.mark.slow)]
)
def test_queries_do_not_grow_with_appeals_or_signatures(client, tree, page):
    client.force_login(make_user_of_kind("editor"))
    url = desk_url(tree, page)
    sign(tree.appeal, 1)
    counters.fold()
    client.get(url)  # caches warmed
    before = queries(client, url)
    more_cases(tree, 2)
    generated_set(tree.appeal)
    assert queries(client, url) == before
