"""A bounded schemathesis run over the served OpenAPI: every operation, as the office and as a grid worker.

Each operation gets a few generated examples (deterministic seed) sent in-process to the Django WSGI
application, inside the test's transaction. The only check is that no answer is a server error (5xx):
bad input must be refused with a 4xx, never crash. Runs on SQLite only (``make test``'s first pass),
in under a minute; ``FUZZ_EXAMPLES`` raises the number of examples per operation for a longer run.
"""

from __future__ import annotations

import os
import traceback

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.org.models import UnitKind
from chuangcheng.org.tests.factories import UnitFactory

schemathesis = pytest.importorskip("schemathesis")

pytestmark = pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="the fuzz run is part of the SQLite pass only"
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
METHODS = {"get", "post", "put", "patch", "delete"}


class InTransactionApp:
    """Django's WSGI handler without closing the connection around each request (the test's transaction
    must survive), as Django's own test client does; it remembers the last unhandled exception."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.exception: str | None = None
        got_request_exception.connect(self._caught)

    def _caught(self, sender, request=None, **kwargs):
        self.exception = traceback.format_exc()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.handler(environ, start_response)
            body = b"".join(result)
            if hasattr(result, "close"):
                result.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def _served_schema(user) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def _run_operation(operation, app: InTransactionApp, token: str, failures: list) -> None:
    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy())
    def probe(case):
        app.exception = None
        response = case.call(app=app, headers={"Authorization": f"Token {token}"})
        if response.status_code >= 500:
            failures.append(
                f"{response.status_code} {operation.method.upper()} {case.formatted_path} "
                f"query={case.query} body={str(case.body)[:200]}\n{(app.exception or '')[-1500:]}"
            )

    probe()


@pytest.mark.django_db
def test_no_operation_answers_a_server_error():
    city = UnitFactory(kind=UnitKind.CITY, name="示范市")
    office = UnitFactory(kind=UnitKind.OFFICE, name="创建办", parent=city)
    street = UnitFactory(kind=UnitKind.STREET, name="示范街道", parent=city)
    users = {
        "office": user_with_role(Role.OFFICE_ADMIN, office),
        "grid": user_with_role(Role.GRID_WORKER, street),
    }
    schema = schemathesis.openapi.from_dict(_served_schema(users["office"]))
    app = InTransactionApp()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    for label, user in users.items():
        token = Token.objects.create(user=user).key
        for operation in operations:
            if operation.method.lower() in METHODS:
                before = len(failures)
                _run_operation(operation, app, token, failures)
                for index in range(before, len(failures)):
                    failures[index] = f"[{label}] {failures[index]}"
    assert not failures, f"{len(failures)} server errors:\n" + "\n\n".join(failures)
