"""System checks: settings the plugin no longer reads, and e-mail that would wait in a request."""

from django.conf import settings
from django.core import checks

from appeals.conf import REMOVED

IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@checks.register()
def removed_settings(app_configs, **kwargs):
    return [
        checks.Warning(
            f"APPEALS_{name} is no longer used.", hint=why, id="appeals.W001", obj="settings"
        )
        for name, why in REMOVED.items()
        if hasattr(settings, f"APPEALS_{name}")
    ]


@checks.register(checks.Tags.security, deploy=True)
def emails_leave_the_request(app_configs, **kwargs):
    """In production a signer's e-mail is queued: a hanging mail server must not hold
    up the request that signed."""
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", IMMEDIATE_BACKEND)
    if backend != IMMEDIATE_BACKEND:
        return []
    return [
        checks.Warning(
            "Tasks run inside the request: each signature waits for the mail server.",
            hint="Use a queue, e.g. django_tasks_db.DatabaseBackend and `manage.py db_worker`.",
            id="appeals.W002",
        )
    ]
