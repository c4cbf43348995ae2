"""The site's default cache: Redis, and this process's memory while Redis is down.

Wagtail keeps its site root paths in the default cache and asks for them on
every page; with a bare RedisCache a Redis outage answers every page with a 500.
Putting Wagtail's cache in local memory for good would avoid that, but then a
page moved or a site renamed in one process leaves the others serving stale
paths until their entries expire. So Redis stays the cache, shared by every
process, and this backend steps aside to local memory while it fails:

- after a failure Redis is left alone for ``RETRY_PAUSE`` seconds, so a dead
  Redis is not dialled on every call (and the warning is logged once a pause);
- what was written or deleted during the outage may be stale in Redis when it
  comes back: those keys are deleted from Redis first (all of Redis is cleared
  if too many were, or if the cache was cleared), and the local copy is emptied.

The plugin's rate limits have their own fallback (``appeals.protection``), so
they hold whichever backend a site uses.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_PAUSE = 30
# More keys written during one outage than this, and Redis is cleared on recovery.
MAX_STALE_KEYS = 10_000


class Outage:
    """One Redis location's state in this process, shared by its threads' cache objects."""

    def __init__(self):
        self.lock = threading.Lock()
        self.until = 0.0
        self.stale = set()
        self.clear_all = False
        self.active = False


outages = {}
outages_lock = threading.Lock()


def outage_for(location):
    with outages_lock:
        return outages.setdefault(location, Outage())


class RedisCacheWithLocalFallback(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.location = str(server)
        local_params = {
            name: params[name]
            for name in ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")
            if name in params
        }
        self.local = LocMemCache(f"redis-fallback:{self.location}", local_params)

    def guarded(self, name, *args, keys=(), **kwargs):
        """``name`` on Redis, or on local memory while Redis fails; ``keys`` are written."""
        outage = outage_for(self.location)
        if outage.until > time.monotonic():
            return self.on_local(outage, name, args, kwargs, keys)
        try:
            if outage.active:
                self.recover(outage)
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as error:
            with outage.lock:
                outage.until = time.monotonic() + RETRY_PAUSE
                outage.active = True
            logger.warning(
                "Redis at %s failed (%s): caching in this process's memory for %s seconds.",
                self.location,
                type(error).__name__,
                RETRY_PAUSE,
            )
            return self.on_local(outage, name, args, kwargs, keys)

    def on_local(self, outage, name, args, kwargs, keys):
        with outage.lock:
            if name == "clear" or len(outage.stale) + len(keys) > MAX_STALE_KEYS:
                outage.clear_all = True
            else:
                version = kwargs.get("version")
                outage.stale.update((key, version) for key in keys)
        return getattr(self.local, name)(*args, **kwargs)

    def recover(self, outage):
        """Forget what Redis may hold stale from the outage; raises while it still fails."""
        with outage.lock:
            stale, clear_all = set(outage.stale), outage.clear_all
        if clear_all:
            super().clear()
        for key, version in stale:
            super().delete(key, version=version)
        with outage.lock:
            outage.stale -= stale
            outage.clear_all = outage.clear_all and not clear_all
            outage.active = bool(outage.stale) or outage.clear_all
        self.local.clear()
        logger.warning("Redis at %s answers again: caching there once more.", self.location)

    def get(self, key, default=None, version=None):
        return self.guarded("get", key, default, version=version)

    def get_many(self, keys, version=None):
        return self.guarded("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self.guarded("has_key", key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded("add", key, value, timeout, keys=[key], version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded("set", key, value, timeout, keys=[key], version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded("touch", key, timeout, keys=[key], version=version)

    def delete(self, key, version=None):
        return self.guarded("delete", key, keys=[key], version=version)

    def incr(self, key, delta=1, version=None):
        return self.guarded("incr", key, delta, keys=[key], version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded("set_many", data, timeout, keys=list(data), version=version)

    def delete_many(self, keys, version=None):
        return self.guarded("delete_many", keys, keys=list(keys), version=version)

    def clear(self):
        return self.guarded("clear")
