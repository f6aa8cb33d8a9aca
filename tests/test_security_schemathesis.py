"""Schemathesis generates requests from the OpenAPI schema and checks every answer against it.

Bounded: SAMHANDLING_SCHEMATHESIS_EXAMPLES examples per operation (default 25), so CI stays quick. The
operations are driven from one test (schemathesis' lazy pytest loader does not work with pytest 9).
"""
import os

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as settings_

EXAMPLES = int(os.environ.get("SAMHANDLING_SCHEMATHESIS_EXAMPLES", "25"))


def test_every_api_operation_conforms_to_its_schema(demo, settings):
    from django.core.wsgi import get_wsgi_application

    settings.API_RATE_LIMIT = 10**6  # the generated traffic is not what the limit is for
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    failures = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings_(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate()

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group; collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)


