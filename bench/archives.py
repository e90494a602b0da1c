"""Benchmark: the archive completeness matrix (clause × unit × year) at city scale.

300 units × 200 material requirements (40 clauses) × 3 years: every unit owes every requirement
(60,000 assignments) and about 70% of the unit-requirement-year cells hold a file in a mix of
statuses (about 130,000 materials). One requirement in five is kept only for the latest year and one
in five for two years (年限), so the matrix must leave their other years out. Times
``dossiers.selectors.completeness_matrix`` for the office (all units) beside a hand-written SQL baseline
that runs the same two GROUP BY queries and nothing else.

    .venv/bin/python bench/archives.py                      # SQLite (in-memory test database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test TEST_DATABASE_NAME=bench_citizens \\
        .venv/bin/python bench/archives.py                  # PostgreSQL
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

THIS_YEAR = timezone.localdate().year
UNITS, REQUIREMENTS, CLAUSES, YEARS = 300, 200, 40, (THIS_YEAR - 2, THIS_YEAR - 1, THIS_YEAR)
SPANS = (None, None, None, 1, 2)  # each clause: 3 requirements kept every year, 1 kept 1 year, 1 kept 2
RUNS = 7

RAW_OWED = """
SELECT r.clause_id, a.unit_id, r.years, COUNT(*)
FROM dossiers_materialassignment a JOIN standards_materialrequirement r ON r.id = a.requirement_id
GROUP BY r.clause_id, a.unit_id, r.years
"""
RAW_DONE = """
SELECT r.clause_id, m.unit_id, m.year, r.years,
       COUNT(DISTINCT CASE WHEN m.status <> 'returned' THEN m.requirement_id END),
       COUNT(DISTINCT CASE WHEN m.status = 'approved' THEN m.requirement_id END)
FROM dossiers_material m
JOIN standards_materialrequirement r ON r.id = m.requirement_id
JOIN dossiers_materialassignment a ON a.requirement_id = m.requirement_id AND a.unit_id = m.unit_id
WHERE m.year IN (%s, %s, %s)
GROUP BY r.clause_id, m.unit_id, m.year, r.years
"""


def generate():
    from chuangcheng.accounts.models import Membership, Role, User
    from chuangcheng.dossiers.models import Material, MaterialAssignment, MaterialStatus
    from chuangcheng.org.models import Unit, UnitKind
    from chuangcheng.standards.models import Clause, MaterialRequirement, Standard

    rng = random.Random(2026)
    city = Unit.objects.create(code="CITY", name="示范市", kind=UnitKind.CITY, path="/", depth=0)
    Unit.objects.filter(pk=city.pk).update(path=f"/{city.pk}/")
    units = Unit.objects.bulk_create(
        Unit(code=f"U{n:04d}", name=f"单位{n}", kind=UnitKind.DEPARTMENT, parent=city, path="/", depth=1)
        for n in range(UNITS)
    )
    for unit in units:
        unit.path = f"/{city.pk}/{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"])
    office = Unit.objects.create(
        code="OFFICE", name="创建办", kind=UnitKind.OFFICE, parent=city, path=f"/{city.pk}/", depth=1
    )
    admin = User.objects.create(username="bench-admin", full_name="基准管理员")
    Membership.objects.create(user=admin, unit=office, role=Role.OFFICE_ADMIN)
    standard = Standard.objects.create(kind="civilized_city", code="BENCH", name="基准标准", version="1")
    clauses = Clause.objects.bulk_create(
        Clause(standard=standard, number=f"{n + 1}", title=f"条款{n + 1}", sort_order=n) for n in range(CLAUSES)
    )
    requirements = MaterialRequirement.objects.bulk_create(
        MaterialRequirement(
            standard=standard,
            clause=clauses[n % CLAUSES],
            title=f"资料{n + 1}",
            sort_order=n,
            years=SPANS[(n // CLAUSES) % 5],
        )
        for n in range(REQUIREMENTS)
    )
    MaterialAssignment.objects.bulk_create(
        (MaterialAssignment(requirement=r, unit=u) for u in units for r in requirements), batch_size=5000
    )
    statuses = [MaterialStatus.APPROVED] * 5 + [MaterialStatus.SUBMITTED, MaterialStatus.FIRST_PASSED]
    now = timezone.now()
    batch, total = [], 0
    for unit in units:
        for requirement in requirements:
            for year in YEARS:
                if rng.random() >= 0.7:
                    continue
                status = rng.choice(statuses) if rng.random() > 0.05 else MaterialStatus.RETURNED
                batch.append(
                    Material(
                        requirement=requirement,
                        unit=unit,
                        year=year,
                        title=f"{requirement.title}-{year}",
                        file="bench/none.pdf",
                        original_name="x.pdf",
                        kind="pdf",
                        size=1,
                        sha256="0" * 64,
                        status=status,
                        reason="退回" if status == MaterialStatus.RETURNED else "",
                        uploaded_at=now,
                    )
                )
                if len(batch) == 10000:
                    Material.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
    Material.objects.bulk_create(batch)
    total += len(batch)
    return admin, total


def existing():
    from chuangcheng.accounts.models import User
    from chuangcheng.dossiers.models import Material

    admin = User.objects.filter(username="bench-admin").first()
    return admin, Material.objects.count()


CPU: dict[str, float] = {}


def timed(function) -> tuple[float, object]:
    """Median wall time in ms over RUNS; the median CPU time of this process is kept in ``CPU``."""
    times, cpu, result = [], [], None
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    CPU[function.__name__] = statistics.median(cpu)
    return statistics.median(times), result


def main() -> None:
    from chuangcheng.dossiers.completeness import applies, rebuild_completeness
    from chuangcheng.dossiers.selectors import completeness_matrix, completeness_matrix_live

    keep = os.environ.get("BENCH_KEEP_SQLITE")  # a file path: reuse the generated data between runs
    if keep and connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = keep
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=bool(keep))
    try:
        start = time.perf_counter()
        admin, materials = existing() if keep else (None, 0)
        if admin is None:
            admin, materials = generate()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"数据库 {connection.vendor}；生成 {UNITS} 个单位 × {REQUIREMENTS} 项资料要求 × {len(YEARS)} 年，"
            f"资料 {materials} 份，用时 {time.perf_counter() - start:.1f} 秒；以下为 {RUNS} 次中位数"
        )

        start = time.perf_counter()
        rebuild_completeness()
        rebuild_ms = (time.perf_counter() - start) * 1000

        def orm():
            admin._scope_cache = None
            return completeness_matrix(user=admin, years=list(YEARS))

        def live():
            admin._scope_cache = None
            return completeness_matrix_live(user=admin, years=list(YEARS))

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(RAW_OWED)
                owed = cursor.fetchall()
                cursor.execute(RAW_DONE, list(YEARS))
                done = cursor.fetchall()
            return owed, done

        orm_ms, matrix = timed(orm)
        raw_ms, (owed, done) = timed(raw)
        live_ms, live_matrix = timed(live)
        assert live_matrix.cells == matrix.cells
        overall = matrix.overall
        raw_approved = sum(row[5] for row in done if applies(row[3], row[2], THIS_YEAR))
        raw_required = sum(row[3] for row in owed for year in YEARS if applies(row[2], year, THIS_YEAR))
        assert (overall.approved, overall.required) == (raw_approved, raw_required), (overall, raw_approved)
        assert len(matrix.cells) == len({(row[0], row[1]) for row in owed}) * len(YEARS)
        load, cells = os.getloadavg()[0], len(matrix.cells)
        print(f"机器负载 {load:.1f}（{os.cpu_count()} 核）；括号内为本进程 CPU 时间（受其他进程争用影响较小）")
        print(f"completeness_matrix（读汇总表，组装 {cells} 个单元格）：{orm_ms:.0f} ms（CPU {CPU['orm']:.0f} ms）")
        print(f"手写 SQL 基线（对资料表直接 GROUP BY，仅取数，不组装）：{raw_ms:.0f} ms（CPU {CPU['raw']:.0f} ms）")
        print(f"completeness_matrix_live（ORM 对资料表聚合并组装）：{live_ms:.0f} ms（CPU {CPU['live']:.0f} ms）")
        print(f"全量重建汇总表 rebuild_completeness：{rebuild_ms:.0f} ms（一次）")
        print(
            f"总体完整度 {overall.percent}%（已通过 {overall.approved} / 应报 {overall.required}）；"
            f"目标 ≤ 200 ms：墙钟{'达到' if orm_ms <= 200 else '未达到'}，"
            f"CPU 时间{'达到' if CPU['orm'] <= 200 else '未达到'}"
        )
    finally:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
