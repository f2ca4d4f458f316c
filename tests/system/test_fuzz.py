"""Schemathesis fuzzes every operation of the OpenAPI schema, logged in as an admin, with every
one of its checks but one: valid requests (positive mode) and invalid ones (negative mode). No
5xx, no undeclared status, no response that breaks the schema, no invalid request accepted, no
missing required header accepted. Bounded per operation.

The one check left out, `positive_data_acceptance`: a request valid by the schema may still
break a rule of the register (an unknown county, a date after the product's date, a stale
If-Match) and answers 422 / 412 by design.

(schemathesis' pytest plugin does not run under pytest 9, so each operation's strategy is
driven by Hypothesis directly.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from facilities.app import create_app
from tests.factories import auth_headers

CASES_PER_OPERATION = 15


def test_the_api_keeps_its_schema_under_fuzzing(settings):
    headers = auth_headers(settings, "admin")
    schema = schemathesis.openapi.from_asgi(
        "/schema/openapi.json", create_app(settings), headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:
        for mode in GenerationMode:

            @given(case=operation.as_strategy(mode))
            @hypothesis_settings(
                max_examples=CASES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def fuzz(case):
                case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

            try:
                fuzz()
            except Unsatisfiable:
                # no request to this operation breaks its schema (no constraint to break)
                assert mode is GenerationMode.NEGATIVE, operation.path
