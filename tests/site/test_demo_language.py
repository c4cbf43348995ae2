"""The demo's content translations read as their languages are written."""

import pytest

pytestmark = pytest.mark.django_db

CASE = "/cases/igor-kalyapin/"


@pytest.mark.parametrize(
    ("language", "role"),
    [
        ("fr", "<bdi>Igor Kalyapin</bdi>, président du CPT"),
        ("es", "<bdi>Igor Kalyapin</bdi>, presidente del CPT"),
        ("ru", "<bdi>Игорь Каляпин</bdi>, председатель КПП"),
    ],
)
def test_the_defenders_role_after_a_comma_is_in_lower_case(client, language, role):
    assert role in client.get(f"/{language}{CASE}").content.decode()


def test_the_russian_case_writes_yo(client):
    html = client.get(f"/ru{CASE}").content.decode()
    assert "покинуть её" in html
    assert "Серьёзных травм" in html
