"""The admin works on a machine with no internet and calls no other origin."""

import re

import pytest
from django.urls import reverse

from tests.builders import make_user

pytestmark = pytest.mark.django_db

# What a browser fetches by itself: src attributes and <link href> (links a
# user may follow, such as Wagtail's user guide, are not requests).
EXTERNAL = re.compile(
    r"""(?:\bsrc=|<link\b[^>]*\bhref=)["'](?:https?:)?//(?!localhost|testserver)"""
)


@pytest.mark.parametrize("view", ["dashboard", "edit", "explore"])
def test_admin_pages_load_nothing_from_another_origin(client, tree, view):
    client.force_login(make_user("boss", superuser=True))
    url = {
        "dashboard": reverse("wagtailadmin_home"),
        "edit": reverse("wagtailadmin_pages:edit", args=[tree.case.id]),
        "explore": reverse("wagtailadmin_explore", args=[tree.index.id]),
    }[view]
    html = client.get(url).content.decode()
    assert "gravatar" not in html
    assert not EXTERNAL.findall(html)
