import io
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import user_with_role
from chuangcheng.campaigns.models import Task
from chuangcheng.campaigns.tests.conftest import client_for
from chuangcheng.campaigns.tests.factories import (
    LeaderAssignmentFactory,
    LetterFactory,
    MilestoneFactory,
    PlanFactory,
    PledgeFactory,
    ProgressReportFactory,
    TaskFactory,
)
from chuangcheng.core.testing import assert_max_queries, assert_permission_matrix
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world):
    plan = PlanFactory(unit=world["east"])
    task = TaskFactory(plan=plan, lead_unit=world["east_street"])
    return {
        "plan": plan,
        "task": task,
        "milestone": MilestoneFactory(plan=plan),
        "report": ProgressReportFactory(task=task),
        "letter": LetterFactory(unit=world["east"]),
        "leader": LeaderAssignmentFactory(unit=world["east"]),
        "pledge": PledgeFactory(site=SiteFactory(unit=world["east_street"]), street=world["east_street"]),
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/campaign-plans/{plan}/",
        "/api/v1/campaign-plans/{plan}/timeline/",
        "/api/v1/campaign-plans/{plan}/summary/",
        "/api/v1/campaign-plans/{plan}/ledger/",
        "/api/v1/campaign-milestones/{milestone}/",
        "/api/v1/campaign-tasks/{task}/",
        "/api/v1/campaign-tasks/{task}/reports/",
        "/api/v1/campaign-reports/{report}/",
        "/api/v1/responsibility-letters/{letter}/",
        "/api/v1/leader-assignments/{leader}/",
        "/api/v1/frontage-pledges/{pledge}/",
    ],
)
def test_detail_endpoints_permission_matrix(world, objects, url):
    assert_permission_matrix(
        client_for,
        url.format(**{name: obj.pk for name, obj in objects.items()}),
        in_scope=world["east_head"],
        out_of_scope=world["west_head"],
        no_role=world["nobody"],
    )


@pytest.mark.parametrize(
    "url",
    [
        "/campaigns/plans/{plan}/",
        "/campaigns/plans/{plan}/timeline/",
        "/campaigns/plans/{plan}/ledger.xlsx",
        "/campaigns/tasks/{task}/",
        "/campaigns/letters/{letter}/",
    ],
)
def test_detail_pages_permission_matrix(world, objects, url):
    def page_client(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    no_role = user_with_role(Role.UNIT_HANDLER, UnitFactory(name="无关单位"))
    assert_permission_matrix(
        page_client,
        url.format(**{name: obj.pk for name, obj in objects.items()}),
        in_scope=world["east_head"],
        out_of_scope=world["west_head"],
        no_role=no_role,
    )


def test_task_write_actions_matrix(world, objects):
    task = objects["task"]
    url = f"/api/v1/campaign-tasks/{task.pk}/progress/"
    assert client_for(None).post(url, {"progress": 10, "note": "x"}).status_code in (401, 403)
    assert client_for(world["west_head"]).post(url, {"progress": 10, "note": "x"}).status_code == 404
    assert client_for(world["nobody"]).post(url, {"progress": 10, "note": "x"}).status_code == 404
    response = client_for(world["east_head"]).post(url, {"progress": 60, "note": "推进"})
    assert response.status_code == 201, response.json()
    assert Task.objects.get(pk=task.pk).progress == 60
    patch = client_for(world["east_head"]).patch(f"/api/v1/campaign-tasks/{task.pk}/", {"title": "改"}, format="json")
    assert patch.status_code == 403


def test_office_creates_plan_and_task_through_api(world):
    admin = client_for(world["admin"])
    plan = admin.post(
        "/api/v1/campaign-plans/", {"title": "方案", "year": 2026, "unit": world["office"].pk}, format="json"
    )
    assert plan.status_code == 201, plan.json()
    task = admin.post(
        "/api/v1/campaign-tasks/",
        {
            "plan": plan.json()["id"],
            "title": "整治",
            "lead_unit": world["east"].pk,
            "cooperating_units": [world["west"].pk],
            "deadline": "2026-09-30",
            "weight": "2.00",
        },
        format="json",
    )
    assert task.status_code == 201, task.json()
    assert task.json()["cooperating_units"] == [world["west"].pk]
    # Both districts now see the plan; the unit head may not create plans.
    assert client_for(world["west_head"]).get(f"/api/v1/campaign-plans/{plan.json()['id']}/").status_code == 200
    denied = client_for(world["east_head"]).post(
        "/api/v1/campaign-plans/", {"title": "x", "year": 2026, "unit": world["east"].pk}, format="json"
    )
    assert denied.status_code == 403


def test_task_list_scoped_and_query_count_flat(world):
    plan = PlanFactory(unit=world["office"])
    for _ in range(25):
        task = TaskFactory(plan=plan, lead_unit=world["east_street"])
        task.cooperating_units.add(world["west"])
    TaskFactory(plan=plan, lead_unit=world["west_street"])
    with assert_max_queries(8):
        response = client_for(world["admin"]).get("/api/v1/campaign-tasks/?page_size=100")
    assert response.json()["count"] == 26
    east = client_for(world["east_head"]).get("/api/v1/campaign-tasks/?page_size=100").json()
    assert east["count"] == 25


def test_ledger_xlsx_lists_tasks_with_units(world):
    plan = PlanFactory(unit=world["office"])
    task = TaskFactory(plan=plan, lead_unit=world["east"], title="背街小巷整治", deadline=date(2026, 9, 30))
    task.cooperating_units.add(world["west"])
    ProgressReportFactory(task=task, note="已完成一半")
    client = Client()
    client.force_login(world["admin"])
    with assert_max_queries(12):
        response = client.get(f"/campaigns/plans/{plan.pk}/ledger.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = [list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True)]
    assert header[:3] == ["编号", "任务", "牵头单位"]
    assert row[1:4] == ["背街小巷整治", "东城区", "西城区"]
    assert row[-1] == "已完成一半"


def test_pledges_by_street_endpoint(world):
    PledgeFactory(site=SiteFactory(unit=world["east_community"]), street=world["east_street"])
    response = client_for(world["east_head"]).get("/api/v1/frontage-pledges/by-street/?year=2026")
    assert response.status_code == 200
    assert response.json() == [
        {"street": world["east_street"].pk, "street_name": "东城一街道", "pledges": 1, "sites": 1, "coverage": 100.0}
    ]


def test_pages_render_for_office(world, objects):
    client = Client()
    client.force_login(world["admin"])
    for url in (
        "/campaigns/",
        "/campaigns/tasks/",
        "/campaigns/letters/",
        "/campaigns/leaders/",
        f"/campaigns/leaders/{objects['leader'].leader_id}/",
        "/campaigns/pledges/",
        "/campaigns/plans/new/",
        f"/campaigns/plans/{objects['plan'].pk}/tasks/new/",
        f"/campaigns/plans/{objects['plan'].pk}/schedule/",
        "/campaigns/letters/new/",
        "/campaigns/leaders/assign/",
        "/campaigns/pledges/new/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url


def test_progress_form_page_posts_report(world, objects):
    client = Client()
    client.force_login(world["east_head"])
    response = client.post(f"/campaigns/tasks/{objects['task'].pk}/", {"progress": 100, "note": "完成"})
    assert response.status_code == 302
    assert Task.objects.get(pk=objects["task"].pk).status == "done"


def test_progress_form_page_refusals(world, objects):
    url = f"/campaigns/tasks/{objects['task'].pk}/"
    head = Client()
    head.force_login(world["east_head"])
    bad = head.post(url, {"progress": 150, "note": "超了"})
    assert bad.status_code == 400 and Task.objects.get(pk=objects["task"].pk).status != "done"
    west = Client()
    west.force_login(world["west_head"])
    assert west.post(url, {"progress": 50, "note": "不是我的"}).status_code == 404


def test_letter_scan_page_upload_checked_by_content(world, objects):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/campaigns/letters/{objects['letter'].pk}/"
    head = Client()
    head.force_login(world["east_head"])
    refused = head.post(url, {"scan": SimpleUploadedFile("责任书.pdf", b"MZ\x90\x00binary")})
    assert refused.status_code == 400 and "文件" in refused.content.decode()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    done = head.post(url, {"scan": SimpleUploadedFile("责任书.pdf", pdf)})
    assert done.status_code == 302 and done.url == url
    objects["letter"].refresh_from_db()
    assert objects["letter"].is_signed
