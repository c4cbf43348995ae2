"""Rate limits key on the client's network, count only what was accepted, and slide.

Each test is an attack on the old limits: one person with many addresses, one
address written many ways, a forged proxy header, a burst at a window's edge,
and innocent signers who share one address. ``protection`` is called directly;
the clock is set through ``now``, never waited for.
"""

import logging

import pytest
from django.core.cache import caches
from django.test import RequestFactory, override_settings

from appeals import protection
from appeals.checks import removed_settings, trusted_proxies

REDIS = "redis://127.0.0.1:6379/5"
DEAD_REDIS = "redis://127.0.0.1:6390/0"
REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
HOUR = 3600
# A moment well inside a window, and the start of the next hour.
NOON = 1_800_000_000 // HOUR * HOUR + HOUR / 2
BOUNDARY = NOON + HOUR / 2
APPEAL = 7


@pytest.fixture(autouse=True)
def empty_fallback():
    protection.FALLBACK.clear()
    yield
    protection.FALLBACK.clear()


def network_of(remote_addr, forwarded_for=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return protection.client_network(RequestFactory().post("/", **headers))


def submit(network, times, *, now=NOON, appeal=APPEAL):
    """Submit ``times`` times, as signing does: check, then record what was accepted."""
    accepted = 0
    for _ in range(times):
        if protection.submission_allowed(network, appeal, now=now).allowed:
            protection.record_submission(network, appeal, now=now)
            accepted += 1
    return accepted


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=10)
def test_fifteen_addresses_in_one_ipv6_64_share_one_bucket():
    networks = {network_of(f"2001:db8:1:2::{number:x}") for number in range(1, 16)}
    assert networks == {"2001:db8:1:2::/64"}
    accepted = sum(submit(network_of(f"2001:db8:1:2:{number:x}::1"), 1) for number in range(1, 16))
    assert accepted == 10
    assert network_of("2001:db8:1:3::1") != "2001:db8:1:2::/64"


def test_one_ipv4_address_written_several_ways_is_one_client():
    spellings = ["1.2.3.4", "::ffff:1.2.3.4", "::FFFF:102:304", "0:0:0:0:0:ffff:0102:0304"]
    assert {network_of(spelling) for spelling in spellings} == {"1.2.3.4/32"}


@override_settings(
    APPEALS_CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR", APPEALS_TRUSTED_PROXIES=["10.0.0.1"]
)
def test_a_proxy_writing_an_address_with_its_port_names_the_same_client():
    written = ["1.2.3.4", "1.2.3.4:5678", "[::ffff:1.2.3.4]:443"]
    assert {network_of("10.0.0.1", spelling) for spelling in written} == {"1.2.3.4/32"}


@override_settings(APPEALS_CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR")
def test_a_forwarded_for_header_is_ignored_when_no_proxy_is_trusted():
    assert network_of("203.0.113.7", "198.51.100.1") == "203.0.113.7/32"


@override_settings(
    APPEALS_CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR",
    APPEALS_TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8:ffff::1"],
)
def test_through_trusted_proxies_the_right_most_untrusted_entry_is_the_client():
    # The client wrote "6.6.6.6" itself; the edge proxy appended what it saw,
    # the inner proxy appended the edge proxy.
    assert network_of("10.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2") == "203.0.113.9/32"
    assert network_of("2001:db8:ffff::1", "2001:db8:5:6::9") == "2001:db8:5:6::/64"


@override_settings(
    APPEALS_CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR", APPEALS_TRUSTED_PROXIES=["10.0.0.1"]
)
def test_a_header_from_an_address_that_is_no_trusted_proxy_is_ignored():
    # The app server reached directly, with a last entry forged to look like the proxy's.
    for forged in range(5):
        assert network_of("198.51.100.7", f"203.0.113.{forged}") == "198.51.100.7/32"


@override_settings(
    APPEALS_CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR", APPEALS_TRUSTED_PROXIES=["10.0.0.1"]
)
def test_an_unparseable_address_falls_back_to_remote_addr():
    assert network_of("10.0.0.1", "not-an-address") == "10.0.0.1/32"
    assert network_of("10.0.0.1", "") == "10.0.0.1/32"
    assert network_of("") == ""
    assert protection.submission_allowed(network_of(""), APPEAL).allowed


def test_two_signers_behind_one_address_each_well_under_the_limit_are_both_accepted():
    shared = network_of("100.64.0.1")  # a carrier-grade NAT address
    assert submit(shared, 20) == 20
    assert submit(shared, 20) == 20


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=1)
def test_checking_without_recording_counts_nothing():
    network = network_of("203.0.113.5")
    for _ in range(50):
        assert protection.submission_allowed(network, APPEAL, now=NOON).allowed
    protection.record_submission(network, APPEAL, now=NOON)
    assert not protection.submission_allowed(network, APPEAL, now=NOON).allowed


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=1)
def test_each_appeal_has_its_own_limit():
    network = network_of("203.0.113.5")
    assert submit(network, 3, appeal=1) == 1
    assert submit(network, 3, appeal=2) == 1


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=10, APPEALS_SUBMISSION_WINDOW=HOUR)
def test_a_burst_over_the_limit_at_a_window_boundary_is_refused():
    network = network_of("203.0.113.5")
    assert submit(network, 10, now=BOUNDARY - 1) == 10
    # A fixed window started afresh here and let ten more through within two seconds.
    refused = protection.submission_allowed(network, APPEAL, now=BOUNDARY + 0.9)
    assert not refused.allowed and refused.retry_after > 0


def test_fifteen_hits_in_two_seconds_against_ten_let_ten_through():
    moments = [BOUNDARY - 1 + step * 0.13 for step in range(15)]  # 1.9 seconds
    allowed = [
        protection.hit("burst", "key", limit=10, window=HOUR, now=moment).allowed
        for moment in moments
    ]
    assert allowed.count(True) == 10


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=10, APPEALS_SUBMISSION_WINDOW=HOUR)
def test_retry_after_says_when_a_submission_fits_again():
    network = network_of("203.0.113.5")
    submit(network, 10, now=NOON)
    later = NOON + 600
    limit = protection.submission_allowed(network, APPEAL, now=later)
    assert not limit.allowed
    assert not protection.submission_allowed(
        network, APPEAL, now=later + limit.retry_after - 5
    ).allowed
    assert protection.submission_allowed(network, APPEAL, now=later + limit.retry_after).allowed


def test_a_refused_hit_counts_nothing():
    for _ in range(5):
        protection.hit("refused", "key", limit=2, window=HOUR, now=NOON)
    assert protection.check("refused", "key", limit=3, window=HOUR, now=NOON).allowed


@override_settings(APPEALS_EMAILS_PER_ADDRESS_PER_DAY=3)
def test_only_sent_emails_use_an_address_quota():
    for _ in range(10):  # sends that failed, or were never tried
        assert protection.email_allowed("victim@example.org", now=NOON)
    for _ in range(3):
        protection.record_email_sent("victim@example.org", now=NOON)
    assert not protection.email_allowed("victim@example.org", now=NOON)
    assert protection.email_allowed("someone@example.org", now=NOON)


def redis_caches(location, *aliases):
    backend = "django.core.cache.backends.redis.RedisCache"
    cache = {"BACKEND": backend, "LOCATION": location, "OPTIONS": REDIS_OPTIONS}
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}} | {
        alias: dict(cache) for alias in aliases
    }


@pytest.fixture
def live_redis():
    with override_settings(CACHES=redis_caches(REDIS, "limits", "elsewhere")):
        caches["limits"].clear()
        yield
        caches["limits"].clear()


@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=2)
def test_with_redis_alive_every_process_shares_the_counts(live_redis):
    network = network_of("203.0.113.5")
    with override_settings(APPEALS_CACHE="limits"):
        assert submit(network, 2) == 2
    # Another cache object on the same Redis, as another process has.
    with override_settings(APPEALS_CACHE="elsewhere"):
        assert not protection.submission_allowed(network, APPEAL, now=NOON).allowed
    assert not protection.FALLBACK.get_many(protection.FALLBACK._cache.keys())


@override_settings(
    CACHES=redis_caches(DEAD_REDIS, "limits"),
    APPEALS_CACHE="limits",
    APPEALS_SUBMISSIONS_PER_NETWORK=3,
)
def test_with_redis_dead_limits_hold_in_memory_with_one_warning(caplog):
    network = network_of("203.0.113.5")
    with caplog.at_level(logging.WARNING, logger="appeals.protection"):
        assert submit(network, 10) == 3
        assert protection.email_allowed("someone@example.org")
    assert len(caplog.records) == 1
    assert "limits" in caplog.records[0].getMessage()


@override_settings(APPEALS_RATE_LIMIT=5, APPEALS_CLIENT_ADDRESS_HEADER="HTTP_X_FORWARDED_FOR")
def test_removed_settings_and_a_header_trusted_for_no_one_are_warned_of():
    ids = {warning.id for warning in [*removed_settings(None), *trusted_proxies(None)]}
    assert {"appeals.W001", "appeals.W002"} <= ids
