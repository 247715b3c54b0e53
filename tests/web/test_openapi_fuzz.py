"""schemathesis against /openapi.json on its own real server (its /track POSTs would use up the
rate limit of the shared one): no generated request gets a 5xx, and answers match the spec.
(Driven through hypothesis directly: schemathesis' pytest loader trips on pytest 9.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from .server import seeded_server

EXAMPLES = 15  # per operation
# Answers must match the spec (status codes, content types, JSON schemas). Not checked: that any
# schema-valid input is accepted — "hello" is a valid string yet not a ticket number (400).
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]


def test_no_server_errors_and_answers_match_the_spec(tmp_path):
    srv = seeded_server(tmp_path, 5)
    try:
        schema = schemathesis.openapi.from_url(f"{srv.url}/openapi.json")
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 8
        calls = []
        for operation in operations:
            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def check(case):
                response = case.call()
                calls.append(response.status_code)
                assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])
                case.validate_response(response, checks=CHECKS)

            check()
        assert len(calls) >= 8 * 10 and any(c == 200 for c in calls) and any(c >= 400 for c in calls)
    finally:
        srv.stop()
