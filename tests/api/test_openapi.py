"""The OpenAPI description is generated from the code, and the API keeps to it.

Schemathesis generates requests from /api/v2/openapi.json and runs every one of its checks on
the answers, with the key of each role (what a role may not do must be refused as the
description says, never with a server error). Bounded: a few examples per operation.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from powerbase.core.models import Role

EXAMPLES_PER_OPERATION = 2
# Numbers of exchanges that exist (the numbering plan decides; see openapi.py's "us-phone").
schemathesis.openapi.format("us-phone", st.from_regex(r"\A\+1(203|860|475)555[0-9]{4}\Z"))


def test_the_description_is_served_and_lists_every_api_address(client):
    from powerbase.api.endpoints import REGISTRY

    described = client.get("/api/v2/openapi.json").json()
    assert described["openapi"].startswith("3.")
    assert described["components"]["securitySchemes"]["osdiToken"]["name"] == "OSDI-API-Token"
    assert len(described["paths"]) == len(REGISTRY)
    assert "post" in described["paths"]["/people"]


@pytest.fixture
def in_process_app():
    """The WSGI app, answering inside the test's transaction (as Django's test client does)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def all_checks() -> list:
    load_all_checks()
    return list(CHECKS.get_all())


@override_settings(API_REQUESTS_PER_MINUTE=100_000)
def test_the_api_keeps_to_its_description_for_every_roles_key(in_process_app, keys, maria, walter):
    schema = schemathesis.openapi.from_wsgi("/api/v2/openapi.json", in_process_app)
    checks = all_checks()
    failures = []
    for role in sorted(Role.values):
        headers = {"OSDI-API-Token": keys[role]}
        for result in schema.get_all_operations():
            problem = check_operation(result.ok(), headers, checks)
            if problem:
                failures.append(f"{role} {problem}")
    assert not failures, "\n\n".join(failures)


def check_operation(operation, headers: dict, checks: list) -> str:
    """Run a few generated requests of *operation*; return what failed, or ""."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    def conforms(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=checks, headers=headers)

    try:
        conforms()
    except Exception as failure:  # every operation's failures are reported together
        return f"{operation.label}: {str(failure)[:1500]}"
    return ""
