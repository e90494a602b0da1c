"""Demo data for 文明创建 (演示; every name, score and state below is illustrative): about 40 文明单位 with
reviews and one 黄牌警示, 6 窗口行业 (示例) with window units, commitments and two periods of 行风评议, and
about 60 publicity points with checks (two failed checks opened as cases). Idempotent per part; all
through services, acting as the demo office administrator."""

from __future__ import annotations

import io
import random
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.civility import services
from chuangcheng.civility.models import (
    CivilizedUnit,
    HonourLevel,
    PointState,
    RatingPeriod,
    RatingSource,
    ReviewResult,
    WindowIndustry,
    WindowUnit,
)
from chuangcheng.dossiers.demo_files import demo_upload, pdf_bytes
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places.models import Site, SiteCategory
from chuangcheng.places.services import create_site

SEED = 20261206
EXTERNAL = (  # (name, managing unit code, level)
    ("市第一人民医院（演示）", "DEPT-WJ", HonourLevel.PROVINCIAL),
    ("市人民医院（演示）", "DEPT-WJ", HonourLevel.MUNICIPAL),
    ("市第一中学（演示）", "DEPT-JY", HonourLevel.PROVINCIAL),
    ("市实验小学（演示）", "DEPT-JY", HonourLevel.MUNICIPAL),
    ("市供水有限公司（演示）", "DEPT-SW", HonourLevel.MUNICIPAL),
    ("市供电公司（演示）", "DEPT-GX", HonourLevel.NATIONAL),
    ("市公交集团（演示）", "DEPT-JT", HonourLevel.MUNICIPAL),
    ("市燃气公司（演示）", "DEPT-ZJ", HonourLevel.COUNTY),
    ("某银行市分行（演示）", "DEPT-CZ", HonourLevel.PROVINCIAL),
    ("市政务服务中心（演示）", "DEPT-ZW", HonourLevel.MUNICIPAL),
    ("市图书馆（演示）", "DEPT-WL", HonourLevel.MUNICIPAL),
    ("市博物馆（演示）", "DEPT-WL", HonourLevel.COUNTY),
    ("市体育中心（演示）", "DEPT-TY", HonourLevel.COUNTY),
    ("市妇幼保健院（演示）", "DEPT-WJ", HonourLevel.MUNICIPAL),
    ("市火车站（演示）", "DEPT-JT", HonourLevel.PROVINCIAL),
)
INDUSTRIES = (  # (industry, managing department, window unit names)
    ("供水", "DEPT-SW", ("市供水公司城区营业厅（演示）", "市供水公司濉溪营业厅（演示）")),
    ("供电", "DEPT-GX", ("供电公司相山营业厅（演示）", "供电公司烈山营业厅（演示）")),
    ("燃气", "DEPT-ZJ", ("燃气公司客服中心（演示）", "燃气公司杜集营业厅（演示）")),
    ("公交", "DEPT-JT", ("公交集团调度服务中心（演示）", "公交一卡通服务网点（演示）")),
    ("银行", "DEPT-CZ", ("某银行市分行营业部（演示）", "某银行相山支行（演示）")),
    ("政务服务", "DEPT-ZW", ("市政务服务中心（演示）", "相山区政务服务中心（演示）")),
)
COMMITMENTS = (
    "首问负责、一次告知、限时办结；办理时限在法定时限基础上压缩（示例）",
    "营业时间内窗口不空岗，午间不断档，节假日设值班窗口（示例）",
    "服务投诉一个工作日内响应，五个工作日内答复（示例）",
)
WHERE = ("营业厅公示栏", "单位门户网站", "服务大厅电子屏")
POINT_NAMES = {
    "public_service_ad": ("公益广告牌", "公益广告围挡", "公交站台公益广告", "灯杆公益广告"),
    "values_board": ("核心价值观宣传栏", "核心价值观主题小品", "社区文明宣传栏", "道德模范宣传栏"),
}


def seed_civility_demo() -> str:
    office = User.objects.filter(username="office").first()
    if office is None or not Unit.objects.filter(code="OFFICE").exists():
        return "没有示范市演示单位或账号，跳过"
    rng = random.Random(SEED)
    today = timezone.localdate()
    parts = [_honours(office, rng, today), _windows(office, rng, today), _points(office, rng, today)]
    return "；".join(parts)


def _pdf(title: str, line: str):
    return demo_upload("pdf", title, pdf_bytes(title, [line]))


def _photo(seed: int, name: str = "现场照片") -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (180 + seed % 60, 170, 150 + seed % 90))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        draw.rectangle((30 + i * 60, 40 + (seed * 7 + i * 13) % 200, 70 + i * 60, 320), fill=(30 * i, 90, 160))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"{name}.jpg", out.getvalue(), content_type="image/jpeg")


@transaction.atomic
def _honours(office, rng: random.Random, today: date) -> str:
    if CivilizedUnit.objects.filter(is_demo=True).exists():
        return "已有文明单位演示数据，跳过"
    units = {u.code: u for u in Unit.objects.filter(kind=UnitKind.DEPARTMENT, code__startswith="DEPT-")}
    districts = list(Unit.objects.filter(kind=UnitKind.DISTRICT).order_by("code")[:4])
    honours = []
    for unit in sorted(units.values(), key=lambda u: u.code):
        level = rng.choice((HonourLevel.MUNICIPAL, HonourLevel.MUNICIPAL, HonourLevel.PROVINCIAL))
        honours.append(
            services.create_civilized_unit(
                actor=office, org_unit=unit, level=level, year_awarded=rng.randint(2015, today.year - 2), is_demo=True
            )
        )
    for name, code, level in EXTERNAL:
        unit = units.get(code) or (districts[0] if districts else None)
        if unit is None:
            continue
        honours.append(
            services.create_civilized_unit(
                actor=office, name=name, unit=unit, level=level, year_awarded=rng.randint(2015, today.year - 2),
                is_demo=True,
            )
        )  # fmt: skip
    year = today.year - 1
    for index, honour in enumerate(honours):
        result, reasons = ReviewResult.PASSED, "各项指标符合要求（演示）"
        if index % 13 == 5:
            result, reasons = ReviewResult.WARNING, "门前环境卫生反复出现问题，志愿服务开展不足（演示）"
        files = [_pdf(f"{honour.name}{year}年度复查材料", "复查自评报告（演示）")] if index % 4 == 0 else []
        services.record_review(
            actor=office, civilized_unit=honour, year=year, result=result, reasons=reasons,
            reviewed_on=date(year, 12, 10), files=files,
        )  # fmt: skip
    warned = next((h for i, h in enumerate(honours) if i % 13 == 5), None)
    if warned is not None:
        services.warn_unit(
            actor=office,
            civilized_unit=warned,
            reason=f"{year}年度复查为警示：门前环境卫生反复出现问题（演示）",
            deadline=today + timedelta(days=30),
        )
    return f"文明单位 {len(honours)} 个（复查 {len(honours)} 条，黄牌警示 {1 if warned else 0} 个）"


def _quarters(today: date) -> list[tuple[str, date, date]]:
    """The last two finished quarters (oldest first)."""
    quarter = (today.month - 1) // 3
    out, year = [], today.year
    for _ in range(2):
        quarter -= 1
        if quarter < 0:
            quarter, year = 3, year - 1
        start = date(year, quarter * 3 + 1, 1)
        end = (date(year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)) - timedelta(days=1)
        out.append((f"{year}年第{'一二三四'[quarter]}季度（演示）", start, end))
    return out[::-1]


@transaction.atomic
def _windows(office, rng: random.Random, today: date) -> str:
    if WindowUnit.objects.filter(is_demo=True).exists():
        return "已有窗口行业演示数据，跳过"
    units = {u.code: u for u in Unit.objects.filter(code__in=[row[1] for row in INDUSTRIES])}
    windows = []
    for order, (industry_name, code, names) in enumerate(INDUSTRIES, start=1):
        industry = WindowIndustry.objects.filter(name=industry_name).first() or services.save_industry(
            actor=office, name=industry_name, sort_order=order * 10, is_sample=True
        )
        unit = units.get(code)
        if unit is None:
            continue
        for name in names:
            window = services.create_window_unit(actor=office, industry=industry, name=name, unit=unit, is_demo=True)
            windows.append(window)
            services.add_commitment(
                actor=office, window_unit=window, content=rng.choice(COMMITMENTS), published_where=rng.choice(WHERE),
                published_on=today - timedelta(days=rng.randint(60, 300)),
            )  # fmt: skip
    periods = []
    for name, start, end in _quarters(today):
        period = RatingPeriod.objects.filter(name=name).first() or services.create_period(
            actor=office, name=name, starts_on=start, ends_on=end
        )
        periods.append(period)
    ratings = 0
    for p_index, period in enumerate(periods):
        for w_index, window in enumerate(windows):
            for source in (RatingSource.UNDERCOVER, RatingSource.HOTLINE):
                file = _pdf(f"{period.name}行风评议通报", "行风评议结果（演示）") if w_index == 0 else None
                services.record_rating(
                    actor=office, window_unit=window, period=period, source=source,
                    score=round(rng.uniform(78, 98), 1), file=file, note="演示数据" if p_index == 0 else "",
                )  # fmt: skip
                ratings += 1
    return f"窗口行业 {len(INDUSTRIES)} 个（示例）、窗口单位 {len(windows)} 个、行风评议 {ratings} 条"


def _points(office, rng: random.Random, today: date) -> str:
    if Site.objects.filter(code="XC001").exists():
        return "已有宣传点位演示数据，跳过"
    categories = {c.code: c for c in SiteCategory.objects.filter(code__in=POINT_NAMES)}
    anchors = list(
        Site.objects.filter(category__code__in=("main_road", "park_square", "bus_stop", "commercial_street"))
        .order_by("code")
        .values_list("lng", "lat", "address")
    )[::5][:60]
    if len(categories) < 2 or not anchors:
        return "没有宣传点位类别或示范市点位，跳过宣传点位"
    points = []
    with transaction.atomic():
        for index, (lng, lat, address) in enumerate(anchors[:60], start=1):
            code = "public_service_ad" if index % 2 else "values_board"
            name = f"{rng.choice(POINT_NAMES[code])}{index:02d}（演示）"
            points.append(
                create_site(
                    actor=office,
                    code=f"XC{index:03d}",
                    name=name,
                    category=categories[code],
                    lng=lng + 0.0003,
                    lat=lat + 0.0002,
                    address=address,
                )  # fmt: skip
            )
    checks = cases = 0
    states = [PointState.INTACT] * 8 + [PointState.DAMAGED, PointState.MISSING, PointState.OUTDATED]
    for index, site in enumerate(points):
        with transaction.atomic():
            first = today - timedelta(days=rng.randint(20, 40))
            services.record_check(actor=office, site=site, state=PointState.INTACT, checked_on=first)
            state = rng.choice(states)
            photo = _photo(index) if state != PointState.INTACT or index % 5 == 0 else None
            note = "" if state == PointState.INTACT else f"宣传点位{PointState(state).label}，需修复或更新（演示）"
            check = services.record_check(
                actor=office, site=site, state=state, checked_on=today - timedelta(days=rng.randint(0, 10)),
                photo=photo, note=note,
            )  # fmt: skip
            checks += 2
            if state != PointState.INTACT and cases < 2:
                services.open_case_for_check(actor=office, check=check)
                cases += 1
    return f"宣传点位 {len(points)} 个、检查 {checks} 次（立案 {cases} 件）"
