"""Public pages allow only this origin; production answers only over HTTPS, and says so."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import make_user

ROOT = Path(__file__).resolve().parents[2]
POLICY = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(response):
    header = response.headers.get("Content-Security-Policy", "")
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["case", "home", "not found", "bad url"])
def test_public_pages_allow_only_this_origin(client, tree, where):
    url = {
        "case": tree.case.url,
        "home": "/en/",
        "not found": "/en/no-such-page/",
        "bad url": "/en/?q=%00",
    }[where]
    response = client.get(url)
    policy = policy_of(response)
    assert POLICY.items() <= policy.items()
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "script-src" not in policy  # scripts fall back to default-src 'self'


@pytest.mark.django_db
def test_the_admin_still_loads(client):
    client.force_login(make_user("csp-admin", superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    # Wagtail's admin uses inline script: it is left out of the policy, not broken by it.
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_api_docs_keep_their_inline_script(client):
    response = client.get("/api/v3/docs/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response.headers


PUBLIC_TEMPLATES = [
    path
    for folder in ("templates", "appeals/templates", "home/templates")
    for path in (ROOT / folder).rglob("*.html")
    if "emails" not in path.parts  # e-mails need inline styles, and no policy applies to them
]


@pytest.mark.parametrize("path", PUBLIC_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_templates_hold_no_inline_script_or_style(path):
    html = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "event handler attribute"


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "website.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "appeals.example.org",
        "BEHIND_TLS_PROXY": "1",
        "DEBUG": "0",
        "TASKS_BACKEND": "database",  # e-mails leave the request (appeals.W004 otherwise)
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.slow
def test_check_deploy_warns_while_emails_would_wait_in_the_request():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "website.settings", "TASKS_BACKEND": "immediate"}
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "appeals.W004" in result.stderr + result.stdout
