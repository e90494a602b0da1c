"""The office's pages for routing rules and deadline rules: office only, audited, Chinese errors."""

import pytest
from django.test import Client

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases import services
from chuangcheng.cases.models import DeadlineRule, RoutingRule
from chuangcheng.cases.tests.factories import RoutingRuleFactory
from chuangcheng.core.testing import assert_max_queries

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def rule_form(world, **overrides):
    data = {
        "name": "农贸市场归市场监管",
        "category": world.category.pk,
        "lead_unit": world.market.pk,
        "cooperating_units": [world.street.pk],
        "priority": 3,
        "is_active": "on",
        "note": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_office_creates_edits_deactivates_and_deletes_a_routing_rule(world):
    client = browser(world.office)
    assert "新增分派规则" in client.get("/cases/rules/").content.decode()
    response = client.post("/cases/rules/new/", rule_form(world))
    assert response.status_code == 302 and response.url == "/cases/rules/"
    rule = RoutingRule.objects.get(name="农贸市场归市场监管")
    assert rule.lead_unit == world.market and list(rule.cooperating_units.all()) == [world.street]
    assert AuditEvent.objects.filter(verb="cases.routing_rule_created", target_id=str(rule.pk)).exists()

    page = client.get(f"/cases/rules/{rule.pk}/edit/").content.decode()
    assert "编辑分派规则" in page and "农贸市场归市场监管" in page
    client.post(f"/cases/rules/{rule.pk}/edit/", rule_form(world, is_active=None, priority=7))
    rule.refresh_from_db()
    assert not rule.is_active and rule.priority == 7
    event = AuditEvent.objects.get(verb="cases.routing_rule_updated", target_id=str(rule.pk))
    assert event.changes["is_active"] == [True, False] and event.changes["priority"] == [3, 7]
    assert "停用" in client.get("/cases/rules/").content.decode()

    assert "确认删除" in client.get(f"/cases/rules/{rule.pk}/delete/").content.decode()
    response = client.post(f"/cases/rules/{rule.pk}/delete/")
    assert response.status_code == 302 and not RoutingRule.objects.filter(pk=rule.pk).exists()
    assert AuditEvent.objects.filter(verb="cases.routing_rule_deleted", target_id=str(rule.pk)).exists()


def test_routing_rule_without_any_condition_is_refused_in_chinese(world):
    response = browser(world.office).post("/cases/rules/new/", rule_form(world, category=None))
    assert response.status_code == 200
    assert "检查项、类别、区域至少填写一项" in response.content.decode()
    assert not RoutingRule.objects.exists() and not AuditEvent.objects.filter(verb__startswith="cases.routing").exists()


def test_routing_rule_without_lead_unit_names_the_field(world):
    response = browser(world.office).post("/cases/rules/new/", rule_form(world, lead_unit=None))
    form = response.context["form"]
    assert form.errors["lead_unit"] == ["该字段是必填项。"] and not RoutingRule.objects.exists()


def test_rule_pages_are_office_only(world):
    rule = RoutingRuleFactory(lead_unit=world.urban, category=world.category)
    deadline = DeadlineRule.objects.create(category=world.category, severity="", days=5)
    urls = [
        "/cases/rules/",
        "/cases/rules/new/",
        f"/cases/rules/{rule.pk}/edit/",
        f"/cases/rules/{rule.pk}/delete/",
        "/cases/deadline-rules/",
        "/cases/deadline-rules/new/",
        f"/cases/deadline-rules/{deadline.pk}/edit/",
        f"/cases/deadline-rules/{deadline.pk}/delete/",
    ]
    for url in urls:
        assert browser(None).get(url).status_code == 302, url  # to the login page
        for user in (world.handler, world.head, world.inspector, world.leader, world.nobody):
            assert browser(user).get(url).status_code == 403, (url, user)
        assert browser(world.office).get(url).status_code == 200, url
    # a unit user posting directly changes nothing
    browser(world.handler).post(f"/cases/rules/{rule.pk}/delete/")
    browser(world.handler).post(f"/cases/deadline-rules/{deadline.pk}/edit/", {"days": 1})
    assert RoutingRule.objects.filter(pk=rule.pk).exists()
    deadline.refresh_from_db()
    assert deadline.days == 5


def test_missing_rules_are_404_for_the_office(world):
    client = browser(world.admin)
    for url in ("/cases/rules/999999/edit/", "/cases/rules/999999/delete/", "/cases/deadline-rules/999999/edit/"):
        assert client.get(url).status_code == 404, url


def test_office_manages_deadline_rules(world):
    client = browser(world.office)
    page = client.get("/cases/deadline-rules/").content.decode()
    assert "暂无规则" in page and "默认期限" in page
    response = client.post(
        "/cases/deadline-rules/new/", {"category": world.category.pk, "severity": "serious", "days": 2}
    )
    assert response.status_code == 302
    rule = DeadlineRule.objects.get(category=world.category, severity="serious")
    assert rule.days == 2
    assert AuditEvent.objects.filter(verb="cases.deadline_rule_created", target_id=str(rule.pk)).exists()
    assert "2 个工作日" in client.get("/cases/deadline-rules/").content.decode()

    client.post(
        f"/cases/deadline-rules/{rule.pk}/edit/", {"category": world.category.pk, "severity": "serious", "days": 4}
    )
    rule.refresh_from_db()
    assert rule.days == 4
    event = AuditEvent.objects.get(verb="cases.deadline_rule_updated", target_id=str(rule.pk))
    assert event.changes == {"days": [2, 4]}

    client.post(f"/cases/deadline-rules/{rule.pk}/delete/")
    assert not DeadlineRule.objects.filter(pk=rule.pk).exists()
    assert AuditEvent.objects.filter(verb="cases.deadline_rule_deleted", target_id=str(rule.pk)).exists()


def test_duplicate_deadline_rule_is_refused_in_chinese_even_for_any_category(world):
    client = browser(world.office)
    client.post("/cases/deadline-rules/new/", {"category": "", "severity": "minor", "days": 9})
    response = client.post("/cases/deadline-rules/new/", {"category": "", "severity": "minor", "days": 3})
    assert "该类别与严重程度的期限规则已存在" in response.content.decode()
    assert DeadlineRule.objects.filter(category=None, severity="minor").count() == 1


@pytest.mark.parametrize(("days", "message"), [("0", "确保该值大于或等于1"), ("400", "确保该值小于或等于365")])
def test_deadline_rule_days_out_of_range(world, days, message):
    response = browser(world.office).post("/cases/deadline-rules/new/", {"severity": "", "days": days})
    assert message in response.content.decode() and not DeadlineRule.objects.exists()


def test_deadline_rule_service_checks_days_and_role(world):
    from chuangcheng.core.errors import DomainError, NotPermitted

    with pytest.raises(DomainError) as info:
        services.create_deadline_rule(actor=world.office, days=0)
    assert info.value.field == "days" and "1–365" in info.value.message
    with pytest.raises(NotPermitted):
        services.create_deadline_rule(actor=world.handler, days=3)
    assert not DeadlineRule.objects.exists()


def test_saved_deadline_rule_sets_the_next_deadline(world):
    from chuangcheng.cases.models import CaseStatus
    from chuangcheng.cases.tests.helpers import case_in_state

    browser(world.office).post(
        "/cases/deadline-rules/new/", {"category": world.category.pk, "severity": "normal", "days": 7}
    )
    case = case_in_state(world, CaseStatus.DISPATCHED)
    assert case.deadline_days == 7 and "类别与严重程度" in case.deadline_reason


def test_rule_list_query_count_is_flat(world):
    for i in range(8):
        rule = RoutingRuleFactory(lead_unit=world.urban, category=world.category, name=f"规则{i}")
        rule.cooperating_units.set([world.street, world.market])
        DeadlineRule.objects.create(
            category=world.category if i % 2 else None, severity=["", "minor", "normal", "serious"][i // 2], days=i + 1
        )
    client = browser(world.office)
    client.get("/cases/rules/")
    with assert_max_queries(12):
        assert client.get("/cases/rules/").status_code == 200
    with assert_max_queries(10):
        assert client.get("/cases/deadline-rules/").status_code == 200


def test_office_navigation_links_to_the_rules(world):
    assert 'href="/cases/rules/"' in browser(world.office).get("/cases/").content.decode()
    assert 'href="/cases/rules/"' not in browser(world.handler).get("/cases/inbox/").content.decode()


def test_deadline_rules_api(world):
    from rest_framework.test import APIClient

    def api(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    office = api(world.office)
    created = office.post(
        "/api/v1/deadline-rules/", {"category": world.category.pk, "severity": "normal", "days": 7}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["category_name"] == world.category.name and created.json()["severity_display"] == "一般"
    rule_id = created.json()["id"]
    again = office.post(
        "/api/v1/deadline-rules/", {"category": world.category.pk, "severity": "normal", "days": 5}, format="json"
    )
    assert again.status_code == 422 and again.json()["field"] == "severity"
    bad = office.patch(f"/api/v1/deadline-rules/{rule_id}/", {"days": 0}, format="json")
    assert bad.status_code == 422 and bad.json()["field"] == "days"
    assert office.patch(f"/api/v1/deadline-rules/{rule_id}/", {"days": 9}, format="json").json()["days"] == 9
    handler = api(world.handler)
    assert [row["days"] for row in handler.get("/api/v1/deadline-rules/").json()["results"]] == [9]
    assert handler.post("/api/v1/deadline-rules/", {"days": 3}, format="json").status_code == 403
    assert handler.delete(f"/api/v1/deadline-rules/{rule_id}/").status_code == 403
    assert office.delete(f"/api/v1/deadline-rules/{rule_id}/").status_code == 204
    verbs = list(AuditEvent.objects.filter(verb__startswith="cases.deadline_rule").values_list("verb", flat=True))
    assert sorted(verbs) == [
        "cases.deadline_rule_created",
        "cases.deadline_rule_deleted",
        "cases.deadline_rule_updated",
    ]
    assert APIClient().get("/api/v1/deadline-rules/").status_code in (401, 403)
