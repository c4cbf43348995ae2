"""Property-based requests against the appeals routes of the OpenAPI document: never a 5xx."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from website.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", application).include(tag="appeals")


@pytest.fixture
def keep_connection():
    """Keep the test's database connection open across the generated calls.

    They go straight to the WSGI handler, whose request signals would close the
    connection mid-transaction (fatal on PostgreSQL); Django's test client
    disconnects them the same way.
    """
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture
def real_appeal_id(appeal):
    return appeal.public_id


@pytest.mark.slow
@pytest.mark.django_db
@override_settings(APPEALS_SUBMISSIONS_PER_NETWORK=100_000, APPEALS_MIN_SECONDS_TO_SIGN=0)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, real_appeal_id, keep_connection):
    # Aim at the real appeal, so that bodies reach validation instead of a 404.
    if case.path_parameters and "appeal_id" in case.path_parameters:
        case.path_parameters["appeal_id"] = real_appeal_id
    case.call_and_validate(checks=[not_a_server_error])
