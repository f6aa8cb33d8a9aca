"""Schemathesis generates requests from the OpenAPI schema and checks every answer against it.

Every operation runs anonymously; the operations that need a session run again signed in as an applicant and
as the secretariat (with a CSRF token), so the code behind the login is exercised too. Bounded:
SAMHANDLING_SCHEMATHESIS_EXAMPLES examples per operation and identity (default 25), so CI stays quick. The
operations are driven from one test (schemathesis' lazy pytest loader does not work with pytest 9).
"""

import os

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_

from samhandling.access.roles import Role

EXAMPLES = int(os.environ.get("SAMHANDLING_SCHEMATHESIS_EXAMPLES", "25"))
CSRF = "schemathesisschemathesisschemath"  # an unmasked CSRF secret (32 characters) sent as cookie and header


def session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def wsgi_application():
    """Django's WSGI application, run inside the test's transaction the way Django's test client runs it.

    At the end of each request Django closes "old" database connections; inside a test's transaction on
    PostgreSQL that closes the test's own connection ("the connection is closed" on the next query). The test
    client disconnects that handler while it calls the application; calling the WSGI application directly
    must do the same.
    """
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_api_operation_conforms_to_its_schema(demo, settings, make_user, open_call, wsgi_application):
    settings.API_RATE_LIMIT = settings.API_RATE_LIMIT_AUTHENTICATED = 10**6  # not what the limit is for
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_application)
    # Text reaches the API as UTF-8 without NUL: anything else is refused with a 422 naming the field
    # (ApiUnstorableTextMiddleware, tested in test_api_pages), so the generator sends what the API stores.
    schema.config.generation.update(allow_x00=False, codec="utf-8")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    identities = {
        "anonym": None,
        **{
            str(role): session_of(make_user(f"schemathesis-{role}", role))
            for role in (Role.APPLICANT, Role.SECRETARIAT)
        },
    }
    call = open_call("A.1")
    failures, answered = [], set()
    for operation in operations:
        signed_in = bool(operation.definition.raw.get("security"))
        for identity, session in identities.items():
            if session and not signed_in:
                continue  # an open operation answers the same whoever asks

            @given(case=operation.as_strategy())
            @settings_(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                headers = {}
                if isinstance(case.body, dict) and "call_id" in case.body and identity == "applicant":
                    case.body["call_id"] = call.pk  # an open call, so generated applications reach the validation
                if session:
                    case.cookies = {
                        **(case.cookies or {}),
                        django_settings.SESSION_COOKIE_NAME: session,
                        django_settings.CSRF_COOKIE_NAME: CSRF,
                    }
                    headers["X-CSRFToken"] = CSRF
                response = case.call_and_validate(headers=headers)
                answered.add((identity, operation.method.upper(), operation.path, response.status_code))

            try:
                check()
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group; collect them all
                failures.append(f"{operation.method.upper()} {operation.path} ({identity}): {exc}")
    assert not failures, "\n\n".join(failures)
    # The sessions and the CSRF token work: signed-in requests got past authentication and into the endpoint.
    assert ("applicant", "GET", "/api/v1/applications", 200) in answered
    assert {("applicant", "POST", "/api/v1/applications", status) for status in (201, 400)} & answered, sorted(
        a for a in answered if a[1] == "POST"
    )
