"""The HTTP of exchange (external I/O): signed JSON posts and Open311 GETs, standard library only.

Connections are kept alive per thread and per host (the worker sends from a thread pool), and a
connection the peer closed is reopened once. Every failure comes back as a ``Result``, never raised.
"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse
from dataclasses import dataclass

_local = threading.local()


@dataclass(frozen=True)
class Result:
    status: int | None  # None: no HTTP answer (timeout, refused connection)
    body: str = ""
    error: str = ""
    headers: dict | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def retriable(self) -> bool:
        """Timeouts, connection errors, 5xx and 429 are tried again; other answers are final."""
        return self.status is None or self.status >= 500 or self.status in (408, 429)


def _connection(scheme: str, netloc: str, timeout: float):
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    key = (scheme, netloc)
    connection = pool.get(key)
    if connection is None:
        factory = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
        connection = pool[key] = factory(netloc, timeout=timeout)
    connection.timeout = timeout
    return connection


def _drop(scheme: str, netloc: str) -> None:
    connection = getattr(_local, "pool", {}).pop((scheme, netloc), None)
    if connection is not None:
        connection.close()


def request(method: str, url: str, *, body: bytes | None = None, headers: dict | None = None, timeout: float = 10.0):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return Result(None, error=f"不支持的地址：{url}")
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    for attempt in range(2):
        connection = _connection(parts.scheme, parts.netloc, timeout)
        try:
            connection.request(method, target, body=body, headers=headers or {})
            response = connection.getresponse()
            text = response.read(1_000_000).decode("utf-8", errors="replace")
            if response.will_close:
                _drop(parts.scheme, parts.netloc)
            return Result(response.status, text, headers={k.lower(): v for k, v in response.getheaders()})
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            _drop(parts.scheme, parts.netloc)
            if attempt == 0:
                continue  # a kept-alive connection the peer had closed: reopen once
            return Result(None, error=f"连接被对方关闭：{exc}"[:500])
        except TimeoutError:
            _drop(parts.scheme, parts.netloc)
            return Result(None, error=f"超时（{timeout:g} 秒无响应）")
        except OSError as exc:
            _drop(parts.scheme, parts.netloc)
            return Result(None, error=f"连接失败：{exc}"[:500])
        except http.client.HTTPException as exc:
            _drop(parts.scheme, parts.netloc)
            return Result(None, error=f"HTTP 错误：{exc}"[:500])
    return Result(None, error="连接失败")


def post_json(url: str, body: bytes, headers: dict, timeout: float = 10.0) -> Result:
    return request("POST", url, body=body, headers=headers, timeout=timeout)


def get_json(url: str, params: dict, timeout: float = 20.0) -> tuple[object, Result]:
    """GET ``url?params`` and parse JSON; ``(None, result)`` when the answer is not 2xx JSON."""
    joiner = "&" if "?" in url else "?"
    result = request("GET", url + joiner + urllib.parse.urlencode(params), timeout=timeout)
    if not result.ok:
        return None, result
    try:
        return json.loads(result.body), result
    except ValueError:
        return None, Result(result.status, result.body[:200], error="响应不是 JSON")
