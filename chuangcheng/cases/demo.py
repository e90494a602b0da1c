"""A living demo city: sixty days of problems taken through the real workflow.

Demo data only (``manage.py seed_demo_activity``, run by ``make run`` after
``seed_demo``). Every case is created with ``services.create_case`` and moved
with ``workflow.transition`` by demo users of the right roles, on a simulated
clock that walks forward from ninety days ago, so timelines, audit rows and
their hash chains are exactly what real use would leave behind. Deterministic
for a given seed; a database that already holds cases is left alone.
"""

from __future__ import annotations

import heapq
import io
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from chuangcheng.accounts import services as account_services
from chuangcheng.accounts.models import Role, User
from chuangcheng.cases import services, workflow
from chuangcheng.cases.models import Case, CaseSource, CaseStatus, RoutingRule
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.places.demo.names import CATEGORY_DEPARTMENT
from chuangcheng.places.models import Area, AreaLevel, Site, SiteCategory
from chuangcheng.standards.models import CheckItem, StandardKind, StandardStatus

A = workflow.Action

# Problems a patrol or a resident typically reports, per site category (fallback when no check item applies).
PROBLEMS = {
    "main_road": ("垃圾桶满溢未及时清运", "占道经营", "路面破损坑洼", "乱贴乱画小广告", "绿化带内积存垃圾"),
    "back_alley": ("背街小巷垃圾堆积", "违规乱搭乱建", "路灯不亮", "污水外溢", "杂物乱堆乱放"),
    "farmers_market": ("未划行归市", "防蝇设施缺失", "活禽违规宰杀", "地面积水脏污", "公示栏信息缺失"),
    "public_toilet": ("公厕保洁不到位、有异味", "洗手设施损坏", "无障碍设施缺失"),
    "construction_site": ("工地围挡破损", "车辆带泥上路", "裸土未覆盖", "夜间违规施工"),
    "small_catering": ("后厨卫生差", "从业人员无健康证", "三防设施不全", "油烟直排"),
    "old_residential": ("楼道堆物", "化粪池外溢", "垃圾分类桶破损", "飞线充电"),
    "urban_village": ("垃圾乱倒", "私搭乱建", "河沟漂浮物"),
    "school": ("校门口流动摊贩", "周边小卖部售卖三无食品"),
    "river": ("河面漂浮垃圾", "排污口异常排放", "岸坡垃圾堆积"),
}
GENERIC_PROBLEMS = ("环境卫生脏乱", "设施破损未修复", "宣传栏破损", "病媒生物防制设施缺失", "乱停乱放")
SOURCE_WEIGHTS = (
    (CaseSource.INSPECTION, 30),
    (CaseSource.PATROL, 30),
    (CaseSource.CITIZEN, 15),
    (CaseSource.HOTLINE, 15),
    (CaseSource.MEDIA, 4),
    (CaseSource.SUPERIOR, 3),
    (CaseSource.SELF_CHECK, 3),
)
DEMO_ACTOR_PREFIX = "demo_"
TITLE = {Role.UNIT_HEAD: "负责人", Role.UNIT_HANDLER: "承办人"}
# Working days a unit takes to submit: mostly prompt, a tail that runs past the deadline.
SUBMIT_DELAYS = (1, 2, 2, 3, 4, 6, 9, 14, 21, 30)


@dataclass
class ActivityResult:
    cases: int = 0
    closed: int = 0
    send_backs: int = 0
    returns: int = 0
    rebounds: int = 0
    users: int = 0
    rules: int = 0
    skipped: str = ""
    by_status: dict = field(default_factory=dict)


@contextmanager
def simulated_clock(moment: datetime) -> Iterator[None]:
    """Make ``timezone.now()`` return ``moment`` (demo generation only)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def demo_photo(rng: random.Random, *, taken_at: datetime, lng: float, lat: float, label: str) -> SimpleUploadedFile:
    """A distinct JPEG with EXIF time and GPS, so evidence checks see a plausible field photo."""
    image = Image.new("RGB", (480, 360), tuple(rng.randint(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(14):
        x, y = rng.randint(0, 440), rng.randint(0, 320)
        draw.rectangle(
            (x, y, x + rng.randint(20, 160), y + rng.randint(20, 120)),
            fill=tuple(rng.randint(0, 255) for _ in range(3)),
        )
    exif = Image.Exif()
    exif[0x0132] = timezone.localtime(taken_at).strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(0x8825)

    def dms(value: float):
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
        return (float(degrees), float(minutes), float(seconds))

    gps.update({1: "N", 2: dms(lat), 3: "E", 4: dms(lng)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70, exif=exif)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


class Actors:
    """Demo users who act for each unit: department handlers and district heads."""

    def __init__(self) -> None:
        self.office = User.objects.get(username="staff")
        self.verifier = User.objects.get(username="inspector")
        self.created = 0
        self._by_unit: dict[int, User] = {}

    def for_unit(self, unit: Unit) -> User:
        if unit.pk in self._by_unit:
            return self._by_unit[unit.pk]
        acting = unit
        if unit.kind in (UnitKind.STREET, UnitKind.COMMUNITY):
            acting = Unit.objects.filter(pk__in=unit.ancestor_ids(), kind=UnitKind.DISTRICT).first() or unit
        role = Role.UNIT_HEAD if acting.kind == UnitKind.DISTRICT else Role.UNIT_HANDLER
        existing = User.objects.filter(memberships__unit=acting, memberships__role=role).order_by("pk").first()
        if existing is None:
            existing = account_services.create_user(
                actor=None,
                username=f"{DEMO_ACTOR_PREFIX}{acting.code.lower()}",
                password=None,
                full_name=f"{acting.short_name or acting.name}{TITLE[role]}（演示）",
            )
            account_services.grant_role(actor=None, user=existing, unit=acting, role=role)
            self.created += 1
        self._by_unit[unit.pk] = existing
        return existing


# Everyday environment of back streets, old estates and villages is the territorial units' job (属地管理):
# the office routes these categories to the district that holds the area, the department cooperating.
TERRITORIAL_CATEGORIES = ("back_alley", "old_residential", "urban_village", "urban_fringe")


def _territorial_rules(actor, departments) -> int:
    created = 0
    districts = Area.objects.filter(level=AreaLevel.DISTRICT, unit__isnull=False).select_related("unit")
    for category in SiteCategory.objects.filter(code__in=TERRITORIAL_CATEGORIES).order_by("code"):
        department = departments.get(CATEGORY_DEPARTMENT.get(category.code, ""))
        for district in districts.order_by("code"):
            if RoutingRule.objects.filter(category=category, area=district, check_item__isnull=True).exists():
                continue
            services.create_routing_rule(
                actor=actor,
                name=f"{category.name} × {district.name} → {district.unit.short_name or district.unit.name}（属地）",
                lead_unit=district.unit,
                cooperating_units=[department] if department else [],
                category=category,
                area=district,
                note="示例规则（演示数据）：属地管理",
            )
            created += 1
    return created


def _routing_rules(actor) -> int:
    """Category rules for the sectoral departments, and 属地 rules by district, as an office would set them up."""
    departments = {unit.code: unit for unit in Unit.objects.filter(kind=UnitKind.DEPARTMENT)}
    created = _territorial_rules(actor, departments)
    for category in SiteCategory.objects.filter(code__in=CATEGORY_DEPARTMENT):
        lead = departments.get(CATEGORY_DEPARTMENT[category.code])
        if (
            lead is None
            or RoutingRule.objects.filter(category=category, check_item__isnull=True, area__isnull=True).exists()
        ):
            continue
        services.create_routing_rule(
            actor=actor,
            name=f"{category.name} → {lead.short_name or lead.name}",
            lead_unit=lead,
            category=category,
            note="示例规则（演示数据）",
        )
        created += 1
    return created


def _check_items_by_category() -> dict[int, list[CheckItem]]:
    """Check items of the published field rubrics (sanitary and civilized city), by site category."""
    mapping: dict[int, list[CheckItem]] = {}
    items = (
        CheckItem.objects.filter(
            standard__status=StandardStatus.PUBLISHED,
            standard__kind__in=(StandardKind.SANITARY_CITY, StandardKind.CIVILIZED_CITY),
        )
        .prefetch_related("site_categories")
        .order_by("pk")
    )
    for item in items:
        for category in item.site_categories.all():
            mapping.setdefault(category.pk, []).append(item)
    return mapping


def simulate_activity(*, days: int = 60, per_day: int = 5, seed: int = 2026) -> ActivityResult:
    """Generate ``days`` of problems and their handling up to now; see the module docstring."""
    result = ActivityResult()
    if Case.objects.exists():
        result.skipped = "已有问题数据，未重复生成"
        return result
    if not User.objects.filter(username="staff").exists():
        result.skipped = "请先运行 seed_demo"
        return result
    rng = random.Random(seed)
    actors = Actors()
    result.rules = _routing_rules(User.objects.get(username="office"))
    items_by_category = _check_items_by_category()
    sites = list(Site.objects.filter(is_active=True).select_related("category", "unit").order_by("pk"))
    sources = [source for source, weight in SOURCE_WEIGHTS for _ in range(weight)]
    now = timezone.now()
    start = (
        timezone.localtime(now).replace(hour=8, minute=30, second=0, microsecond=0) - timedelta(days=days)
    ).astimezone(UTC)
    agenda: list[tuple[datetime, int, object]] = []  # (moment, sequence, step(moment)), run in time order
    closed_history: list[Case] = []
    counter = iter(range(10**9))

    def plan(moment: datetime, step) -> None:
        heapq.heappush(agenda, (moment, next(counter), step))

    def act(case: Case, action: str, actor, moment: datetime, **params) -> None:
        case.refresh_from_db()
        with simulated_clock(moment):
            workflow.transition(case, action, actor=actor, now=moment, **params)

    def new_case(moment: datetime) -> None:
        if closed_history and rng.random() < 0.05:
            origin = rng.choice(closed_history)  # the same problem comes back: a rebound
            site, item = origin.site, origin.check_item
        else:
            site = rng.choice(sites)
            candidates = items_by_category.get(site.category_id, [])
            item = rng.choice(candidates) if candidates and rng.random() < 0.7 else None
        problem = (
            f"不符合“{item.title[:60]}”" if item else rng.choice(PROBLEMS.get(site.category.code, GENERIC_PROBLEMS))
        )
        source = rng.choice(sources)
        photo = demo_photo(
            rng, taken_at=moment - timedelta(minutes=5), lng=site.lng, lat=site.lat, label=f"report-{moment:%Y%m%d%H%M}"
        )
        with simulated_clock(moment):
            case = services.create_case(
                actor=actors.office if source in (CaseSource.INSPECTION, CaseSource.SUPERIOR) else None,
                source=source,
                title=f"{site.name}：{problem}",
                description=f"{site.address}，{problem}。",
                check_item=item,
                site=site,
                severity=rng.choices(("minor", "normal", "serious"), weights=(3, 6, 1))[0],
                photos=[photo],
                reporter_phone=f"138{rng.randint(0, 99999999):08d}" if source == CaseSource.CITIZEN else "",
                external_ref=f"12345-{moment:%Y%m%d}-{next(counter):05d}" if source == CaseSource.HOTLINE else "",
                auto_register=True,
            )
        result.cases += 1
        result.rebounds += int(case.is_rebound)
        case.refresh_from_db()
        if case.status == CaseStatus.REGISTERED:  # no rule matched: the office dispatches to the street
            street = Unit.objects.filter(
                pk__in=site.unit.ancestor_ids() if site.unit else [], kind=UnitKind.STREET
            ).first()
            if street is None:
                return
            act(case, A.DISPATCH, actors.office, moment + timedelta(minutes=30), lead_unit=street)
        plan(moment + timedelta(hours=rng.choice((1, 2, 4, 8, 20, 30))), lambda m, c=case: handle(c, m))

    def handle(case: Case, moment: datetime) -> None:
        case.refresh_from_db()
        if case.status != CaseStatus.DISPATCHED or case.lead_unit_id is None:
            return
        handler = actors.for_unit(case.lead_unit)
        if rng.random() < 0.06 and case.return_count == 0:
            act(case, A.RETURN, handler, moment, note="不属于本单位职责，请改派")
            result.returns += 1
            plan(moment + timedelta(hours=rng.randint(2, 20)), lambda m, c=case: reroute(c, m))
            return
        act(case, A.SIGN, handler, moment)
        act(case, A.START, handler, moment + timedelta(minutes=20))
        plan(moment + timedelta(days=rng.choice(SUBMIT_DELAYS)), lambda m, c=case: submit(c, m))

    def reroute(case: Case, moment: datetime) -> None:
        case.refresh_from_db()
        other = rng.choice(list(Unit.objects.filter(kind=UnitKind.DEPARTMENT).exclude(pk=case.lead_unit_id)))
        act(case, A.REROUTE, actors.office, moment, lead_unit=other, note="经核实改派至职能部门")
        plan(moment + timedelta(hours=rng.randint(1, 30)), lambda m, c=case: handle(c, m))

    def submit(case: Case, moment: datetime) -> None:
        case.refresh_from_db()
        if case.status != CaseStatus.RECTIFYING:
            return
        photo = demo_photo(
            rng,
            taken_at=moment - timedelta(minutes=30),
            lng=case.lng or 117.1,
            lat=case.lat or 36.7,
            label=f"{case.number}-after",
        )
        act(case, A.SUBMIT, actors.for_unit(case.lead_unit), moment, evidence=[photo], note="已整改完毕，附整改后照片")
        plan(moment + timedelta(hours=rng.randint(3, 40)), lambda m, c=case: verify(c, m))

    def verify(case: Case, moment: datetime) -> None:
        case.refresh_from_db()
        if case.status != CaseStatus.SUBMITTED:
            return
        verifier = actors.office if rng.random() < 0.6 else actors.verifier
        if rng.random() < 0.14 and case.sendback_count < 2:
            act(case, A.SEND_BACK, verifier, moment, note="现场复查仍有残留，请彻底整改")
            result.send_backs += 1
            plan(moment + timedelta(days=rng.randint(1, 3)), lambda m, c=case: submit(c, m))
            return
        act(case, A.VERIFY, verifier, moment, note="复查合格，同意销号")
        result.closed += 1
        closed_history.append(case)

    for day in range(days):
        for _ in range(rng.randint(per_day - 2, per_day + 3)):
            plan(start + timedelta(days=day, minutes=rng.randint(0, 9 * 60)), new_case)
    while agenda:
        moment, _, step = heapq.heappop(agenda)
        if moment <= now:  # later steps have not happened yet: those cases stay where they are
            step(moment)
    result.users = actors.created
    for status, label in CaseStatus.choices:
        count = Case.objects.filter(status=status).count()
        if count:
            result.by_status[label] = count
    return result
