"""A signer stops the updates of a case from the link in an update e-mail, in English,
French and Arabic, on a phone, without JavaScript: the page passes axe, and its button
does what it says."""

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ROOT
from tests.browser.test_signing_in_a_browser import assert_accessible

pytestmark = pytest.mark.slow

LANGUAGES = ["en", "fr", "ar"]
STOPPED = {
    "en": "you will receive no more updates",
    "fr": "vous ne recevrez plus aucune nouvelle",
    "ar": "لن تصلك",
}

A_SIGNER_WHO_ASKED = """
from django.utils import timezone
from appeals.models import Appeal, Signature
signature = Signature.objects.create(
    appeal=Appeal.objects.order_by("pk").first(), language="{language}", name="Kept Informed",
    email="informed-{language}@example.org", country="FR", consent_version="1",
    keep_informed=True, confirmed_at=timezone.now(),
)
print(signature.pk, signature.unsubscribe_token())
"""

STILL_INFORMED = """
from appeals.models import Signature
print(Signature.objects.get(pk={pk}).keep_informed)
"""


def shell(live_site, code):
    """Run ``code`` in a shell on the live site's database; the words it printed, last
    those of the code (the shell announces its imports first)."""
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=live_site.env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_unsubscribe_page_is_accessible_and_stops_the_updates(
    open_page, browser, live_site, language
):
    pk, token = shell(live_site, A_SIGNER_WHO_ASKED.format(language=language))[-2:]
    page = open_page(
        f"/{language}/appeals/unsubscribe/?token={token}", language=language, javascript=False
    )
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert_accessible(page, browser)
    assert shell(live_site, STILL_INFORMED.format(pk=pk))[-1] == "True"  # a GET changes nothing

    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(STOPPED[language])
    assert_accessible(page, browser)
    assert shell(live_site, STILL_INFORMED.format(pk=pk))[-1] == "False"
    assert page.foreign_requests == []
