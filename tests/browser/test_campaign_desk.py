"""A campaign manager at the desk, in Chromium: the Campaigns menu, the signatures filtered
and exported, and the seed appeal's report with its chart, in English and in Arabic (the
admin right to left)."""

import csv
import io

import pytest
from django.utils import translation

pytestmark = pytest.mark.slow

PASSWORD = "browser-tests-password"  # load_demo's accounts share $DEMO_ADMIN_PASSWORD


@pytest.fixture(scope="module")
def signatures(live_site):
    """Signatures on the demo's appeals, cleaned as signing cleans them, counted."""
    live_site.manage("create_random_data", "--cases", "0", "--signatures", "120")


def words(language, *texts):
    """``texts`` as the admin shows them in ``language``."""
    with translation.override(language):
        return [translation.gettext(text) for text in texts]


@pytest.fixture
def desk(browser, live_site, signatures):
    """A signed-in campaign manager's admin, in a given language."""
    contexts = []

    def sign_in(language):
        context = browser.new_context(
            locale=language, accept_downloads=True, viewport={"width": 1280, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.foreign_requests = []
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((live_site.url, "data:"))
                else page.foreign_requests.append(request.url)
            ),
        )
        page.goto(f"{live_site.url}/admin/login/")
        page.fill("#id_username", "demo-manager")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_site.url}/admin/")
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_a_campaign_manager_filters_exports_and_reads_a_report(desk, language, direction):
    page = desk(language)
    assert page.locator("html").get_attribute("dir") == direction
    campaigns, signatures, appeals = words(language, "Campaigns", "Signatures", "Appeals")

    # The Campaigns menu holds the appeals and their signatures.
    page.get_by_role("button", name=campaigns).click()
    page.get_by_role("link", name=signatures, exact=True).click()
    page.wait_for_url("**/admin/appeals/signatures/")
    listed = page.locator("table.listing tbody tr").count()
    assert listed > 0

    # Filter by a language the generated signers signed in, in the filter drawer; the
    # listing follows without a page load.
    show_filters, actions, download_csv = words(language, "Show filters", "Actions", "Download CSV")
    page.get_by_role("button", name=show_filters).click()
    page.locator("button[aria-controls='drilldown-id_language']").click()
    page.select_option("#id_language", "fr")
    page.wait_for_function("location.search.includes('language=fr')")
    page.wait_for_load_state("networkidle")
    shown = page.locator("table.listing tbody tr").count()
    assert 0 < shown < listed

    # Export the filtered signatures as CSV, from the listing's actions.
    page.keyboard.press("Escape")
    page.get_by_role("button", name=actions, exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=download_csv).click()
    exported = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    language_column = 5  # name, e-mail, town, country code, country, language...
    assert {row[language_column] for row in exported[1:]} == {"fr"}
    assert len(exported) - 1 == shown

    # The seed appeal's report, from the Appeals listing, with its chart.
    page.get_by_role("button", name=campaigns).click()
    page.get_by_role("link", name=appeals, exact=True).click()
    page.wait_for_url("**/admin/appeals/")
    page.get_by_role("link", name="Take action for Igor Kalyapin").first.click()
    page.wait_for_url("**/admin/appeals/report/**")
    chart = page.locator("[data-appeal-report] svg[role='img']").first
    assert chart.is_visible()
    assert chart.locator("rect").count() > 0
    assert page.locator("html").get_attribute("dir") == direction
    assert page.foreign_requests == []
