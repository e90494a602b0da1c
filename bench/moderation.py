"""Moderation benchmark on PostgreSQL: citizen reports accepted one per request under gunicorn.

    .venv/bin/python bench/moderation.py [--reports 4000] [--seconds 20] [--clients 16] [--port 8197]
        [--without-photos]

Uses BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_intake, which holds the demo city;
set up like ``bench/cases.py``'s database otherwise). Replaces the waiting (待审核) benchmark reports by
``--reports`` new ones with bulk inserts: varied categories at the demo city's sites (a few metres off), one in ten
address-only (a site's address: the case is placed on that site), about half with one to three phone-sized
photos, most with a mobile number (points and SMS notices), some with the office's edited public text.

Then, under gunicorn (4 workers, as ``bench/cases.py``), ``--clients`` clients accept them one per request
through POST /api/v1/public/reports/<id>/accept/ with the office user's token (publish, open the case:
register, route, dispatch, timeline, audit, notifications; points, SMS notices, the moderation audit row),
after a 3 s warm-up, each report once. Printed beside it, in the same run: the raw baseline, hand-written SQL
doing the minimal writes of an accept (insert the case row, update the report row) committed one accept at a
time from the same number of connections. Each line gives accepts/s, errors, gunicorn CPU ms per accept and
the load generator's own CPU ms per accept; the load average is printed at the start and the end.
``--without-photos`` accepts only the reports without photos (the cases app's image work left out).

Run it with the CHUANGCHENG_VAR_DIR whose audit key wrote the database's rows so far (the machine's in-process
runs use /tmp/var_bench): a sealer holding another key refuses the pending audit rows it finds.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import threading
import time

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_intake")

from cases import BENCH_URL  # noqa: E402  (sets Django up on BENCH_URL, as the cases benchmark does)
from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from measure import cpu_seconds  # noqa: E402
from open311 import serve  # noqa: E402

from chuangcheng.accounts.models import User  # noqa: E402
from chuangcheng.places.models import Site  # noqa: E402
from chuangcheng.public.models import Report, ReportChannel, ReportPhoto, ReportStatus  # noqa: E402
from chuangcheng.public.privacy import phone_hash  # noqa: E402

PREFIX = "SPM"  # the benchmark's waiting reports (accepted by the API run)
RAW_PREFIX = "SPR"  # the raw baseline's reports (reset to waiting after each run)
PHOTOS = 12  # distinct originals, shared by the reports (accept only reads them)
TEXTS = (
    "路边垃圾堆放多日无人清理，气味很大", "人行道被占道经营摊点堵住，行人只能走机动车道",
    "小区门口共享单车乱停乱放", "公园健身器材损坏，存在安全隐患", "墙面有大量小广告，影响市容",
    "夜间施工噪音扰民，已持续一周", "道路井盖缺失，晚上很危险", "公厕卫生差，洗手池无水",
)  # fmt: skip


def photo_names() -> list[tuple[str, int, int]]:
    """``(storage name, width, height)`` of the shared originals, written once into MEDIA_ROOT: JPEGs of a phone
    photo's size after a messenger's compression (1280×960), each different (shapes on a gradient)."""
    from PIL import Image, ImageDraw

    names = []
    for k in range(PHOTOS):
        name = f"public/original/bench-moderation-{k}.jpg"
        if not default_storage.exists(name):
            rng = random.Random(k)
            image = Image.linear_gradient("L").resize((1280, 960)).convert("RGB")
            draw = ImageDraw.Draw(image)
            for _ in range(40):
                x, y = rng.randrange(1200), rng.randrange(900)
                colour = tuple(rng.randrange(256) for _ in range(3))
                draw.rectangle([x, y, x + rng.randrange(20, 300), y + rng.randrange(20, 200)], fill=colour)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85)
            default_storage.save(name, io.BytesIO(out.getvalue()))
        names.append((name, 1280, 960))
    return names


def generate(total: int, prefix: str = PREFIX, *, with_photos: bool = True) -> int:
    """Waiting reports numbered ``prefix…`` up to ``total`` (bulk inserts); returns how many were added."""
    have = Report.objects.filter(number__startswith=prefix, status=ReportStatus.PENDING).count()
    if have >= total:
        return 0
    last = Report.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    start = int(last.first()[len(prefix) :]) + 1 if last.exists() else 0
    sites = list(
        Site.objects.filter(is_active=True).values_list(
            "id", "category_id", "area_id", "unit_id", "lng", "lat", "address"
        )
    )
    photos = photo_names() if with_photos else []
    rng = random.Random(start)
    reports, wanted = [], []
    for i in range(start, start + total - have):
        _site, category_id, area_id, unit_id, lng, lat, address = rng.choice(sites)
        address_only = i % 10 == 3
        phone = f"13{rng.randrange(10**9):09d}" if rng.random() < 0.8 else ""
        reports.append(Report(
            number=f"{prefix}{i:08d}", follow_code_hash="0" * 64,
            channel=ReportChannel.OPEN311 if i % 7 == 0 else ReportChannel.WEB, category_id=category_id,
            lng=None if address_only else lng + rng.uniform(-0.0002, 0.0002),
            lat=None if address_only else lat + rng.uniform(-0.0002, 0.0002),
            address=address if address_only else "", area_id=area_id, unit_id=unit_id,
            description=f"{rng.choice(TEXTS)}（基准 {i}）", reporter_name="市民" if phone else "",
            reporter_phone=phone, phone_hash=phone_hash(phone),
        ))  # fmt: skip
        wanted.append(rng.choice((1, 1, 1, 2, 3)) if photos and rng.random() < 0.5 else 0)
    with transaction.atomic():
        Report.objects.bulk_create(reports, batch_size=2000)
        ReportPhoto.objects.bulk_create(
            [
                ReportPhoto(report=report, original=name, public_image=name, width=w, height=h, sort_order=n)
                for report, count in zip(reports, wanted, strict=True)
                for n, (name, w, h) in enumerate(rng.sample(photos, count) if count else [])
            ],
            batch_size=2000,
        )
        with connection.cursor() as cursor:  # submitted over the last two days, as a morning's queue is
            cursor.execute(
                "UPDATE public_report SET created_at = now() - (random() * interval '48 hours')"
                " WHERE number LIKE %s AND status = 'pending'",
                [prefix + "%"],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE public_report")
    return len(reports)


def fresh(total: int) -> int:
    """Replace the waiting benchmark reports by ``total`` new ones, so every run accepts the same mix (in-process
    profiling takes reports of one kind and leaves the rest skewed). Waiting reports have no other rows."""
    with connection.cursor() as cursor:
        waiting = "SELECT id FROM public_report WHERE number LIKE %s AND status = 'pending'"
        cursor.execute(f"DELETE FROM public_reportphoto WHERE report_id IN ({waiting})", [PREFIX + "%"])
        cursor.execute(f"DELETE FROM public_report WHERE id IN ({waiting})", [PREFIX + "%"])
    return generate(total)


def accepts(port: int, token: str, queue: list[int], seconds: float, clients: int) -> tuple[int, int, float, list]:
    """``clients`` threads accepting reports from ``queue`` one per request for ``seconds`` (or until the queue is
    empty): (accepted, errors, client CPU seconds, first error answers)."""
    done, errors, samples = [0], [0], []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}

    def worker(n: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        rng = random.Random(n)
        while time.perf_counter() < stop:
            with lock:
                if not queue:
                    return
                pk = queue.pop()
            body = {"note": "情况属实，予以受理"} if rng.random() < 0.3 else {}
            if rng.random() < 0.25:
                body["public_description"] = "经审核：" + rng.choice(TEXTS)
            try:
                conn.request("POST", f"/api/v1/public/reports/{pk}/accept/", json.dumps(body), headers)
                response = conn.getresponse()
                answer = response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                ok, answer = False, repr(exc).encode()
            with lock:
                done[0] += ok
                errors[0] += not ok
                if not ok and len(samples) < 3:
                    samples.append(answer[:300])

    cpu = time.process_time()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return done[0], errors[0], time.process_time() - cpu, samples


def throughput(port: int, seconds: float, clients: int, photos: bool = True) -> tuple[float, int, float, float, list]:
    """(accepts/s, errors, gunicorn CPU ms per accept, load generator CPU ms per accept, error samples);
    ``photos`` False: only the waiting reports without photos (the case's intake then handles no image)."""
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=User.objects.get(username="office"))
    waiting = Report.objects.filter(number__startswith=PREFIX, status=ReportStatus.PENDING)
    if not photos:
        waiting = waiting.filter(photos__isnull=True)
    queue = list(waiting.order_by("-number").values_list("pk", flat=True))  # popped from the end: oldest first
    connection.close()
    server = serve("config.wsgi", port, 4)
    try:
        accepts(port, token.key, queue, 3, clients)  # warm-up: every worker imports, connects, accepts
        started, cpu_before = time.perf_counter(), cpu_seconds(server.pid)
        accepted, errors, client_cpu, samples = accepts(port, token.key, queue, seconds, clients)
        elapsed = time.perf_counter() - started
        server_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / max(accepted, 1)
    finally:
        server.terminate()
        server.wait(timeout=60)
    if not queue:
        print(f"注意：待审核基准随手拍在 {elapsed:.1f} 秒内用完，请加大 --reports")
    return accepted / elapsed, errors, server_ms, client_cpu * 1000 / max(accepted, 1), samples


RAW_CASE = (
    "INSERT INTO cases_case (number, source, title, description, category_id, area_id, unit_id, lng, lat, severity,"
    " route_reason, status, version, deadline_reason, pending_request, deferral_plan, created_at, sendback_count,"
    " return_count, misroute_count, is_rebound, escalation_level, external_ref, reporter_name, reporter_phone,"
    " timeline_head) SELECT %s, 'citizen', '市民反映问题', r.description, r.category_id, r.area_id, r.unit_id,"
    " r.lng, r.lat, 'normal', '', 'reported', 1, '', '', '', now(), 0, 0, 0, false, 0, %s,"
    " r.reporter_name, r.reporter_phone, '' FROM public_report r WHERE r.id = %s RETURNING id"
)
RAW_REPORT = (
    "UPDATE public_report SET status = 'accepted', moderated_by_id = %s, moderated_at = now(), moderation_note = '',"
    " case_id = %s, updated_at = now() WHERE id = %s"
)


def raw_baseline(seconds: float, clients: int) -> float:
    """Accepts/s of hand-written SQL from ``clients`` connections for up to 10 s: per accept, insert the case
    (from the report's row) and update the report, committed. Each connection cycles through its own reports."""
    import psycopg

    generate(2000, RAW_PREFIX, with_photos=False)
    office = User.objects.get(username="office").pk
    ids = list(Report.objects.filter(number__startswith=RAW_PREFIX).order_by("pk").values_list("pk", flat=True))
    counted = [0]
    stop = time.perf_counter() + min(seconds, 10)

    def worker(n: int):
        mine = ids[n::clients]
        with psycopg.connect(BENCH_URL) as conn:
            i = 0
            while time.perf_counter() < stop:
                report = mine[i % len(mine)]
                i += 1
                (case,) = conn.execute(RAW_CASE, [f"RAW-M.{n}.{i}"] * 2 + [report]).fetchone()
                conn.execute(RAW_REPORT, [office, case, report])
                conn.commit()
                counted[0] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    rate = counted[0] / (time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE public_report SET status = 'pending', case_id = NULL, moderated_by_id = NULL,"
            " moderated_at = NULL WHERE number LIKE %s",
            [RAW_PREFIX + "%"],
        )
        cursor.execute("DELETE FROM cases_case WHERE number LIKE 'RAW-M.%%'")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=4000, help="waiting benchmark reports before the run")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8197, help="gunicorn's port")
    parser.add_argument(
        "--without-photos", action="store_true", help="accept only reports without photos (no image work)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    added = fresh(args.reports)
    if added:
        print(
            f"生成 {added:,} 条待审核随手拍（约半数有照片，一成只有地点描述）：{time.perf_counter() - started:.1f} 秒"
        )
    waiting = Report.objects.filter(number__startswith=PREFIX, status=ReportStatus.PENDING)
    with_photos = waiting.filter(photos__isnull=False).distinct().count()
    print(
        f"待审核基准随手拍 {waiting.count():,} 条（有照片 {with_photos:,}）；"
        f"随手拍共 {Report.objects.count():,} 条；PostgreSQL {connection.pg_version}；CPU {os.cpu_count()} 核；"
        f"媒体目录 {settings.MEDIA_ROOT}；开始时负载 {os.getloadavg()[0]:.1f}"
    )
    rate, errors, server_ms, client_ms, samples = throughput(
        args.port, args.seconds, args.clients, photos=not args.without_photos
    )
    raw = raw_baseline(args.seconds, args.clients)
    print(
        f"受理随手拍{'（仅无照片的）' if args.without_photos else ''} POST /api/v1/public/reports/<id>/accept/"
        f"（gunicorn 4 进程，{args.clients} 并发，每请求 1 条）："
        f"{rate:.1f} 条/秒（错误 {errors}；gunicorn CPU {server_ms:.1f} ms/条，压测端 CPU {client_ms:.1f} ms/条）"
        f"  |  手写SQL（插入案件 + 更新随手拍，{args.clients} 并发，逐条提交）：{raw:.0f} 条/秒"
    )
    for sample in samples:
        print("  错误示例：", sample.decode(errors="replace"))
    print(f"结束时负载 {os.getloadavg()[0]:.1f}；{timezone.localtime():%Y-%m-%d %H:%M}")


if __name__ == "__main__":
    main()
