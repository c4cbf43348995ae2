"""The appeal settings are saved by an editor in the admin, never by a visitor's page view."""

import pytest
from django.urls import reverse

from appeals.models import AppealsSettings
from tests.builders import make_user

pytestmark = pytest.mark.django_db


def test_viewing_a_case_saves_no_settings_and_the_admin_form_saves_them(client, tree):
    AppealsSettings.objects.filter(site=tree.site).delete()
    assert client.get(tree.case.url).status_code == 200
    assert not AppealsSettings.objects.filter(site=tree.site).exists()

    client.force_login(make_user("boss", superuser=True))
    url = reverse("wagtailsettings:edit", args=["appeals", "appealssettings", tree.site.pk])
    response = client.post(url, {"privacy_page": "", "consent_version": "2026-03"})

    assert response.status_code == 302
    (saved,) = AppealsSettings.objects.filter(site=tree.site)
    assert saved.consent_version == "2026-03"
