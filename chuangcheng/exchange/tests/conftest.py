"""The cases test city, endpoints made through the services, and stub HTTP servers started per test."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from chuangcheng.cases.tests.conftest import world  # noqa: F401  (the shared test city)
from chuangcheng.exchange.models import EndpointKind
from chuangcheng.exchange.services import endpoints


class Stub:
    """A local HTTP server: records every request; ``respond(request) -> (status, body, headers)``
    decides the answer (default 200 ``{"ok": true}``); ``delay`` seconds before answering."""

    def __init__(self):
        self.requests: list[dict] = []
        self.respond = lambda request: (200, {"ok": True}, {})
        self.delay = 0.0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                stub.requests.append(request)
                if stub.delay:
                    time.sleep(stub.delay)
                status, payload, headers = stub.respond(request)
                data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _handle
            do_POST = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def posts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    server = Stub()
    yield server
    server.close()


@pytest.fixture
def fast_retries(settings):
    settings.EXCHANGE_BACKOFF_BASE_SECONDS = 0.0
    settings.EXCHANGE_MAX_ATTEMPTS = 3
    settings.EXCHANGE_TIMEOUT_SECONDS = 2.0
    settings.EXCHANGE_BASE_URL = "http://testserver"


@pytest.fixture
def city_mgmt(world, stub, fast_retries):  # noqa: F811
    endpoint, secret = endpoints.create_endpoint(
        actor=world.admin,
        code="szcg",
        name="数字城管",
        kind=EndpointKind.CITY_MGMT,
        url=stub.url + "/cases",
        unit=world.urban,
        rule_units=[world.urban],
    )
    return endpoint


@pytest.fixture
def hotline_endpoint(world, stub, fast_retries):  # noqa: F811
    endpoint, _ = endpoints.create_endpoint(
        actor=world.admin, code="rx12345", name="12345 热线", kind=EndpointKind.HOTLINE, url=stub.url + "/replies"
    )
    return endpoint
