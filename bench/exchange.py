"""Benchmark: outbound exchange of 10,000 cases through the outbox and its retry queue, beside the raw
HTTP round-trip to the same local stub receiver, in the same run.

The stub receiver runs in its own process (HTTP/1.1, keep-alive) and answers 503 to the first attempt
of one message in twenty, so part of the traffic goes through the retry queue (backoff base 0.05 s for
the benchmark; production waits 30 s × 2^n with full jitter). Timed: queueing the pushes (payloads
built, outbox rows written: ``triggers.enqueue_matching_cases``) and sending until the queue is empty
(``outbox.deliver_due``, signed, 8 sender threads). Baselines: a plain loop of the same number of POSTs
of one payload with ``urllib.request`` (new connection each, as a naive client would), and the same
loop over one kept-alive ``http.client`` connection.

    .venv/bin/python bench/exchange.py                           # SQLite (throw-away test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test TEST_DATABASE_NAME=bench_h8 \\
        .venv/bin/python bench/exchange.py                       # PostgreSQL
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def serve(port_queue, counter, fail_every: int) -> None:
    """The stub receiver (own process): 200 unless the key's first attempt is picked to fail with 503."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: set[str] = set()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall

        def log_message(self, *args):
            pass

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            key = self.headers.get("Idempotency-Key", "")
            status = 200
            if key and fail_every and key not in seen and hash(key) % fail_every == 0:
                status = 503
            seen.add(key)
            with counter.get_lock():
                counter.value += 1
            body = b'{"ok":true}' if status == 200 else b'{"error":"busy"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "uptime 不可用"


def generate(count: int, url: str):
    from django.utils import timezone

    from chuangcheng.accounts.models import Role
    from chuangcheng.accounts.tests.factories import user_with_role
    from chuangcheng.cases.models import Case, CaseSource, CaseStatus
    from chuangcheng.exchange.models import EndpointKind
    from chuangcheng.exchange.services import endpoints
    from chuangcheng.org.models import Unit, UnitKind

    city = Unit.objects.create(code="CITY", name="示范市", kind=UnitKind.CITY)
    office = Unit.objects.create(code="OFFICE", name="市创建办", kind=UnitKind.OFFICE, parent=city)
    urban = Unit.objects.create(code="DEPT-CG", name="市数字城管中心", kind=UnitKind.DEPARTMENT, parent=city)
    admin = user_with_role(Role.OFFICE_ADMIN, office)
    endpoint, _ = endpoints.create_endpoint(
        actor=admin, code="szcg", name="数字城管", kind=EndpointKind.CITY_MGMT, url=url, unit=urban,
        rule_units=[urban],
    )  # fmt: skip
    now = timezone.now()
    Case.objects.bulk_create(
        [
            Case(
                number=f"WT2026-{i:06d}",
                source=CaseSource.PATROL,
                title=f"演示问题 {i}",
                description="门前垃圾堆放",
                status=CaseStatus.DISPATCHED,
                lead_unit=urban,
                unit=urban,
                dispatched_at=now,
                lng=120.0 + i * 1e-5,
                lat=30.0,
                deadline=now.date(),
            )  # fmt: skip
            for i in range(1, count + 1)
        ],
        batch_size=2000,
    )
    return endpoint


def raw_loops(url: str, count: int, body: bytes) -> tuple[float, float]:
    headers = {"Content-Type": "application/json"}
    start = time.perf_counter()
    for _ in range(count):
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (local stub)
            response.read()
    naive = time.perf_counter() - start
    host = url.split("//", 1)[1].split("/", 1)[0]
    connection = http.client.HTTPConnection(host, timeout=10)
    start = time.perf_counter()
    for _ in range(count):
        connection.request("POST", "/cases", body=body, headers=headers)
        connection.getresponse().read()
    kept = time.perf_counter() - start
    connection.close()
    return naive, kept


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--fail-every", type=int, default=20, help="one message in N is refused (503) once")
    args = parser.parse_args()

    port_queue, counter = multiprocessing.Queue(), multiprocessing.Value("i", 0)
    receiver = multiprocessing.Process(target=serve, args=(port_queue, counter, args.fail_every), daemon=True)
    receiver.start()
    url = f"http://127.0.0.1:{port_queue.get(timeout=10)}/cases"

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.EXCHANGE_SEND_ON_COMMIT = False  # time queueing and sending apart
    settings.EXCHANGE_BACKOFF_BASE_SECONDS = 0.05
    settings.EXCHANGE_BACKOFF_MAX_SECONDS = 1.0
    settings.EXCHANGE_BASE_URL = "https://cc.example.gov.cn"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.urls import reverse

        from chuangcheng.exchange import payloads
        from chuangcheng.exchange.models import Exchange
        from chuangcheng.exchange.services import outbox, triggers

        reverse("exchange:log")  # load the URL configuration, as a running process has it already
        print(f"开始：{uptime()}")
        start = time.perf_counter()
        generate(args.cases, url)
        print(f"数据库 {connection.vendor}；生成 {args.cases} 件已派遣案件用时 {time.perf_counter() - start:.1f} 秒")

        start = time.perf_counter()
        queued = triggers.enqueue_matching_cases(limit=args.cases)
        enqueue_s = time.perf_counter() - start
        start = time.perf_counter()
        sent = retrying_runs = 0
        while True:
            run = outbox.deliver_due()
            sent += run.sent
            if not Exchange.objects.filter(status__in=("pending", "retrying")).exists():
                break
            retrying_runs += 1
            time.sleep(0.05)
        deliver_s = time.perf_counter() - start
        rows = Exchange.objects.filter(direction="out")
        retried = rows.filter(attempts__gt=1).count()
        failed = rows.filter(status="failed").count()
        requests = counter.value
        print(
            f"经发件箱推送：排队 {queued} 条 {enqueue_s:.1f} 秒，发送至队列清空 {deliver_s:.1f} 秒"
            f"（HTTP 请求 {requests} 次，其中重试后送达 {retried} 条，失败 {failed} 条）；"
            f"合计 {enqueue_s + deliver_s:.1f} 秒，{args.cases / (enqueue_s + deliver_s):.0f} 件/秒"
        )
        sample = payloads.encode(rows.first().payload)
        naive, kept = raw_loops(url, args.cases, sample)
        print(
            f"原始 HTTP 往返（同一接收端，{args.cases} 次，报文 {len(sample)} 字节）："
            f"urllib 逐次新建连接 {naive:.1f} 秒，http.client 保持连接 {kept:.1f} 秒"
        )
        print(json.dumps({"queued": queued, "enqueue_s": round(enqueue_s, 2), "deliver_s": round(deliver_s, 2),
                          "raw_urllib_s": round(naive, 2), "raw_keepalive_s": round(kept, 2)}))  # fmt: skip
        print(f"结束：{uptime()}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        receiver.terminate()


if __name__ == "__main__":
    main()
