"""Import: all-or-nothing with itemised errors (bad cells, duplicates in the file and against the registry,
masked numbers, rights), title rows above the header, Excel dates; the export masks phones and IDs."""

import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.tabular import ImportFailed
from chuangcheng.volunteers import services
from chuangcheng.volunteers.models import Volunteer
from chuangcheng.volunteers.services.imports import COLUMNS
from chuangcheng.volunteers.tests.factories import VolunteerFactory, id_number


def _xlsx(rows, title=True) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["春秋社区志愿者花名册（其他系统导出）"])
        sheet.append([])
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(n, **kw):
    base = {
        "姓名": f"志愿者{n}",
        "手机号": f"1380000{n:04d}",
        "身份证号": id_number(n),
        "所属单位编码": "D01-S01-C01",
        "所在社区编码": "",
        "技能特长": "文明劝导、急救",
        "注册日期": datetime(2025, 3, 8),
        "备注": "",
    }
    base.update(kw)
    return [base[c] for c in COLUMNS]


def test_good_file_with_title_rows_and_excel_dates(world):
    rows = [_row(1), _row(2, 注册日期=45724), _row(3, 身份证号="340602********0033", 手机号="138****0003")]
    created = services.import_volunteers(actor=world["street_head"], data=_xlsx(rows), filename="名册.xlsx")
    assert len(created) == 3 and Volunteer.objects.count() == 3
    first, second, third = Volunteer.objects.order_by("id")
    assert first.joined_on.isoformat() == "2025-03-08" == second.joined_on.isoformat()
    assert first.id_verified and not third.id_verified and third.id_masked == "340602********0033"
    assert AuditEvent.objects.filter(verb="volunteers.volunteer_imported").count() == 3


def test_bad_file_imports_nothing_and_lists_every_problem(world):
    existing_number = id_number(900)
    VolunteerFactory(unit=world["east_community"], name="老队员", number=existing_number)
    rows = [
        _row(1),
        _row(2, 身份证号=id_number(1)),  # same number as row 4 (the first data row)
        _row(3, 身份证号=existing_number),  # already registered
        _row(4, 姓名="", 手机号="12345", 所属单位编码="NOPE", 注册日期="明天"),
        _row(5, 身份证号="34060219900101001"),
        _row(6, 所属单位编码="D02-S01-C01"),  # out of the street head's reach
        _row(7, 姓名="同名", 身份证号="340602********0077"),
        _row(8, 姓名="同名", 身份证号="340602********0077"),  # masked duplicate within the file
        _row(9, 所在社区编码="NO-AREA"),
    ]
    with pytest.raises(ImportFailed) as caught:
        services.import_volunteers(actor=world["street_head"], data=_xlsx(rows), filename="名册.xlsx")
    issues = {(i.row, i.column): i for i in caught.value.report.issues}
    assert "与第4行身份证号重复" in issues[(5, "身份证号")].reason
    assert "已登记" in issues[(6, "身份证号")].reason and "老队员" in issues[(6, "身份证号")].reason
    assert issues[(7, "姓名")].reason == "请填写姓名"
    assert "手机号" in issues[(7, "手机号")].reason
    assert issues[(7, "所属单位编码")].reason == "单位编码不存在"
    assert "有效日期" in issues[(7, "注册日期")].reason
    assert "18位" in issues[(8, "身份证号")].reason
    assert issues[(9, "所属单位编码")].reason == "无权在该单位登记志愿者"
    assert "疑似重复" in issues[(11, "身份证号")].reason
    assert issues[(12, "所在社区编码")].reason == "区域编码不存在"
    for issue in caught.value.report.issues:  # full ID numbers never appear in the report
        assert existing_number not in issue.value and id_number(1) not in issue.value
    assert Volunteer.objects.count() == 1


def test_masked_row_matching_a_registered_volunteer_is_refused(world):
    number = id_number(31)
    services.register_volunteer(
        actor=world["admin"], name="孙八", phone="13800000031", id_number=number, unit=world["east_community"]
    )
    data = _xlsx([_row(32, 姓名="孙八", 身份证号=f"{number[:6]}********{number[-4:]}")], title=False)
    with pytest.raises(ImportFailed) as caught:
        services.import_volunteers(actor=world["admin"], data=data)
    assert "疑似重复" in caught.value.report.issues[0].reason and caught.value.report.issues[0].row == 2


def test_missing_column_and_empty_file(world):
    workbook = Workbook()
    workbook.active.append(["姓名", "手机号"])
    workbook.active.append(["张三", "13800000001"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportFailed) as caught:
        services.import_volunteers(actor=world["admin"], data=buffer.getvalue())
    assert {i.column for i in caught.value.report.issues} == {"身份证号", "所属单位编码"}
    with pytest.raises(ImportFailed) as caught:
        services.import_volunteers(actor=world["admin"], data=_xlsx([]))
    assert "没有数据行" in caught.value.report.issues[0].reason
    with pytest.raises(ImportFailed):
        services.import_volunteers(actor=world["admin"], data=b"not a spreadsheet\x00\x01")


def test_export_masks_phones_and_numbers(world):
    number = id_number(41)
    services.register_volunteer(
        actor=world["admin"], name="周九", phone="13800000041", id_number=number, unit=world["east_community"]
    )
    content = services.export_volunteer_rows(Volunteer.objects.all())
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("周九", "138****0041", f"{number[:6]}********{number[-4:]}", "已核验")
    assert number not in str(rows) and "13800000041" not in str(rows)
