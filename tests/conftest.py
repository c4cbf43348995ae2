"""The plugin's tests stand on a minimal tree, built once per test database.

A site served at ``testserver`` (the test client's host) whose root holds a case
index and one published case, translated into French through wagtail-localize.
Nothing of the demo site (``home``, ``load_demo``) is used: the site's own
tests, in ``tests/site/``, build the demo when they ask for it.
"""

import uuid
from types import SimpleNamespace

import pytest

# Fixed translation keys: with --reuse-db the tree outlives the run, and the next
# run finds it instead of building it again.
TREE = uuid.UUID("0b4d6c9e-2f3a-4e1b-8c7d-5a6f9e0d1c2b")
CASE_TITLE = "Free Lena Orlova"


def tree_key(name):
    return uuid.uuid5(TREE, name)


def build_tree():
    """Find or build the plugin's test tree; returns its objects."""
    from wagtail.models import Locale, Page, Site

    from appeals.models import CaseIndexPage, CasePage
    from tests.builders import FRENCH, make_case, translate

    english, _ = Locale.objects.get_or_create(language_code="en")
    french, _ = Locale.objects.get_or_create(language_code="fr")

    root = Page.objects.filter(translation_key=tree_key("root"), locale=english).first()
    if root is None:
        root = Page.get_first_root_node().add_child(
            instance=Page(
                title="Appeals",
                slug="appeals-tests",
                locale=english,
                translation_key=tree_key("root"),
            )
        )
    site, _ = Site.objects.get_or_create(
        hostname="testserver", port=80, defaults={"root_page": root, "site_name": "Appeals"}
    )

    index = CaseIndexPage.objects.filter(translation_key=tree_key("cases"), locale=english).first()
    if index is None:
        index = CaseIndexPage(
            title="Cases", slug="cases", locale=english, translation_key=tree_key("cases")
        )
        root.add_child(instance=index)
        index.save_revision().publish()

    case = CasePage.objects.filter(translation_key=tree_key("case"), locale=english).first()
    if case is None:
        case = make_case(
            index, title=CASE_TITLE, slug="lena-orlova", defender_name="Lena Orlova",
            locale=english, translation_key=tree_key("case"),
        )  # fmt: skip
    french_case = case.get_translation_or_none(french)
    if french_case is None:
        french_case = translate(case, "fr", {CASE_TITLE: "Libérez Lena Orlova", **FRENCH})
    return SimpleNamespace(
        english=english,
        french=french,
        site=site,
        index=index,
        case=case,
        french_case=french_case.specific,
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The plugin's tree, built once; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        build_tree()


@pytest.fixture
def tree(db):
    """The test tree's objects, fresh from the database for each test."""
    found = build_tree()
    (block,) = found.case.get_appeal_blocks()
    found.appeal = found.case.get_appeal(block.id)
    return found


@pytest.fixture
def appeal(tree):
    """The tree's appeal, the same in English and French."""
    return tree.appeal


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request activates its own and keeps it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def clear_cache():
    """Wagtail caches site root paths; a rolled-back test must not leave them behind."""
    from django.core.cache import cache

    yield
    cache.clear()
