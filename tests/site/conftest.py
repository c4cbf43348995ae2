"""The site's tests stand on the demo, built by ``load_demo`` when a test asks for it.

``load_demo`` is idempotent: with --reuse-db a later run finds the demo and adds nothing.
The demo is served from the default site; the ``client`` here visits that site (the
plugin's tests visit their own tree at ``testserver``).
"""

import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker):
    """The demo, built once for the session, outside any test's transaction."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())


def demo_tree():
    from wagtail.models import Locale, Site

    from appeals.models import CaseIndexPage, CasePage, Status
    from home.demo.tree import demo_key
    from home.models import HomePage

    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(translation_key=demo_key("home"), locale=english)
    return SimpleNamespace(
        english=english,
        home=home,
        site=Site.objects.get(root_page=home),
        index=CaseIndexPage.objects.get(translation_key=demo_key("cases"), locale=english),
        case=CasePage.objects.get(translation_key=demo_key("case:igor-kalyapin"), locale=english),
        status=Status.objects.get(slug="detained", locale=english),
    )


@pytest.fixture
def demo(demo_site, db):
    return demo_tree()


@pytest.fixture
def client(demo):
    """A visitor of the demo's site."""
    return Client(headers={"host": f"{demo.site.hostname}:{demo.site.port}"})


@pytest.fixture
def appeal(demo):
    """The seed case's appeal, the same in every language."""
    (block,) = demo.case.get_appeal_blocks()
    return demo.case.get_appeal(block.id)
