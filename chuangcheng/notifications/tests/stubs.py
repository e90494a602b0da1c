"""A stub HTTP server started by the test: a DingTalk robot (checks 加签), a WeCom robot (checks the key) and
an SMS gateway (checks the HMAC signature), each answering as the real one does, plus scripted failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Stub:
    def __init__(self):
        self.requests: list[dict] = []
        self.script: dict[str, list] = {}  # path -> behaviours: "ok", int (HTTP status), ("sleep", seconds)
        self.ding_secret = "SECtest-ding-secret"
        self.wecom_key = "wecom-key-123456"
        self.sms_secret = "sms-secret"
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Stub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def verified(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path and r["verified"]]

    def _verify(self, path: str, query: dict, headers, raw: bytes) -> tuple[bool, dict]:
        if path == "/dingtalk":
            timestamp, sign = query.get("timestamp", ""), query.get("sign", "")
            expected = base64.b64encode(
                hmac.new(
                    self.ding_secret.encode(), f"{timestamp}\n{self.ding_secret}".encode(), hashlib.sha256
                ).digest()
            ).decode()
            fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
            if query.get("access_token") != "ding-token" or not fresh or not hmac.compare_digest(sign, expected):
                return False, {"errcode": 310000, "errmsg": "sign not match"}
            return True, {"errcode": 0, "errmsg": "ok"}
        if path == "/wecom":
            if query.get("key") != self.wecom_key:
                return False, {"errcode": 93000, "errmsg": "invalid webhook url"}
            return True, {"errcode": 0, "errmsg": "ok"}
        if path == "/sms":
            timestamp = headers.get("X-Timestamp", "")
            expected = hmac.new(self.sms_secret.encode(), timestamp.encode() + b"\n" + raw, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(headers.get("X-Signature", ""), expected):
                return False, {"code": "SIGN_ERROR", "message": "signature mismatch"}
            return True, {"code": 0, "id": f"sms-{len(self.requests)}"}
        return True, {"errcode": 0}

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                parts = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(parts.query))
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                behaviour = (stub.script.get(parts.path) or ["ok"]).pop(0) if stub.script.get(parts.path) else "ok"
                verified, answer = stub._verify(parts.path, query, self.headers, raw)
                stub.requests.append(
                    {"path": parts.path, "query": query, "body": json.loads(raw or b"{}"), "verified": verified,
                     "behaviour": behaviour}
                )  # fmt: skip
                if isinstance(behaviour, tuple) and behaviour[0] == "sleep":
                    time.sleep(behaviour[1])
                elif isinstance(behaviour, int):
                    self.send_response(behaviour)
                    self.end_headers()
                    self.wfile.write(b"server error")
                    return
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout test)

        return Handler
