"""The example headless client, served from another origin, signs through the API."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

CASE_TITLE = {"fr": "Agissez pour Igor Kalyapin", "ar": "تحرّك من أجل إيغور كاليابين"}
CHECK_EMAIL = {"fr": "Consultez votre messagerie", "ar": "تفقّد بريدك الإلكتروني"}


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_headless_client_signs_from_another_origin(
    browser, live_site, headless_client, language
):
    context = browser.new_context(locale=language)
    page = context.new_page()
    page.goto(f"{headless_client}/index.html?api={live_site.url}&lang={language}")
    page.get_by_role("link", name=CASE_TITLE[language]).click()
    expect(page.locator("#letter")).to_contain_text("1. ")

    # The form comes from the schema, labelled in the chosen language.
    page.click("#sign-button")
    expect(page.locator("#e-name")).not_to_be_empty()
    page.fill("#f-name", "Amal Haddad")
    page.fill("#f-email", f"headless-{language}@example.org")
    page.select_option("#f-country", "LB")
    page.check("#f-consent")
    page.click("#sign-button")
    expect(page.locator("#status")).to_contain_text(CHECK_EMAIL[language])

    assert any(f"To: headless-{language}@example.org" in mail for mail in live_site.emails())
    context.close()
