"""Checks of the plugin's settings: removed names, and a proxy header trusted for no one."""

import ipaddress

from django.conf import settings
from django.core.checks import Warning, register

from appeals.conf import REMOVED, appeals_conf


@register()
def check_settings(app_configs=None, **kwargs):
    warnings = [
        Warning(
            f"APPEALS_{old} is removed and ignored.",
            hint=f"Set APPEALS_{new}: limits now count accepted submissions per client "
            "network per appeal.",
            id="appeals.W001",
        )
        for old, new in REMOVED.items()
        if hasattr(settings, f"APPEALS_{old}")
    ]
    if appeals_conf.CLIENT_ADDRESS_HEADER and not appeals_conf.TRUSTED_PROXIES:
        warnings.append(
            Warning(
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
                Warning(
                    f"APPEALS_TRUSTED_PROXIES holds {entry!r}, which is no address or network.",
                    id="appeals.W003",
                )
            )
    return warnings
