"""A case page that a front cache kept, in a real browser.

The browser itself plays the front cache: it is answered, for the case page, a copy of it
fetched before, showing a count that is no longer the live one and carrying a render
time two minutes old. Its script shows the live count and gives the form a fresh render
time, under the site's own Content-Security-Policy; the visitor signs from the copy as
from a fresh page, with JavaScript or without.
"""

import json
import re
import time
import urllib.request

import pytest
from django.core import signing
from playwright.sync_api import expect

from appeals.forms import RENDER_TIME_SALT

pytestmark = pytest.mark.slow

CASE = "/en/cases/igor-kalyapin/"
STAMP = re.compile(r'(name="rendered_at" value=")([^"]+)(")')


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
        return response.headers, response.read().decode()


def render_time(live_site, seconds_ago):
    """A render time signed as the live site signs it."""
    return signing.dumps(
        int(time.time()) - seconds_ago, key=live_site.env["SECRET_KEY"], salt=RENDER_TIME_SALT
    )


def kept_copy(live_site):
    """The case page as a front cache kept it: its headers, its HTML with an old count and
    an old render time, and the live count."""
    headers, html = fetch(live_site.url + CASE)
    assert "public" in headers["Cache-Control"] and "s-maxage" in headers["Cache-Control"]
    public_id = re.search(r'/appeals/([\w-]+)/count/"', html).group(1)
    _headers, body = fetch(f"{live_site.url}/en/appeals/{public_id}/count/")
    live = json.loads(body)["count"]
    html = html.replace(f'data-signature-count="{live}"', f'data-signature-count="{live + 1000}"')
    html = STAMP.sub(lambda match: match[1] + render_time(live_site, 120) + match[3], html, 1)
    return headers, html, live


def open_kept_copy(browser, live_site, *, javascript):
    headers, html, live = kept_copy(live_site)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda message: message.type == "error" and page.problems.append(message))
    page.on("pageerror", lambda error: page.problems.append(error))
    page.route(
        live_site.url + CASE,
        lambda route: route.fulfill(
            status=200,
            body=html,
            headers={
                "content-type": headers["Content-Type"],
                "content-security-policy": headers["Content-Security-Policy"],
            },
        ),
    )
    page.goto(live_site.url + CASE)
    return page, html, live


def sign(page, email):
    page.fill("#id_name", "Jane Doe")
    page.fill("#id_email", email)
    page.select_option("#id_country", "GB")
    page.check("#id_consent")
    page.click("button[type=submit]")


def test_a_kept_page_shows_the_live_count_and_signs_with_a_fresh_render_time(browser, live_site):
    page, html, live = open_kept_copy(browser, live_site, javascript=True)
    assert f'data-signature-count="{live + 1000}"' in html
    counter = page.locator("[data-signature-count]")
    expect(counter).to_have_attribute("data-signature-count", str(live))
    stamp = page.locator('[name="rendered_at"]').input_value()
    assert stamp != STAMP.search(html)[2]
    rendered_at = signing.loads(stamp, key=live_site.env["SECRET_KEY"], salt=RENDER_TIME_SALT)
    assert abs(time.time() - rendered_at) < 60

    sign(page, "kept-copy-js@example.org")
    status = page.locator("[data-form-status]")
    expect(status).not_to_be_empty()
    assert "form-refusal" not in (status.get_attribute("class") or "")
    assert page.problems == []  # the count's fetch is allowed by the page's own policy
    page.context.close()


def test_without_javascript_a_kept_page_signs_with_its_own_render_time(browser, live_site):
    page, html, live = open_kept_copy(browser, live_site, javascript=False)
    counter = page.locator("[data-signature-count]")
    assert counter.get_attribute("data-signature-count") == str(live + 1000)
    assert page.locator('[name="rendered_at"]').input_value() == STAMP.search(html)[2]
    sign(page, "kept-copy-no-js@example.org")
    page.wait_for_url(re.compile(r"/thanks/$"))
    page.context.close()
