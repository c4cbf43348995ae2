"""Fixed-window counters in Django's cache (Redis in production)."""

import time
from dataclasses import dataclass

from django.core.cache import caches

from appeals.conf import appeals_settings


@dataclass
class Limit:
    allowed: bool
    retry_after: int = 0


def hit(scope, key, *, limit, window):
    """Count one event for ``key``; refuse once ``limit`` events fell in the current window."""
    cache = caches[appeals_settings.CACHE]
    window_start = int(time.time()) // window * window
    cache_key = f"appeals:{scope}:{key}:{window_start}"
    cache.add(cache_key, 0, timeout=window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=window + 60)
        count = 1
    if count > limit:
        return Limit(allowed=False, retry_after=window_start + window - int(time.time()))
    return Limit(allowed=True)
