"""12345 exports as they really come: a title row merged across the columns, a blank row, the header on
row 3, masked phones, Excel serial dates, 诉求类型, 事发地址 naming a site or an area, merged cells,
stray control characters; and what a re-import's changes and the reply sheet carry."""

import io
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import to_excel

from chuangcheng.cases.models import Case, CaseTransition
from chuangcheng.cases.tests.factories import jpeg_upload
from chuangcheng.cases.workflow import Action, transition
from chuangcheng.core.tabular import ImportFailed
from chuangcheng.notifications.models import Notification
from chuangcheng.places.tests.factories import SiteFactory
from chuangcheng.public.models import HotlineOrder
from chuangcheng.public.services import hotline
from chuangcheng.public.services.hotline import sheet
from chuangcheng.public.workorders import _parse_datetime

pytestmark = pytest.mark.django_db

TITLE = "示范市12345政务服务便民热线工单明细表（2026年5月）"
HEADER = "序号 工单编号 受理时间 诉求类型 事发地址 诉求内容 来电人 联系电话 承办单位 办理时限 催办次数".split()


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def order_row(i, **changes):
    row = {
        "序号": i + 1,
        "工单编号": f"2605{i:06d}",
        "受理时间": to_excel(datetime(2026, 5, 1 + i, 8, 30)),  # a bare serial number, as many exports have
        "诉求类型": "城市管理/市容环境/暴露垃圾",
        "事发地址": "东城区人民路12号门口",
        "诉求内容": f"市民反映人民路有暴露垃圾（第{i}次）",
        "来电人": "王女士",
        "联系电话": "191****8950",
        "承办单位": "东城区",
        "办理时限": datetime(2026, 5, 15 + i, 18, 0),  # a date cell
        "催办次数": 0,
    }
    row.update(changes)
    return row


def real_export(rows, *, merge_handler=False, footer=True) -> bytes:
    """An export laid out like the hotline's: title merged across, blank row 2, header on row 3."""
    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.append([TITLE])
    sheet_.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet_.append([])
    sheet_.append(HEADER)
    for row in rows:
        sheet_.append([row[name] for name in HEADER])
    for number in range(4, 4 + len(rows)):
        sheet_.cell(row=number, column=HEADER.index("办理时限") + 1).number_format = "yyyy-mm-dd hh:mm"
    if merge_handler:  # the handler written once for the first two orders, merged down
        column = HEADER.index("承办单位") + 1
        sheet_.cell(row=5, column=column).value = None
        sheet_.merge_cells(start_row=4, start_column=column, end_row=5, end_column=column)
    if footer:
        sheet_.append([])
        sheet_.append(["制表：市12345热线办"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_file(world, data, django_capture_on_commit_callbacks, actor=None):
    actor = actor or world["staff"]
    batch = hotline.upload_batch(actor=actor, data=data, filename="工单明细.xlsx")
    with django_capture_on_commit_callbacks(execute=True):
        return hotline.import_batch(batch=batch, actor=actor)


def test_title_row_export_is_read_from_its_real_header(world):
    batch = hotline.upload_batch(actor=world["staff"], data=real_export([order_row(0)]), filename="a.xlsx")
    assert batch.header_row == 3
    assert [row["row"] for row in batch.head_rows] == [1, 3, 4, 6]  # blank rows skipped, footer shown
    assert batch.mapping == {
        "number": "工单编号", "received_at": "受理时间", "content": "诉求内容", "category": "诉求类型",
        "address": "事发地址", "caller_name": "来电人", "caller_phone": "联系电话", "handler": "承办单位",
        "deadline": "办理时限", "urge": "催办次数",
    }  # fmt: skip


def test_real_export_opens_placed_routed_cases_with_the_hotlines_dates(world, django_capture_on_commit_callbacks):
    market = SiteFactory(name="人民路农贸市场", area=world["west_area"], unit=world["west"], category=world["stall"])
    rows = [
        order_row(0),  # 事发地址 names the area 东城区
        order_row(1, 事发地址="人民路农贸市场北门", 承办单位="东城区"),  # names a site (of 西城区)
        order_row(2, 事发地址="不详", 承办单位="西城区"),  # names nothing: the hotline's 承办单位 takes it
    ]
    batch = import_file(world, real_export(rows), django_capture_on_commit_callbacks)
    assert (batch.total, batch.created_count) == (3, 3)
    first, second, third = HotlineOrder.objects.select_related("case").order_by("number")
    assert first.caller_phone == "191****8950" and first.case.reporter_phone == "191****8950"
    assert first.received_at == local(2026, 5, 1, 8, 30)
    assert first.category == world["litter"] and first.category_text == "城市管理/市容环境/暴露垃圾"
    # The hotline's 受理时间 and 办理时限 are the case's, and the timeline says so.
    assert first.case.created_at == local(2026, 5, 1, 8, 30)
    assert first.case.deadline.isoformat() == "2026-05-15" and first.case.deadline_reason == "12345 办理时限"
    entry = first.case.transitions.get(action="external_update")
    assert "受理时间 2026-05-01 08:30" in entry.note and "办理时限 2026-05-15" in entry.note
    # Placed from the address and routed like any other case.
    assert first.case.area == world["east_area"] and first.case.lead_unit == world["east"]
    assert second.case.site == market and second.case.area == world["west_area"]
    assert second.case.lead_unit == world["west"]
    assert third.case.area is None and third.case.site is None and third.case.lead_unit == world["west"]
    progress = hotline.batch_progress(batch)
    assert (progress["opened"], progress["placed"], progress["routed"], progress["pending"]) == (3, 2, 3, 0)
    client = Client()
    client.force_login(world["staff"])
    page = client.get(reverse("public:hotline_batch", args=[batch.pk])).content.decode()
    assert "已立案 <strong>3</strong> 件" in page and "定位 <strong>2</strong> 件" in page
    assert "派遣到责任单位 <strong>3</strong> 件" in page and "待立案" not in page


def test_merged_cells_fill_each_row_and_control_characters_are_stripped(world, django_capture_on_commit_callbacks):
    # openpyxl refuses control characters; other writers store them escaped (_x0007_), as read here.
    rows = [order_row(0, 诉求内容="垃圾_x0007_堆放\u200b三天_x000B_"), order_row(1, 承办单位="西城区")]
    import_file(world, real_export(rows, merge_handler=True), django_capture_on_commit_callbacks)
    first, second = HotlineOrder.objects.order_by("number")
    assert first.content == "垃圾堆放三天"
    assert second.handler_text == "东城区" and second.unit == world["east"]  # the merged cell reaches row 5


def test_excel_dates_in_every_form_parse_to_the_same_moment():
    moment = local(2026, 5, 1, 8, 30)
    for text in ("46143.354166667", "2026-05-01 08:30", "2026/5/1 8:30", "2026年5月1日 8时30分", "202605010830"):
        assert _parse_datetime(text) == moment, text
    assert _parse_datetime("2026-05-01") == local(2026, 5, 1)
    assert _parse_datetime("46143") == local(2026, 5, 1)
    assert _parse_datetime("昨天") is None and _parse_datetime("12345") is None


def test_person_picks_another_header_row_on_the_import_page(world):
    data = real_export([order_row(0)])
    client = Client()
    client.force_login(world["staff"])
    batch = hotline.upload_batch(actor=world["staff"], data=data, filename="a.xlsx")
    url = reverse("public:hotline_mapping", args=[batch.pk])
    page = client.get(url).content.decode()
    assert "表头在第 <strong>3</strong> 行" in page and TITLE[:20] in page
    wrong = client.post(url, {"action": "header", "header_row": "1"})
    assert wrong.status_code == 302
    batch.refresh_from_db()
    assert batch.header_row == 1 and batch.headers[0] == TITLE and "number" not in batch.mapping
    refused = client.post(url, {"action": "header", "header_row": "2"})  # the blank row
    assert refused.status_code == 400 and "表头所在行" in refused.content.decode()
    back = client.post(url, {"action": "header", "header_row": "3"})
    assert back.status_code == 302
    batch.refresh_from_db()
    assert batch.header_row == 3 and batch.mapping["number"] == "工单编号"


def test_bad_masked_phone_and_old_xls_are_refused_with_the_reason(world):
    data = real_export([order_row(0, 联系电话="191****"), order_row(1, 联系电话="打不通")])
    batch = hotline.upload_batch(actor=world["staff"], data=data, filename="a.xlsx")
    with pytest.raises(ImportFailed) as error:
        hotline.import_batch(batch=batch, actor=world["staff"])
    assert {(issue.row, issue.column) for issue in error.value.report.issues} == {(4, "联系电话"), (5, "联系电话")}
    with pytest.raises(ImportFailed) as error:
        hotline.upload_batch(actor=world["staff"], data=b"\xd0\xcf\x11\xe0" + b"\x00" * 600, filename="a.xls")
    assert "另存为 .xlsx" in error.value.report.issues[0].reason


def test_footer_and_blank_rows_are_not_orders():
    data = real_export([order_row(0), order_row(1)])
    read = sheet.read_sheet(data)
    table = sheet.to_table(read, sheet.find_header(read))
    assert table.row_numbers == [4, 5]


def test_reimport_change_reaches_the_case_timeline(world, django_capture_on_commit_callbacks):
    import_file(world, real_export([order_row(0), order_row(1)]), django_capture_on_commit_callbacks)
    case = HotlineOrder.objects.get(number="2605000000").case
    before = case.transitions.count()
    changed = order_row(0, 催办次数=1, 承办单位="西城区", 办理时限=datetime(2026, 5, 25, 18, 0))
    batch = import_file(world, real_export([changed, order_row(1)]), django_capture_on_commit_callbacks)
    assert (batch.changed_count, batch.unchanged_count) == (1, 1)
    case.refresh_from_db()
    assert case.transitions.count() == before + 1
    entry = case.transitions.order_by("id").last()
    assert entry.action == "external_update" and entry.to_status == case.status
    assert "催办（1）" in entry.note and "承办单位 东城区 → 西城区" in entry.note
    assert "办理时限 2026-05-15 → 2026-05-25" in entry.note
    assert case.deadline.isoformat() == "2026-05-25" and case.deadline_reason == "12345 办理时限"
    assert Notification.objects.filter(user=world["east_handler"], case=case, title__contains="12345 催办").exists()
    # The other order did not change: its case heard nothing.
    other = HotlineOrder.objects.get(number="2605000001").case
    assert not other.transitions.filter(action="external_update").exclude(note__startswith="按 12345").exists()


def test_reply_sheet_carries_the_units_own_result(world, django_capture_on_commit_callbacks):
    import_file(world, real_export([order_row(0)]), django_capture_on_commit_callbacks)
    case = Case.objects.get(external_ref="2605000000")
    handler, verifier = world["east_handler"], world["admin"]
    case = transition(case, Action.SIGN, actor=handler)
    case = transition(case, Action.START, actor=handler)
    photo = jpeg_upload(taken_at="2099:01:01 10:00:00", gps=(120.005, 30.005))
    case = transition(case, Action.SUBMIT, actor=handler, note="已清运垃圾 2 车，并在路口设置提示牌", evidence=[photo])
    transition(case, Action.VERIFY, actor=verifier, note="核查属实")
    client = Client()
    client.force_login(world["staff"])
    values = list(load_workbook(io.BytesIO(client.get(reverse("public:hotline_export")).content)).active.values)
    number, result, finished, unit, reply, status, case_number = values[1]
    assert number == "2605000000" and result == "已清运垃圾 2 车，并在路口设置提示牌"
    assert reply == result and unit == "东城区" and status == "已办结" and finished
    assert CaseTransition.objects.filter(case=case, note="自动派遣").exists()  # the system's words exist…
    assert "自动" not in (result + reply)  # …and never reach the hotline


def test_api_upload_reports_the_header_row_and_import_takes_another(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(world["staff"])
    upload = client.post(
        "/api/v1/public/hotline-batches/upload/",
        {"file": SimpleUploadedFile("a.xlsx", real_export([order_row(0)]))},
        format="multipart",
    )
    assert upload.status_code == 201 and upload.data["header_row"] == 3
    assert upload.data["head_rows"][0]["cells"][0] == TITLE[:24]
    url = f"/api/v1/public/hotline-batches/{upload.data['id']}/import/"
    assert client.post(url, {"header_row": "第三行"}, format="json").status_code == 422
    wrong = client.post(url, {"header_row": 1}, format="json")  # the title: no 工单编号 column to map
    assert wrong.status_code == 422 and not HotlineOrder.objects.exists()
    done = client.post(url, {"header_row": 3}, format="json")
    assert done.status_code == 200 and done.data["created_count"] == 1 and done.data["header_row"] == 3


def test_new_handler_in_a_reimport_takes_a_case_still_waiting_for_a_unit(world, django_capture_on_commit_callbacks):
    waiting = order_row(0, 事发地址="不详", 承办单位="市容办")  # no such unit, no place: 待分派
    import_file(world, real_export([waiting]), django_capture_on_commit_callbacks)
    case = Case.objects.get(external_ref="2605000000")
    assert case.status == "registered" and case.lead_unit is None
    import_file(world, real_export([dict(waiting, 承办单位="西城区")]), django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.status == "dispatched" and case.lead_unit == world["west"]
    assert case.deadline.isoformat() == "2026-05-15"  # the hotline's 办理时限 still holds
    actions = list(case.transitions.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == ["external_update", "assign", "dispatch"]


def test_urge_column_forms():
    from chuangcheng.public.workorders import urge_count

    assert [urge_count(t) for t in ("", "0", "2", "2次", "催办3次", "是", "否", "已催办", "未催办")] == [
        0, 0, 2, 2, 3, 1, 0, 1, 0,
    ]  # fmt: skip
