"""The API's published contract: OpenAPI document, docs page, and cross-origin use."""

import json
import re
from pathlib import Path

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def test_the_openapi_document_lists_the_appeals_routes(client):
    document = client.get("/api/v3/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {"/api/v3/appeals/{appeal_id}/", "/api/v3/appeals/{appeal_id}/signatures/",
            "/api/v3/appeals/confirm/"} <= set(paths)  # fmt: skip
    signing = paths["/api/v3/appeals/{appeal_id}/signatures/"]["post"]
    schema = signing["requestBody"]["content"]["application/json"]["schema"]
    assert schema["additionalProperties"] is False
    assert "consent" in schema["required"]


def test_the_openapi_document_matches_its_snapshot(client):
    """A change to the contract is a deliberate one: `make openapi` rewrites the snapshot."""
    document = client.get("/api/v3/openapi.json").json()
    assert document == json.loads(SNAPSHOT.read_text())


def test_the_docs_page_loads_nothing_from_another_origin(client):
    html = client.get("/api/v3/docs/").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.findall(r"""(?:src|href)=["'](?:https?:)?//""", html)
    assert '"validatorUrl": null' in html


@override_settings(WAGTAILAPI_DOCS_ENABLED=False)
def test_docs_can_be_switched_off(client):
    assert client.get("/api/v3/docs/").status_code == 404
    assert client.get("/api/v3/openapi.json").status_code == 404


PREFLIGHT = {
    "access-control-request-method": "POST",
    "access-control-request-headers": "content-type",
}


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_an_allowed_origin_may_sign_from_the_browser(client):
    response = client.options(
        "/api/v3/appeals/any/signatures/", headers={"origin": "https://front.example", **PREFLIGHT}
    )
    assert response.status_code == 200
    assert response["access-control-allow-origin"] == "https://front.example"
    assert "access-control-allow-credentials" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_a_refused_origin_gets_no_cors_headers(client):
    response = client.options(
        "/api/v3/appeals/any/signatures/", headers={"origin": "https://evil.example", **PREFLIGHT}
    )
    assert "access-control-allow-origin" not in response


@override_settings(CORS_ALLOWED_ORIGINS=["https://front.example"])
def test_pages_outside_the_api_send_no_cors_headers(client, tree):
    response = client.get(tree.case.url, headers={"origin": "https://front.example"})
    assert "access-control-allow-origin" not in response
