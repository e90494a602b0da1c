"""Batch intake (``create_cases``, ``POST /api/v1/cases/bulk/``): the same outcome per case as
``create_case`` one by one, all or nothing, the batch limit, permissions, the audit chain."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from chuangcheng.audit.models import AuditEvent
from chuangcheng.audit.services import pending_count, seal_pending, verify_audit_chain
from chuangcheng.cases import services
from chuangcheng.cases.chain import verify_case_timelines
from chuangcheng.cases.intake import MAX_BATCH
from chuangcheng.cases.models import Case, CaseSource, CaseStatus, CaseTransition, DeadlineRule, Severity
from chuangcheng.cases.tests.factories import RoutingRuleFactory
from chuangcheng.cases.tests.helpers import case_in_state
from chuangcheng.cases.tests.test_api import client_for
from chuangcheng.cases.tests.test_concurrency import fresh_number_sequences  # noqa: F401  (fixture)
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.notifications.models import Notification
from chuangcheng.places.lookup import invalidate_index
from chuangcheng.places.tests.factories import AreaFactory, SiteFactory, square
from chuangcheng.standards.tests.factories import CheckItemFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def scenario(world) -> list[dict]:
    """A city with every routing path, deadline source and a rebound; one intake item per path."""
    district_area = AreaFactory(code="D01", name="东城区", level=2, unit=world.district, geometry=square(120, 30, 0.05))
    world.area.parent = district_area
    world.area.save()
    other = AreaFactory(code="G002", name="东城二网格", parent=district_area, geometry=square(120.02, 30.0))
    invalidate_index()
    item = CheckItemFactory(deadline_days=3)
    item2 = CheckItemFactory()
    rule = RoutingRuleFactory(name="农贸市场归市场监管", category=world.category, lead_unit=world.market)
    rule.cooperating_units.set([world.street, world.urban])
    RoutingRuleFactory(name="检查项规则", category=None, check_item=item2, lead_unit=world.urban)
    RoutingRuleFactory(name="二网格兜底", category=None, area=other, lead_unit=world.urban, priority=5)
    DeadlineRule.objects.create(category=world.alley, severity="", days=4)
    DeadlineRule.objects.create(category=None, severity=Severity.SERIOUS, days=2)
    case_in_state(world, CaseStatus.CLOSED, check_item=item)  # the rebound origin of item 0
    site2 = SiteFactory(code="S002", name="东城小巷", category=world.alley, area=world.area, unit=world.market)
    p = {"source": CaseSource.PATROL}
    return [
        {**p, "title": "市场门口垃圾（反弹）", "site": world.site, "check_item": item},
        {**p, "title": "市场检查项问题", "site": world.site, "check_item": item2, "description": "说明"},
        {**p, "title": "二网格问题", "lng": 120.025, "lat": 30.005, "category": world.alley},
        {**p, "title": "  一网格小巷  ", "lng": 120.004, "lat": 30.004, "category": world.alley},
        {"source": CaseSource.CITIZEN, "title": "无位置", "reporter_name": "张三", "reporter_phone": "13800000000"},
        {"source": CaseSource.HOTLINE, "title": "热线", "area": world.area, "external_ref": " 12345-9 ",
         "severity": Severity.SERIOUS},
        {**p, "title": "小巷点位", "site": site2, "severity": Severity.MINOR},
        {**p, "title": "城外", "lng": 121.5, "lat": 31.5},
    ]  # fmt: skip


def _plain(value, number, pk):
    if isinstance(value, str):
        return value.replace(number, "<number>")
    if isinstance(value, list):
        return [_plain(v, number, pk) for v in value]
    if isinstance(value, dict):
        return {k: ("<time>" if k.endswith("_at") else _plain(v, number, pk)) for k, v in value.items()}
    return value


def outcome(case: Case) -> dict:
    """Everything an intake decides for a case, without ids of its own, numbers and timestamps."""
    case = Case.objects.get(pk=case.pk)
    n, pk = case.number, case.pk
    fields = (
        "source", "title", "description", "severity", "status", "check_item_id", "category_id", "site_id",
        "area_id", "unit_id", "lng", "lat", "lead_unit_id", "routing_rule_id", "route_reason", "deadline",
        "deadline_days", "deadline_reason", "version", "is_rebound", "rebound_of_id", "reported_by_id",
        "external_ref", "reporter_name", "reporter_phone",
    )  # fmt: skip
    result = {name: getattr(case, name) for name in fields}
    result["stamps"] = [case.registered_at is not None, case.dispatched_at is not None]
    result["cooperating"] = sorted(case.cooperating_units.values_list("pk", flat=True))
    result["timeline"] = [
        (t.action, t.from_status, t.to_status, t.actor_id, t.actor_label, t.actor_unit_id, t.note, t.data)
        for t in case.transitions.order_by("id")
    ]
    audit = AuditEvent.objects.filter(target_id=str(pk), target_type__in=["cases.case", ""]).order_by("id")
    result["audit"] = [
        (e.verb, e.actor_id, e.actor_label, e.unit_id, _plain(e.target_repr, n, pk), _plain(e.changes, n, pk))
        for e in audit
    ]
    result["notifications"] = sorted(
        (x.user_id, x.kind, _plain(x.title, n, pk), x.body, x.url.replace(str(pk), "<id>"))
        for x in Notification.objects.filter(case_id=pk)
    )
    return result


def test_batch_has_the_outcome_of_single_intakes(world):
    items = scenario(world)
    try:
        with transaction.atomic():
            singles = [services.create_case(actor=world.grid, auto_register=True, **item) for item in items]
            expected = [outcome(case) for case in singles]
            assert verify_case_timelines() == []
            raise Rollback
    except Rollback:
        pass
    assert not Case.objects.filter(title="无位置").exists()
    batch = services.create_cases(actor=world.grid, items=items)
    got = [outcome(case) for case in batch]
    for index, (mine, theirs) in enumerate(zip(got, expected, strict=True)):
        assert mine == theirs, index
    # the scenario covers every path it claims to
    assert got[0]["is_rebound"] and got[0]["cooperating"] == sorted([world.street.pk, world.urban.pk])
    assert got[0]["deadline_days"] == 3 and "检查项" in got[0]["deadline_reason"]
    assert "检查项规则" in got[1]["route_reason"] and "二网格兜底" in got[2]["route_reason"]
    assert got[2]["unit_id"] == world.district.pk and got[2]["deadline_days"] == 4
    assert "按区域“东城一网格”" in got[3]["route_reason"] and got[3]["title"] == "一网格小巷"
    assert got[4]["status"] == CaseStatus.REGISTERED and got[4]["lead_unit_id"] is None
    assert got[5]["external_ref"] == "12345-9" and got[5]["deadline_days"] == 2
    assert "按点位“东城小巷”" in got[6]["route_reason"]
    assert got[7]["area_id"] is None and got[7]["status"] == CaseStatus.REGISTERED
    assert all(g["notifications"] for g in got if g["status"] == CaseStatus.DISPATCHED)
    numbers = [case.number for case in batch]
    assert len(set(numbers)) == len(numbers) and numbers == sorted(numbers)
    assert verify_case_timelines() == []


def test_batch_without_auto_register_only_reports(world):
    cases = services.create_cases(
        actor=world.grid, items=[{"source": "patrol", "title": "待受理", "site": world.site}], auto_register=False
    )
    case = Case.objects.get(pk=cases[0].pk)
    assert case.status == CaseStatus.REPORTED and case.lead_unit_id is None
    assert [t.action for t in case.transitions.all()] == ["report"] and verify_case_timelines() == []


def _counts():
    return Case.objects.count(), CaseTransition.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("bad", "field", "text"),
    [
        ({"title": " "}, "title", "请填写问题标题"),
        ({"source": "nope"}, "source", "未知的问题来源"),
        ({"lng": 120.0}, "lng", "经纬度须同时填写"),
        ({"lng": 500.0, "lat": 30.0}, "lng", "经纬度超出范围"),
        ({"external_ref": "A-1"}, "external_ref", "外部编号“A-1”已存在"),  # the same ref as item 0
        ({"colour": "red"}, "colour", "未知的字段"),
    ],
)
def test_bad_item_rejects_the_whole_batch(world, bad, field, text):
    before = _counts()
    items = [
        {"source": "hotline", "title": "好的", "site": world.site, "external_ref": "A-1"},
        {"source": "hotline", "title": "也好", "site": world.site},
        {"source": "hotline", "title": "坏的", "site": world.site, **bad},
    ]
    with pytest.raises(DomainError) as info:
        services.create_cases(actor=world.grid, items=items)
    assert info.value.field == f"items[2].{field}"
    assert info.value.message.startswith("第 3 条：") and text in info.value.message
    assert _counts() == before


def test_existing_external_ref_names_its_item(world):
    services.create_case(actor=None, source="hotline", title="先到", external_ref="R-7")
    with pytest.raises(DomainError) as info:
        services.create_cases(actor=None, items=[{"source": "hotline", "title": "x", "external_ref": "R-7"}])
    assert info.value.field == "items[0].external_ref" and "R-7" in info.value.message


def test_batch_limit(world):
    with pytest.raises(DomainError) as info:
        services.create_cases(actor=world.grid, items=[{"source": "patrol", "title": "x"}] * (MAX_BATCH + 1))
    assert info.value.field == "items" and str(MAX_BATCH) in info.value.message
    with pytest.raises(DomainError):
        services.create_cases(actor=world.grid, items=[])
    response = client_for(world.office).post(
        "/api/v1/cases/bulk/", {"items": [{"source": "patrol", "title": "x"}] * (MAX_BATCH + 1)}, format="json"
    )
    assert response.status_code == 422 and response.json()["field"] == "items"
    assert Case.objects.count() == 0


def test_permissions_are_those_of_single_intake(world):
    with pytest.raises(NotPermitted):
        services.create_cases(actor=world.nobody, items=[{"source": "citizen", "title": "x"}])
    body = {"items": [{"source": "citizen", "title": "x"}]}
    assert client_for(world.nobody).post("/api/v1/cases/bulk/", body, format="json").status_code == 403
    assert client_for(world.nobody).post("/api/v1/cases/", body["items"][0], format="json").status_code == 403
    assert client_for(None).post("/api/v1/cases/bulk/", body, format="json").status_code in (401, 403)
    assert Case.objects.count() == 0
    assert client_for(world.grid).post("/api/v1/cases/bulk/", body, format="json").status_code == 201


def test_api_bulk_intake(world):
    body = {
        "items": [
            {"source": "patrol", "title": "一", "site": world.site.pk},
            {"source": "citizen", "title": "二", "lng": 120.005, "lat": 30.005, "auto_register": False},
        ]
    }
    response = client_for(world.office).post("/api/v1/cases/bulk/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["count"] == 2 and [c["status"] for c in data["cases"]] == ["dispatched", "dispatched"]
    assert data["cases"][0]["lead_unit"] == world.street.pk and "属地单位" in data["cases"][0]["route_reason"]
    assert Case.objects.get(pk=data["cases"][1]["id"]).area_id == world.area.pk


@pytest.mark.parametrize(
    ("item", "field"),
    [({"title": ""}, "items[1].title"), ({"site": 999999}, "items[1].site"), ({"site": "x"}, "items[1].site")],
)
def test_api_bad_item_names_index_and_field(world, item, field):
    body = {"items": [{"source": "patrol", "title": "一"}, {"source": "patrol", "title": "二", **item}]}
    response = client_for(world.office).post("/api/v1/cases/bulk/", body, format="json")
    assert response.status_code == 422
    data = response.json()
    assert list(data["errors"]) == [field] and data["detail"].startswith("第 2 条：")
    assert Case.objects.count() == 0


def test_audit_chain_verifies_after_bulk_intake(world):
    items = [{"source": "patrol", "title": f"批量{i}", "site": world.site} for i in range(12)]
    services.create_cases(actor=world.grid, items=items)
    assert pending_count() > 0
    seal_pending()
    assert pending_count() == 0 and verify_audit_chain() == [] and verify_case_timelines() == []
    verbs = AuditEvent.objects.filter(verb__startswith="cases.").values_list("verb", flat=True)
    assert sorted(set(verbs)) == ["cases.created", "cases.dispatch", "cases.register"] and len(verbs) == 36


def test_statements_do_not_grow_with_the_batch(world):
    """Unrouted cases notify nobody: what is left is the batch's own statements, the same for 4 or 20
    (SQLite splits bigger INSERTs)."""

    def statements(n):
        items = [{"source": "citizen", "title": f"无位置{i}"} for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            services.create_cases(actor=world.grid, items=items)
        return len(queries)

    statements(1)  # the year's counter or sequence exists from here on
    assert statements(20) == statements(4)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_number_sequences")
def test_concurrent_bulk_and_single_intakes_number_uniquely(world):
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL（跨连接的并发事务）")
    import threading

    from django.db import connections

    barrier = threading.Barrier(4)
    numbers, errors = [], []

    def bulk(n):
        try:
            barrier.wait(timeout=20)
            for i in range(3):
                items = [{"source": "patrol", "title": f"批量{n}-{i}-{k}", "site": world.site} for k in range(15)]
                numbers.extend(case.number for case in services.create_cases(actor=world.grid, items=items))
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def single(n):
        try:
            barrier.wait(timeout=20)
            for i in range(8):
                case = services.create_case(
                    actor=world.grid, source="patrol", title=f"单件{n}-{i}", site=world.site, auto_register=True
                )
                numbers.append(case.number)
        except Exception as exc:  # pragma: no cover
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=f, args=(n,)) for n, f in enumerate((bulk, bulk, single, single))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(numbers) == 2 * 3 * 15 + 2 * 8 and len(set(numbers)) == len(numbers)
    assert Case.objects.filter(number__in=numbers, status=CaseStatus.DISPATCHED).count() == len(numbers)
    seal_pending()
    assert pending_count() == 0 and verify_audit_chain() == [] and verify_case_timelines() == []
