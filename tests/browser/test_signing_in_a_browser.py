"""A visitor signs the seed case in a real browser, in English, French and Arabic."""

import itertools
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.slow

CASE = "/{language}/cases/igor-kalyapin/"
LANGUAGES = ["en", "fr", "ar"]
NAMES = {"en": "Jane Doe", "fr": "Marie Curie", "ar": "أمل حداد"}
COUNTRY = {"en": "GB", "fr": "FR", "ar": "LB"}
CONFIRMED = {
    "en": "Your signature is confirmed.",
    "fr": "Votre signature est confirmée.",
    "ar": "تم تأكيد توقيعك",
}
LINK = re.compile(r"https?://\S+/appeals/confirm/\?token=[\w-]+")
addresses = (f"signer{number}@example.org" for number in itertools.count())


def assert_accessible(page, browser):
    """axe-core finds no violation in the page as it stands.

    Scripts cannot run in a page whose JavaScript is off, axe included: its
    HTML is then checked in a twin page that has scripts on, served the same
    document at the same address (so its CSS applies), with its own scripts
    blocked so the document stays as the visitor without JavaScript sees it.
    """
    if page.javascript:
        target = page
    else:
        target = twin_page(page, browser)
    results = Axe().run(target)
    assert results.violations_count == 0, results.generate_report()


def twin_page(page, browser):
    html, url = page.content(), page.url
    context = browser.new_context(locale=page.language)
    twin = context.new_page()
    twin.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    twin.route("**/*.js", lambda route: route.abort())
    twin.goto(url)
    return twin


def count_on(page):
    return int(page.locator("[data-signature-count]").get_attribute("data-signature-count"))


def fill_form(page, language, email):
    page.fill("#id_name", NAMES[language])
    page.fill("#id_email", email)
    page.select_option("#id_country", COUNTRY[language])
    page.check("#id_consent")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_signs_confirms_and_sees_the_count_change(
    open_page, live_site, browser, language, javascript
):
    page = open_page(CASE.format(language=language), language=language, javascript=javascript)
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert_accessible(page, browser)
    before = count_on(page)

    # Errors first: an empty form.
    page.click("button[type=submit]")
    page.wait_for_selector(".field-error:not([hidden])")
    assert page.locator("#id_name").get_attribute("aria-invalid") == "true"
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.locator("a[href='#id_name']")).to_have_count(1)
    assert_accessible(page, browser)

    email = next(addresses)
    fill_form(page, language, email)
    page.click("button[type=submit]")
    if javascript:
        page.wait_for_selector("[data-form-status]:not(:empty)")
        assert page.url.endswith(CASE.format(language=language))
    else:
        page.wait_for_url(re.compile(r"/thanks/$"))
    assert_accessible(page, browser)

    (body,) = [mail for mail in live_site.emails() if f"To: {email}" in mail]
    link = LINK.search(body).group(0)
    page.goto(link)
    assert_accessible(page, browser)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert CONFIRMED[language] in page.content()

    page.goto(live_site.url + CASE.format(language=language))
    assert count_on(page) == before + 1
    assert page.foreign_requests == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_keyboard_alone_can_sign(open_page, live_site, language):
    page = open_page(CASE.format(language=language), language=language)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.focus("#id_name")
    page.keyboard.type(NAMES[language])
    page.keyboard.press("Tab")
    page.keyboard.type(next(addresses))
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first country of the list
    expect(page.locator("#id_country")).not_to_have_value("")
    page.keyboard.press("Tab")  # city
    page.keyboard.press("Tab")  # message
    page.keyboard.press("Tab")  # consent
    page.keyboard.press("Space")
    page.focus("button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-form-status]:not(:empty)")
    assert page.locator(".field-error:not([hidden])").count() == 0


@pytest.mark.parametrize("language", ["en", "fr", "ar", "fa"])
def test_the_home_and_case_list_are_accessible(open_page, browser, language):
    for path in (f"/{language}/", f"/{language}/cases/"):
        page = open_page(path, language=language)
        assert_accessible(page, browser)
        assert page.foreign_requests == []


def test_a_persian_visitor_reads_the_untranslated_case_with_a_notice(open_page, browser):
    page = open_page("/fa/cases/igor-kalyapin/", language="fa")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("article.case").get_attribute("lang") == "en"
    assert page.locator(".translation-notice").is_visible()
    assert page.locator("form [lang], form").first.is_visible()
    assert_accessible(page, browser)


def test_axe_does_report_violations_where_there_are_some(browser):
    """Guards the checks above: an unlabelled field and an image without alt text are caught."""
    page = browser.new_context().new_page()
    page.set_content('<html><body><img src="x.png"><input type="text"></body></html>')
    assert Axe().run(page).violations_count >= 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_not_found_page_is_accessible(open_page, browser, language):
    page = open_page(f"/{language}/cases/nobody/", language=language)
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, browser)


def test_the_closed_appeal_is_accessible_in_each_language(open_page, browser, live_site):
    live_site.manage(
        "shell", "-c", "from appeals.models import Appeal; Appeal.objects.update(closed=True)"
    )
    try:
        for language in LANGUAGES:
            page = open_page(CASE.format(language=language), language=language)
            assert page.locator("form[data-appeal-form]").count() == 0
            expect(page.locator(".appeal-closed")).to_be_visible()
            assert_accessible(page, browser)
    finally:
        live_site.manage(
            "shell", "-c", "from appeals.models import Appeal; Appeal.objects.update(closed=False)"
        )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_a_link_near_the_top_leads_to_the_form(open_page, browser, language):
    page = open_page(CASE.format(language=language), language=language)
    page.set_viewport_size({"width": 390, "height": 844})
    link = page.locator("a.jump-to-appeal")
    expect(link).to_be_in_viewport()
    expect(page.locator("#id_name")).not_to_be_in_viewport()
    link.focus()
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#appeal-heading")).to_be_in_viewport()
    assert_accessible(page, browser)
    # The confirmation page of an unknown link: named as such, with no button.
    page.goto(page.url.split("/cases/")[0] + "/appeals/confirm/?token=forged")
    expect(page.locator("button")).to_have_count(0)
    assert_accessible(page, browser)


def test_a_persian_visitor_sees_persian_current_and_switches_language(open_page, browser):
    page = open_page("/fa/cases/igor-kalyapin/", language="fa")
    switcher = page.locator("nav.language-switcher")
    current = switcher.locator("[aria-current='true']")
    expect(current).to_have_text("فارسی")
    expect(current).to_have_attribute("lang", "fa")
    assert_accessible(page, browser)
    switcher.locator("a[hreflang='fr']").click()
    page.wait_for_url(re.compile(r"/fr/cases/igor-kalyapin/$"))
    expect(page.locator("nav.language-switcher [aria-current='true']")).to_have_text("Français")
    # And back: every page links Persian.
    page.locator("nav.language-switcher a[hreflang='fa']").click()
    page.wait_for_url(re.compile(r"/fa/cases/igor-kalyapin/$"))
    assert page.foreign_requests == []


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_privacy_notice_is_accessible_and_linked_from_the_consent_box(
    open_page, browser, language
):
    page = open_page(CASE.format(language=language), language=language)
    link = page.locator(".field-consent a")
    expect(link).to_have_count(1)
    link.click()
    page.wait_for_url(re.compile(rf"/{language}/privacy/$"))
    assert page.locator("html").get_attribute("lang") == language
    assert_accessible(page, browser)


def test_a_used_confirmation_link_says_so_and_is_accessible(open_page, browser, live_site):
    page = open_page(CASE.format(language="fr"), language="fr")
    email = next(addresses)
    fill_form(page, "fr", email)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-form-status]:not(:empty)")
    (body,) = [mail for mail in live_site.emails() if f"To: {email}" in mail]
    link = LINK.search(body).group(0)
    page.goto(link)
    expect(page.locator(".confirm-appeal")).to_be_visible()  # it names the appeal
    assert_accessible(page, browser)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(link)
    expect(page.locator("form[action$='/appeals/confirm/']")).to_have_count(0)
    assert_accessible(page, browser)


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_form_to_send_again_is_shown_as_such_and_is_accessible(open_page, browser, language):
    page = open_page(CASE.format(language=language), language=language)
    fill_form(page, language, next(addresses))
    # A render stamp that is not one: the form comes back, with what was typed, to send again.
    page.locator("input[name=rendered_at]").evaluate("input => { input.value = 'stale'; }")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-form-status]:not(:empty)")
    expect(page.locator("#id_name")).to_have_value(NAMES[language])
    assert page.locator("input[name=rendered_at]").input_value() != "stale"
    assert_accessible(page, browser)
