import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo site, built once for the session; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def demo():
    from tests.builders import demo_tree

    return demo_tree()


@pytest.fixture
def appeal(demo):
    """The seed case's appeal, the same in every language."""

    block = next(block for block in demo.case.body if block.block_type == "appeal")
    return demo.case.get_appeal(block.id)


@pytest.fixture(autouse=True)
def clear_cache():
    """Wagtail caches site root paths; a rolled-back test must not leave them behind."""
    from django.core.cache import cache

    yield
    cache.clear()
