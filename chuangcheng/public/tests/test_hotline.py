import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from chuangcheng.audit.models import AuditEvent
from chuangcheng.cases.models import Case
from chuangcheng.core.errors import Conflict, NotPermitted
from chuangcheng.core.tabular import ImportFailed
from chuangcheng.public.models import HotlineOrder
from chuangcheng.public.services import hotline

pytestmark = pytest.mark.django_db
HEADERS = ["工单号", "来电时间", "来电内容", "问题分类", "事发地址", "来电人", "联系电话", "承办单位", "办结时限"]


def rows(n=3, overrides=None):
    overrides = overrides or {}
    result = []
    for i in range(n):
        row = [
            f"GD2026{i:05d}",
            f"2026-05-0{i % 9 + 1} 08:30",
            f"反映第{i}处有暴露垃圾",
            "暴露垃圾",
            f"东城路{i}号",
            "张先生",
            "13800138000",
            "东城区",
            "2026-05-20",
        ]
        for index, value in overrides.get(i, {}).items():
            row[index] = value
        result.append(row)
    return result


def xlsx(data, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in data:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(data, headers=HEADERS) -> bytes:
    lines = [",".join(headers)] + [",".join(row) for row in data]
    return ("\n".join(lines) + "\n").encode("gb18030")


def run(world, data: bytes, filename="orders.xlsx", **kwargs):
    batch = hotline.upload_batch(actor=world["staff"], data=data, filename=filename)
    return hotline.import_batch(batch=batch, actor=world["staff"], **kwargs)


def test_upload_guesses_mapping_from_common_headers(world):
    batch = hotline.upload_batch(actor=world["staff"], data=xlsx(rows()), filename="a.xlsx")
    assert batch.mapping["number"] == "工单号" and batch.mapping["received_at"] == "来电时间"
    assert batch.mapping["content"] == "来电内容" and batch.mapping["handler"] == "承办单位"


def test_upload_by_unit_handler_not_permitted(world):
    with pytest.raises(NotPermitted):
        hotline.upload_batch(actor=world["east_handler"], data=xlsx(rows()), filename="a.xlsx")


def test_import_creates_orders_and_cases_routed_by_handler(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = run(world, xlsx(rows()))
    assert (batch.created_count, batch.changed_count, batch.unchanged_count) == (3, 0, 0)
    order = HotlineOrder.objects.get(number="GD202600000")
    assert order.category == world["litter"] and order.unit == world["east"]
    assert order.case is not None and order.case.source == "hotline" and order.case.external_ref == order.number
    assert order.case.lead_unit == world["east"]
    assert Case.objects.filter(source="hotline").count() == 3
    assert AuditEvent.objects.filter(verb="public.hotline_imported").count() == 1


def test_import_csv_gbk(world):
    batch = run(world, csv_bytes(rows(2)), filename="orders.csv")
    assert batch.created_count == 2


def test_import_itemised_validation_rejects_whole_file(world):
    bad = rows(4, {0: {0: ""}, 1: {1: "昨天"}, 2: {6: "电话abc"}, 3: {8: "2026-13-40"}})
    bad.append(rows(1)[0])
    bad.append(rows(1)[0])  # duplicate number in the file
    with pytest.raises(ImportFailed) as error:
        run(world, xlsx(bad))
    issues = {(i.row, i.column) for i in error.value.report.issues}
    assert {(2, "工单号"), (3, "来电时间"), (4, "联系电话"), (5, "办结时限"), (7, "工单号")} <= issues
    assert not HotlineOrder.objects.exists()


def test_mapping_missing_required_field_rejected(world):
    batch = hotline.upload_batch(actor=world["staff"], data=xlsx(rows()), filename="a.xlsx")
    with pytest.raises(ImportFailed) as error:
        hotline.import_batch(batch=batch, actor=world["staff"], mapping={"number": "工单号"})
    assert {i.column for i in error.value.report.issues} == {"受理时间", "诉求内容"}


def test_reimport_same_file_creates_no_duplicates(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(world, xlsx(rows()))
        again = run(world, xlsx(rows()))
    assert (again.created_count, again.changed_count, again.unchanged_count) == (0, 0, 3)
    assert HotlineOrder.objects.count() == 3 and Case.objects.filter(source="hotline").count() == 3


def test_reimport_reports_changed_rows_and_adds_new(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(world, xlsx(rows()))
        changed = rows(4, {1: {2: "内容已补充：垃圾已堆放三天"}})
        batch = run(world, xlsx(changed))
    assert (batch.created_count, batch.changed_count, batch.unchanged_count) == (1, 1, 2)
    assert batch.changes == [{"number": "GD202600001", "row": 3, "fields": ["诉求内容"]}]
    assert HotlineOrder.objects.get(number="GD202600001").content == "内容已补充：垃圾已堆放三天"
    assert Case.objects.filter(source="hotline").count() == 4


def test_import_same_batch_twice_conflicts(world):
    batch = run(world, xlsx(rows()))
    with pytest.raises(Conflict):
        hotline.import_batch(batch=batch, actor=world["staff"])


def test_preview_counts_and_issues_without_writing(world):
    run(world, xlsx(rows(2)))
    batch = hotline.upload_batch(actor=world["staff"], data=xlsx(rows(3, {0: {2: "改了"}})), filename="b.xlsx")
    result = hotline.preview(batch=batch, mapping=batch.mapping)
    assert (result["new"], result["changed"], result["unchanged"]) == (1, 1, 1)
    assert result["report"].ok and len(result["rows"]) == 3
    assert HotlineOrder.objects.count() == 2


def test_export_reply_format(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(world, xlsx(rows(2)))
    client = Client()
    client.force_login(world["staff"])
    response = client.get(reverse("public:hotline_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert list(values[0][:5]) == ["工单编号", "办理结果", "办结时间", "承办单位", "回复内容"]
    assert [row[0] for row in values[1:]] == ["GD202600000", "GD202600001"]
    # Nothing done yet: no 办理结果 (never a system phrase such as 自动派遣), the platform's state beside it.
    assert values[1][1] is None and values[1][4] is None
    assert values[1][3] == "东城区" and values[1][5] == "已派遣" and values[1][6].startswith("WT")


def test_mapping_page_preview_and_import(world):
    client = Client()
    client.force_login(world["staff"])
    upload = client.post(
        reverse("public:hotline_upload"), {"file": SimpleUploadedFile("o.xlsx", xlsx(rows(2)))}, follow=False
    )
    assert upload.status_code == 302
    mapping_url = upload["Location"]
    page = client.get(mapping_url)
    assert page.status_code == 200 and page.context["form"].initial["number"] == "工单号"
    fields = {name: column for name, column in page.context["form"].initial.items()}
    preview = client.post(mapping_url, fields | {"action": "preview"})
    assert preview.status_code == 200 and preview.context["preview"]["new"] == 2
    done = client.post(mapping_url, fields | {"action": "import"})
    assert done.status_code == 302 and HotlineOrder.objects.count() == 2


def test_mapping_page_shows_itemised_errors(world):
    client = Client()
    client.force_login(world["staff"])
    upload = client.post(
        reverse("public:hotline_upload"), {"file": SimpleUploadedFile("o.xlsx", xlsx(rows(2, {1: {1: ""}})))}
    )
    fields = client.get(upload["Location"]).context["form"].initial
    preview = client.post(upload["Location"], dict(fields) | {"action": "preview"})
    assert not preview.context["preview"]["report"].ok
    assert "来电时间" in preview.content.decode()


def test_hotline_api_matrix(world):
    run(world, xlsx(rows(1)))
    order = HotlineOrder.objects.get()
    url = f"/api/v1/public/hotline-orders/{order.pk}/"

    def api(user):
        client = APIClient()
        if user:
            client.force_authenticate(user)
        return client

    assert api(None).get(url).status_code in (401, 403)
    assert api(world["nobody"]).get(url).status_code == 404
    assert api(world["west_handler"]).get(url).status_code == 404
    assert api(world["east_handler"]).get(url).status_code == 200
    assert api(world["staff"]).get(url).status_code == 200


def _case_outcome(case):
    case.refresh_from_db()
    return (
        case.status,
        case.lead_unit_id,
        case.route_reason,
        case.category_id,
        case.source,
        list(case.transitions.order_by("id").values_list("action", "to_status")),
    )


def test_batch_opening_matches_opening_one_by_one(world):
    """The batch path (cases' batch intake) gives each order the case the single path gives it."""
    from chuangcheng.public.services.hotline import bridge

    run(world, xlsx(rows(4)), open_cases=False)
    orders = list(HotlineOrder.objects.order_by("number"))
    assert not any(order.case_id for order in orders)
    bridge.open_case_for_order(order=orders[0], actor=world["staff"])
    bridge.open_case_for_order(order=orders[1], actor=world["staff"])
    bridge.adopt_order_terms(actor=world["staff"], orders=orders[:2])
    assert hotline.open_cases_for_orders(numbers=[o.number for o in orders], actor=world["staff"]) == 2
    singles = [_case_outcome(HotlineOrder.objects.get(pk=o.pk).case) for o in orders[:2]]
    batched = [_case_outcome(HotlineOrder.objects.get(pk=o.pk).case) for o in orders[2:]]
    assert singles == batched
    assert all(outcome[1] == world["east"].pk for outcome in singles)


def test_a_bad_order_holds_back_only_itself(world):
    run(world, xlsx(rows(3)), open_cases=False)
    orders = list(HotlineOrder.objects.order_by("number"))
    # A case already carries the second order's number (made elsewhere): the batch intake refuses it.
    from chuangcheng.cases import services as case_services

    case_services.create_case(actor=world["staff"], source="hotline", title="已有", external_ref=orders[1].number)
    assert hotline.open_cases_for_orders(numbers=[o.number for o in orders], actor=world["staff"]) == 2
    linked = {o.number: o.case_id is not None for o in HotlineOrder.objects.all()}
    assert linked == {orders[0].number: True, orders[1].number: False, orders[2].number: True}
