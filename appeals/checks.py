"""System checks: settings the plugin no longer reads, a proxy header trusted for no one,
a retention period that is no number of days, and e-mail that would wait in a request."""

import ipaddress

from django.conf import settings
from django.core import checks

from appeals.conf import REMOVED, appeals_conf

IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@checks.register()
def removed_settings(app_configs, **kwargs):
    return [
        checks.Warning(
            f"APPEALS_{name} is removed and ignored.", hint=why, id="appeals.W001", obj="settings"
        )
        for name, why in REMOVED.items()
        if hasattr(settings, f"APPEALS_{name}")
    ]


@checks.register()
def trusted_proxies(app_configs, **kwargs):
    warnings = []
    if appeals_conf.CLIENT_ADDRESS_HEADER and not appeals_conf.TRUSTED_PROXIES:
        warnings.append(
            checks.Warning(
                "APPEALS_CLIENT_ADDRESS_HEADER is set but APPEALS_TRUSTED_PROXIES is empty: "
                "the header is ignored and every client behind the proxy shares its address.",
                hint="List your proxy's addresses in APPEALS_TRUSTED_PROXIES.",
                id="appeals.W002",
            )
        )
    proxies = appeals_conf.TRUSTED_PROXIES or ()
    for entry in proxies.split(",") if isinstance(proxies, str) else proxies:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            warnings.append(
                checks.Warning(
                    f"APPEALS_TRUSTED_PROXIES holds {entry!r}, which is no address or network.",
                    id="appeals.W003",
                )
            )
    return warnings


@checks.register()
def retention_days(app_configs, **kwargs):
    """The nightly purge counts days with it: anything but a whole number or None would
    stop it, and with it the anonymisation signers were promised."""
    days = appeals_conf.RETENTION_DAYS
    if days is None or (type(days) is int and days >= 0):
        return []
    return [
        checks.Error(
            f"APPEALS_RETENTION_DAYS is {days!r}, which is no number of days.",
            hint="Set a whole number of days (0 or more), or None to keep signatures until "
            "they are erased.",
            id="appeals.E001",
        )
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
            id="appeals.W004",
        )
    ]
