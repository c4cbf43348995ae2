"""The settings run unconfigured on SQLite and take production values from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts a Python process of its own (about a second).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'debug': settings.DEBUG, 'engine': settings.DATABASES['default']['ENGINE'], "
    "'db': str(settings.DATABASES['default']['NAME']), 'hosts': settings.ALLOWED_HOSTS, "
    "'mt': getattr(settings, 'WAGTAILLOCALIZE_MACHINE_TRANSLATOR', None), "
    "'tasks': settings.TASKS['default']['BACKEND']}))"
)
PRODUCTION_KEYS = (
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "MACHINE_TRANSLATOR",
    "LIBRETRANSLATE_URL",
    "TASKS_BACKEND",
)


def settings_with(**environment):
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_KEYS}
    env |= {"DJANGO_SETTINGS_MODULE": "website.settings", **environment}
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_with_no_configuration_it_is_a_development_site_on_sqlite():
    values = json.loads(settings_with().stdout)
    assert values["debug"] is True
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["mt"] is None  # machine translation is off by default
    assert values["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_production_reads_the_environment():
    values = json.loads(
        settings_with(
            SECRET_KEY="x" * 50,
            DATABASE_URL="postgres://appeals@db.internal:5432/appeals",
            ALLOWED_HOSTS="appeals.example.org",
        ).stdout
    )
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db"] == "appeals"
    assert values["hosts"] == ["appeals.example.org"]
    # Signers' e-mails leave the request: a hanging mail server holds a worker, not a visitor.
    assert values["tasks"] == "django_tasks_db.DatabaseBackend"


def test_production_without_a_secret_key_refuses_to_start():
    result = settings_with(DEBUG="0")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize("backend", ["libretranslate"])
def test_a_self_hosted_machine_translator_can_be_switched_on(backend):
    values = json.loads(
        settings_with(
            MACHINE_TRANSLATOR=backend, LIBRETRANSLATE_URL="http://translate.internal"
        ).stdout
    )
    assert values["mt"]["CLASS"].endswith("LibreTranslator")
    assert values["mt"]["OPTIONS"]["LIBRETRANSLATE_URL"] == "http://translate.internal"


def test_an_unknown_machine_translator_is_refused_by_name():
    result = settings_with(MACHINE_TRANSLATOR="babelfish")
    assert result.returncode != 0
    assert "MACHINE_TRANSLATOR must be one of" in result.stderr


def admin_base_url_with(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {*PRODUCTION_KEYS, "PORT", "WAGTAILADMIN_BASE_URL"}
    }
    env |= {"DJANGO_SETTINGS_MODULE": "website.settings", **environment}
    probe = "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return result.stdout.strip()


def test_links_in_moderation_emails_follow_the_port_make_demo_serves():
    assert admin_base_url_with() == "http://127.0.0.1:8000"
    assert admin_base_url_with(PORT="8123") == "http://127.0.0.1:8123"


def test_an_explicit_admin_base_url_wins_over_the_port():
    explicit = admin_base_url_with(PORT="8123", WAGTAILADMIN_BASE_URL="https://appeals.example.org")
    assert explicit == "https://appeals.example.org"
