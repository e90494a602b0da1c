import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from rest_framework.test import APIClient

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import NotPermitted
from chuangcheng.core.tabular import ImportFailed
from chuangcheng.places import lookup, services
from chuangcheng.places.models import Area, Site
from chuangcheng.places.tests.factories import square

pytestmark = pytest.mark.django_db


def feature(code, *, level=5, parent="D01", unit="D01", geometry=None, name="网格", population=100):
    return {
        "type": "Feature",
        "properties": {
            "code": code,
            "name": name,
            "level": level,
            "parent_code": parent,
            "unit_code": unit,
            "population": population,
        },
        "geometry": geometry or square(120.0, 30.0, 0.005),
    }


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def issues(exc_info):
    return {(issue.row, issue.column) for issue in exc_info.value.report.issues}


def test_import_areas_creates_tree_and_reassigns_sites(city):
    office = city["users"]["office"]
    site = city["sites"]["east"]  # at 120.005, 30.005: on the new grids' shared corner
    data = collection(
        feature("D01-C01", level=4, parent="D01", geometry=square(120.0, 30.0, 0.01)),
        feature("D01-C01-G02", parent="D01-C01", geometry=square(120.005, 30.0, 0.005)),
        feature("D01-C01-G01", parent="D01-C01", geometry=square(120.0, 30.0, 0.005)),
    )
    created = services.import_areas_geojson(actor=office, data=json.dumps(data).encode())
    assert {a.code for a in created} == {"D01-C01", "D01-C01-G01", "D01-C01-G02"}
    grid = Area.objects.get(code="D01-C01-G01")
    assert grid.parent.code == "D01-C01" and grid.unit.code == "D01" and grid.population == 100
    assert grid.min_lng == pytest.approx(120.0) and grid.area_m2 > 0
    # the point is on the corner of three level-5 areas: the lowest code wins
    assert [a.code for a in lookup.locate(120.005, 30.005)] == ["D01-C01-G01", "D01-C01", "D01", "CITY"]
    site.refresh_from_db()
    assert site.area.code == "D01-C01-G01"
    assert AuditEvent.objects.filter(verb="places.areas_imported").exists()


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        (
            feature(
                "X1",
                geometry={
                    "type": "Polygon",
                    "coordinates": [[[120, 30], [120.01, 30.01], [120.01, 30], [120, 30.01], [120, 30]]],
                },
            ),
            "geometry",
            "自相交",
        ),
        (feature("X1", geometry={"type": "Polygon", "coordinates": [[[120, 30], [120.01, 30]]]}), "geometry", ""),
        (feature("X1", geometry={"type": "Point", "coordinates": [120, 30]}), "geometry", "Polygon"),
        (feature("X1", parent="NOPE"), "parent_code", "上级区域不存在"),
        (feature("X1", unit="NOPE"), "unit_code", "属地单位不存在"),
        (feature("D01-G01"), "code", "已存在"),
        (feature("X1", level=9), "level", "层级"),
        (feature("X1", level=2, parent="D01"), "parent_code", "层级必须高于"),
        (feature("X1", population="很多"), "population", "非负整数"),
        (feature("", name=""), "code", "不能为空"),
    ],
)
def test_import_areas_rejects_bad_feature_and_imports_nothing(city, bad, column, reason):
    good = feature("OK-1")
    with pytest.raises(ImportFailed) as exc_info:
        services.import_areas_geojson(actor=city["users"]["office"], data=collection(good, bad))
    rows = {(issue.row, issue.column): issue.reason for issue in exc_info.value.report.issues}
    assert (2, column) in rows, rows
    assert reason in rows[(2, column)]
    assert not Area.objects.filter(code="OK-1").exists()


def test_import_areas_duplicate_code_in_file(city):
    with pytest.raises(ImportFailed) as exc_info:
        services.import_areas_geojson(actor=city["users"]["office"], data=collection(feature("Z1"), feature("Z1")))
    assert issues(exc_info) == {(2, "code")}


@pytest.mark.parametrize(
    "data", [b"not json", json.dumps({"type": "Feature"}).encode(), json.dumps(collection()).encode()]
)
def test_import_areas_rejects_bad_file(city, data):
    with pytest.raises(ImportFailed) as exc_info:
        services.import_areas_geojson(actor=city["users"]["office"], data=data)
    assert exc_info.value.report.issues[0].row is None


def test_import_areas_by_unit_head_is_forbidden(city):
    with pytest.raises(NotPermitted):
        services.import_areas_geojson(actor=city["users"]["east"], data=collection(feature("Z1")))


def test_import_areas_api_returns_itemised_report(city):
    client = APIClient()
    client.force_authenticate(city["users"]["office"])
    upload = io.BytesIO(json.dumps(collection(feature("Z1", parent="NOPE"))).encode())
    upload.name = "areas.geojson"
    response = client.post("/api/v1/areas/import/", {"file": upload}, format="multipart")
    assert response.status_code == 422
    assert response.json()["errors"][0]["column"] == "parent_code"
    ok = client.post("/api/v1/areas/import/", collection(feature("Z2")), format="json")
    assert ok.status_code == 201 and ok.json() == {"created": 1}


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = list(services.SITE_COLUMNS)


def test_import_sites_with_area_from_lookup(city):
    data = xlsx(
        [
            HEADER,
            ["S-I1", "幸福路公厕", "农贸市场", "东城区幸福路1号", 120.002, 30.002, "", "DEPT-CG"],
            ["S-I2", "西城市场", "farmers_market", "", "119.983", "30.004", "D02", ""],
        ]
    )
    created = services.import_sites(actor=city["users"]["office"], data=data, filename="sites.xlsx")
    assert [s.code for s in created] == ["S-I1", "S-I2"]
    first = Site.objects.get(code="S-I1")
    assert first.area == city["areas"]["east_grid"] and first.unit == city["units"]["east"]
    assert first.department == city["units"]["dept"]
    assert Site.objects.get(code="S-I2").unit == city["units"]["west"]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["S-E1", "重复", "农贸市场", "", 120.002, 30.002, "", ""], "点位编码", "已存在"),
        (["S-B1", "", "农贸市场", "", 120.002, 30.002, "", ""], "点位名称", "不能为空"),
        (["S-B1", "坏类别", "火星基地", "", 120.002, 30.002, "", ""], "类别", "未知点位类别"),
        (["S-B1", "坏经度", "农贸市场", "", "东经120", 30.002, "", ""], "经度", "数字"),
        (["S-B1", "坏纬度", "农贸市场", "", 120.002, 95, "", ""], "纬度", "-90～90"),
        (["S-B1", "城外", "农贸市场", "", 121.5, 30.002, "", ""], "经度", "不在本市范围内"),
        (["S-B1", "坏单位", "农贸市场", "", 120.002, 30.002, "NOPE", ""], "属地单位编码", "单位不存在"),
        (["S-B1", "坏部门", "农贸市场", "", 120.002, 30.002, "", "NOPE"], "主管部门编码", "单位不存在"),
    ],
)
def test_import_sites_rejects_bad_row_and_imports_nothing(city, row, column, reason):
    data = xlsx([HEADER, ["S-OK", "好点位", "农贸市场", "", 120.002, 30.002, "", ""], row])
    with pytest.raises(ImportFailed) as exc_info:
        services.import_sites(actor=city["users"]["office"], data=data, filename="sites.xlsx")
    rows = {(issue.row, issue.column): issue.reason for issue in exc_info.value.report.issues}
    assert (3, column) in rows, rows
    assert reason in rows[(3, column)]
    assert not Site.objects.filter(code="S-OK").exists()


def test_import_sites_duplicate_code_in_file(city):
    data = xlsx(
        [HEADER, ["S-D", "一", "农贸市场", "", 120.002, 30.002], ["S-D", "二", "农贸市场", "", 120.003, 30.002]]
    )
    with pytest.raises(ImportFailed) as exc_info:
        services.import_sites(actor=city["users"]["office"], data=data)
    assert issues(exc_info) == {(3, "点位编码")}


def test_import_sites_missing_column_and_wrong_file_type(city):
    with pytest.raises(ImportFailed) as exc_info:
        services.import_sites(actor=city["users"]["office"], data=xlsx([["点位编码", "点位名称"], ["A", "B"]]))
    assert {issue.column for issue in exc_info.value.report.issues} == {"类别", "经度", "纬度"}
    with pytest.raises(ImportFailed) as exc_info:
        services.import_sites(actor=city["users"]["office"], data=b"\x00\x01\x02binary", filename="x.png")
    assert "文件类型错误" in exc_info.value.report.issues[0].reason


def test_site_export_round_trips_columns(city):
    client = APIClient()
    client.force_authenticate(city["users"]["east"])
    response = client.get("/api/v1/sites/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert [r[0] for r in rows[1:]] == ["S-E1"]  # scoped
    assert rows[1][6] == "D01" and rows[1][7] == "DEPT-CG"


def test_import_sites_api_by_unit_head_is_forbidden(city):
    client = APIClient()
    client.force_authenticate(city["users"]["east"])
    upload = io.BytesIO(xlsx([HEADER, ["S-Z", "点", "农贸市场", "", 120.002, 30.002]]))
    upload.name = "sites.xlsx"
    assert client.post("/api/v1/sites/import/", {"file": upload}, format="multipart").status_code == 403
