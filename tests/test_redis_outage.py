"""A Redis outage degrades the site and takes nothing down: pages are served, signatures stored.

Real Redis caches: one at a port nothing listens on, one alive (database 5).
"""

import json
import logging
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from appeals.forms import signed_render_time
from appeals.models import Signature
from tests.builders import post_signature, sign_data
from website.cache import outage_for

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:6390/0"
LIVE_REDIS = "redis://127.0.0.1:6379/6"
# Short timeouts: a dead Redis answers at once here, a black-holed one would not.
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def redis_caches(location):
    """The demo site's own default cache and a plain RedisCache for the plugin's limits."""
    return {
        "default": {
            "BACKEND": "website.cache.RedisCacheWithLocalFallback",
            "LOCATION": location,
            "OPTIONS": REDIS_OPTIONS,
        },
        "limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "OPTIONS": REDIS_OPTIONS,
        },
    }


@pytest.fixture
def dead_redis():
    with override_settings(CACHES=redis_caches(DEAD_REDIS), APPEALS_CACHE="limits"):
        yield


def api_sign(client, appeal, email):
    payload = {
        "name": "Marie Curie",
        "email": email,
        "country": "FR",
        "consent": True,
        "rendered_at": signed_render_time(time.time() - 60),
    }
    return client.post(
        f"/api/v3/appeals/{appeal.public_id}/signatures/?locale=en",
        json.dumps(payload),
        content_type="application/json",
    )


def test_with_redis_down_the_case_page_is_served(client, tree, dead_redis):
    assert client.get(f"/en/cases/{tree.case.slug}/").status_code == 200


def test_with_redis_down_the_api_reads_an_appeal(client, appeal, dead_redis):
    assert client.get(f"/api/v3/appeals/{appeal.public_id}/").status_code == 200


def test_with_redis_down_the_form_accepts_a_signature(client, appeal, dead_redis):
    response = post_signature(client, appeal, sign_data(email="form@example.org"))
    assert response.status_code == 302 and response.url.endswith("/thanks/")
    assert Signature.objects.filter(email="form@example.org").exists()


def test_with_redis_down_the_api_accepts_a_signature(client, appeal, dead_redis):
    assert api_sign(client, appeal, "api@example.org").status_code == 202
    assert Signature.objects.filter(email="api@example.org").exists()


def test_a_dead_redis_is_dialled_once_a_pause_and_warned_of_once(client, tree, dead_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="website.cache"):
        for _ in range(5):
            assert client.get(f"/en/cases/{tree.case.slug}/").status_code == 200
    assert len(caplog.records) <= 1  # none if an earlier test began this pause


def test_what_changed_during_an_outage_is_not_served_stale_from_redis_after_it():
    with override_settings(CACHES=redis_caches(LIVE_REDIS)):
        cache = caches["default"]
        cache.set("root-paths", "before")
        outage = outage_for(cache.location)
        outage.until, outage.active = time.monotonic() + 30, True  # as after a failure
        cache.delete("root-paths")  # e.g. a site renamed while Redis was down
        assert cache.get("root-paths") is None
        outage.until = 0  # the pause is over and Redis answers
        assert cache.get("root-paths") is None
        assert not outage.active
        cache.clear()
