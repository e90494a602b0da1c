"""Pages render and their forms reach the services: registration, import, activity, the phone sign-in page,
the volunteer's self sign-in, corrections, posts and today's posts, hours and the export."""

import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import Workbook

from chuangcheng.volunteers import services
from chuangcheng.volunteers.models import Activity, Participation, PostKind, PostShift, Volunteer
from chuangcheng.volunteers.services.imports import COLUMNS
from chuangcheng.volunteers.tests.conftest import page_client
from chuangcheng.volunteers.tests.factories import ActivityFactory, VolunteerFactory, id_number


@pytest.mark.parametrize(
    "url",
    [
        "/volunteers/",
        "/volunteers/new/",
        "/volunteers/import/",
        "/volunteers/teams/",
        "/volunteers/teams/new/",
        "/volunteers/activities/",
        "/volunteers/activities/new/",
        "/volunteers/posts/",
        "/volunteers/posts/new/",
        "/volunteers/posts/today/",
        "/volunteers/hours/",
    ],
)
def test_pages_render(world, url):
    VolunteerFactory(unit=world["east_community"])
    response = page_client(world["admin"]).get(url)
    assert response.status_code == 200
    assert "志愿" in response.content.decode() or "岗位" in response.content.decode()


def test_register_on_the_page_and_duplicate_is_shown_on_the_field(world):
    client = page_client(world["community_worker"])
    data = {"name": "张三", "phone": "13800000001", "id_number": id_number(1), "unit": world["east_community"].pk}
    response = client.post("/volunteers/new/", data)
    volunteer = Volunteer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/volunteers/{volunteer.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "138****0001" in page and "13800000001" not in page and id_number(1) not in page
    response = client.post("/volunteers/new/", data | {"name": "张三二"})
    assert response.status_code == 200 and "该身份证号已登记为志愿者" in response.content.decode()
    assert Volunteer.objects.count() == 1


def test_edit_page(world):
    volunteer = VolunteerFactory(unit=world["east_community"])
    client = page_client(world["street_head"])
    data = {
        "name": "改名",
        "phone": "13900000000",
        "unit": world["east_community"].pk,
        "status": "paused",
        "id_number": "",
    }
    response = client.post(f"/volunteers/{volunteer.pk}/edit/", data)
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.status) == ("改名", "paused")


def test_import_page_lists_errors_and_imports_nothing(world):
    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    workbook.active.append(["张三", "13800000001", id_number(1), "D01-S01-C01"])
    workbook.active.append(["李四", "13800000002", id_number(1), "D01-S01-C01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "名册.xlsx"
    response = page_client(world["admin"]).post("/volunteers/import/", {"file": buffer})
    assert response.status_code == 400
    assert "与第2行身份证号重复" in response.content.decode() and not Volunteer.objects.exists()


def test_team_pages(world):
    a, b = VolunteerFactory(unit=world["east_community"]), VolunteerFactory(unit=world["east_community"])
    client = page_client(world["street_head"])
    response = client.post(
        "/volunteers/teams/new/", {"name": "春秋志愿服务队", "unit": world["east_street"].pk, "members": [a.pk]}
    )
    assert response.status_code == 302
    response = client.post(response["Location"], {"members": [a.pk, b.pk], "leader": b.pk})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert a.name in page and b.name in page and "队长" in page


def test_activity_flow_on_pages(world):
    client = page_client(world["community_worker"])
    start = timezone.localtime() - timedelta(minutes=30)
    response = client.post(
        "/volunteers/activities/new/",
        {
            "title": "爱国卫生运动·清洁家园",
            "kind": "patriotic_health",
            "unit": world["east_community"].pk,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and activity.kind == "patriotic_health"
    volunteer = VolunteerFactory(unit=world["east_community"], name="钱多多")
    page = client.get(f"/volunteers/activities/{activity.pk}/check/?q=钱多").content.decode()
    assert "钱多多" in page
    url = f"/volunteers/activities/{activity.pk}/action/"
    response = client.post(url, {"action": "check_in", "volunteer": volunteer.pk, "next": "check"})
    assert response.status_code == 302 and response["Location"].endswith("/check/")
    response = client.post(url, {"action": "check_in", "volunteer": volunteer.pk, "next": "check"})
    assert "已签到" in client.get(response["Location"]).content.decode()
    client.post(url, {"action": "check_out", "volunteer": volunteer.pk})
    row = Participation.objects.get()
    assert row.checked_out_at is not None
    head = page_client(world["street_head"])
    head.post(url, {"action": "correct", "participation": row.pk, "hours": "1.5", "reason": "按现场签到表核定"})
    row.refresh_from_db()
    assert row.corrected_hours == 1.5
    page = head.get(f"/volunteers/activities/{activity.pk}/").content.decode()
    assert "按现场签到表核定" in page
    head.post(url, {"action": "close"})
    activity.refresh_from_db()
    assert activity.status == "closed"


def test_self_check_page_is_public_and_rate_limited(world, settings):
    number = id_number(21)
    services.register_volunteer(
        actor=world["admin"], name="赵六", phone="13700000021", id_number=number, unit=world["east_community"]
    )
    activity = ActivityFactory(
        unit=world["east_community"], starts_at=timezone.now() - timedelta(minutes=10), hours_cap=3
    )
    client = page_client(None)
    assert client.get(f"/volunteers/checkin/?code={activity.code}").status_code == 200
    response = client.post("/volunteers/checkin/", {"code": activity.code, "phone": "13700000021", "id_last4": "9999"})
    assert response.status_code == 400 and "未找到匹配的志愿者" in response.content.decode()
    response = client.post(
        "/volunteers/checkin/", {"code": activity.code, "phone": "13700000021", "id_last4": number[-4:]}
    )
    assert response.status_code == 200 and "签到成功" in response.content.decode()
    for _ in range(30):
        client.post("/volunteers/checkin/", {"code": "000000", "phone": "1", "id_last4": "0000"})
    response = client.post(
        "/volunteers/checkin/", {"code": activity.code, "phone": "13700000021", "id_last4": number[-4:]}
    )
    assert response.status_code == 429


def test_post_pages_staff_a_shift(world):
    client = page_client(world["street_head"])
    response = client.post(
        "/volunteers/posts/new/",
        {"name": "淮海路口岗", "kind": PostKind.TRAFFIC, "unit": world["east_street"].pk, "location": "淮海路口"},
    )
    assert response.status_code == 302
    detail = response["Location"]
    action = detail + "action/"
    client.post(
        action,
        {"action": "add_shift", "weekdays": "1234567", "start_time": "07:00", "end_time": "09:00", "headcount": 1},
    )
    volunteer = VolunteerFactory(unit=world["east_community"])
    shift = PostShift.objects.get()
    today = timezone.localdate()
    response = client.post(
        action, {"action": "staff", "shift": shift.pk, "day": today.isoformat(), "volunteers": [volunteer.pk]}
    )
    activity = Activity.objects.get(shift=shift)
    assert response["Location"] == f"/volunteers/activities/{activity.pk}/"
    page = client.get("/volunteers/posts/today/").content.decode()
    assert "淮海路口岗" in page and "已排班未签到" in page
    services.check_in(actor=world["street_head"], activity=activity, volunteer=volunteer, at=activity.starts_at)
    assert "已到岗" in client.get("/volunteers/posts/today/").content.decode()


def test_hours_page_and_bad_month(world):
    activity = ActivityFactory(unit=world["east_community"], starts_at=timezone.make_aware(datetime(2026, 5, 9, 8)))
    volunteer = VolunteerFactory(unit=world["east_community"], name="时长之星")
    services.check_in(actor=world["admin"], activity=activity, volunteer=volunteer, at=activity.starts_at)
    services.check_out(actor=world["admin"], activity=activity, volunteer=volunteer, at=activity.ends_at)
    page = page_client(world["east_head"]).get("/volunteers/hours/?month=2026-05").content.decode()
    assert "时长之星" in page and "3.0" in page and "春秋社区" in page
    assert page_client(world["west_head"]).get("/volunteers/hours/").content.decode().count("时长之星") == 0
    response = page_client(world["admin"]).get("/volunteers/hours/?month=2026-13")
    assert response.status_code == 400 and "月份格式" in response.content.decode()


def test_export_download(world):
    VolunteerFactory(unit=world["east_community"])
    response = page_client(world["east_head"]).get("/volunteers/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_shift_time_forms_refuse_bad_input(world):
    client = page_client(world["street_head"])
    post = services.create_post(actor=world["admin"], name="岗", kind=PostKind.TRAFFIC, unit=world["east_street"])
    response = client.post(
        f"/volunteers/posts/{post.pk}/action/",
        {"action": "add_shift", "weekdays": "9", "start_time": "07:00", "end_time": "09:00", "headcount": 1},
    )
    assert "上岗日" in client.get(response["Location"]).content.decode()
    assert not post.shifts.exists()
