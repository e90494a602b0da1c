"""Official divisions: the catalog, ``load_divisions`` (idempotent, all-or-nothing, audited), its API and page."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from chuangcheng.accounts.models import Role
from chuangcheng.accounts.tests.factories import UserFactory, user_with_role
from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.org.models import Unit, UnitKind
from chuangcheng.org.tests.factories import UnitFactory
from chuangcheng.places import lookup
from chuangcheng.places.divisions import catalog
from chuangcheng.places.models import Area, AreaLevel, GeometrySource
from chuangcheng.places.services import load_divisions

pytestmark = pytest.mark.django_db

DUJI = "340602"  # 杜集区, 淮北市: 6 towns/streets, 56 villages/communities


@pytest.fixture
def office():
    city = UnitFactory(code="CITY-X", name="某市", kind=UnitKind.CITY)
    return user_with_role(Role.OFFICE_ADMIN, UnitFactory(code="OFFICE-X", kind=UnitKind.OFFICE, parent=city))


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_catalog_reads_the_package_codes_and_names():
    assert catalog.get("340600").name == "淮北市" and catalog.get("340600").level == catalog.CITY
    towns = catalog.children(DUJI)
    assert len(towns) == 6 and all(len(t.code) == 9 and t.parent == DUJI for t in towns)
    subtree = catalog.subtree(DUJI)
    assert subtree[0].code == DUJI and len(subtree) == 1 + 6 + 56
    assert {len(n.division_code) for n in subtree} == {6, 9, 12}
    with pytest.raises(catalog.UnknownDivision, match="不存在"):
        catalog.get("340699")


def test_load_a_county_builds_units_and_areas_with_official_codes_and_its_shape(office):
    result = load_divisions(actor=office, code=DUJI)
    assert (result.units_created, result.areas_created, result.shapes_attached) == (63, 63, 1)
    county = Unit.objects.get(division_code=DUJI)
    assert (county.code, county.name, county.kind, county.parent) == (DUJI, "杜集区", UnitKind.DISTRICT, None)
    towns = Unit.objects.filter(parent=county)
    assert towns.count() == 6 and set(towns.values_list("kind", flat=True)) == {UnitKind.STREET}
    villages = Unit.objects.filter(kind=UnitKind.COMMUNITY, path__startswith=county.path)
    assert villages.count() == 56 and all(len(u.division_code) == 12 for u in villages)
    area = Area.objects.get(division_code=DUJI)
    assert area.level == AreaLevel.DISTRICT and area.unit == county
    assert area.geometry_source == GeometrySource.PACKAGE and area.area_m2 > 100_000_000
    assert not Area.objects.filter(level=AreaLevel.STREET).exclude(geometry=None).exists()  # no package shapes
    town_area = Area.objects.filter(level=AreaLevel.STREET).select_related("parent", "unit").first()
    assert town_area.parent == area and town_area.unit.division_code == town_area.division_code
    assert [a.name for a in lookup.locate(area.min_lng + (area.max_lng - area.min_lng) / 2, area.min_lat + 0.05)] in (
        ["杜集区"],
        [],
    )
    event = AuditEvent.objects.get(verb="places.divisions_loaded")
    assert event.changes["units"] == [0, 63] and event.unit_id == county.pk


def test_second_run_adds_nothing_and_renames_changed_names_with_an_audit_row(office):
    load_divisions(actor=office, code=DUJI)
    before = (Unit.objects.count(), Area.objects.count(), AuditEvent.objects.count())
    again = load_divisions(actor=office, code=DUJI)
    assert (again.units_created, again.areas_created, again.renamed) == (0, 0, 0)
    assert (Unit.objects.count(), Area.objects.count(), AuditEvent.objects.count()) == before
    town = Unit.objects.get(division_code="340602001")
    Unit.objects.filter(pk=town.pk).update(name="旧名街道")
    Area.objects.filter(division_code="340602001").update(name="旧名街道")
    renamed = load_divisions(actor=office, code=DUJI)
    assert renamed.renamed == 2 and Unit.objects.count() == before[0]
    assert Unit.objects.get(pk=town.pk).name == town.name
    event = AuditEvent.objects.get(verb="org.unit_renamed")
    assert event.changes == {"name": ["旧名街道", town.name]}
    assert AuditEvent.objects.filter(verb="places.area_renamed").count() == 1


def test_a_county_hangs_under_its_city_when_the_city_was_loaded(office):
    city = UnitFactory(code="HB", name="淮北市", kind=UnitKind.CITY, division_code="340600")
    load_divisions(actor=office, code=DUJI)
    assert Unit.objects.get(division_code=DUJI).parent == city


@pytest.mark.parametrize(
    ("code", "message"),
    [("340699", "不存在"), ("34060", "6 位"), ("340000", "请选择一个市或区县"), ("abcdef", "6 位")],
)
def test_a_code_that_does_not_exist_is_refused_in_chinese_naming_the_field(office, code, message):
    with pytest.raises(DomainError, match=message) as error:
        load_divisions(actor=office, code=code)
    assert error.value.field == "code" and "行政区划代码" in error.value.message
    assert not Unit.objects.exclude(code__in=["CITY-X", "OFFICE-X"]).exists() and not Area.objects.exists()


def test_all_or_nothing_when_a_planned_unit_code_is_taken(office):
    UnitFactory(code="340602001", name="别的单位", kind=UnitKind.OTHER, division_code="110101001")
    units, areas = Unit.objects.count(), Area.objects.count()
    with pytest.raises(DomainError, match="340602001"):
        load_divisions(actor=office, code=DUJI)
    assert (Unit.objects.count(), Area.objects.count()) == (units, areas)
    assert not AuditEvent.objects.filter(verb="places.divisions_loaded").exists()


def test_only_the_office_may_load_divisions(office):
    head = user_with_role(Role.UNIT_HEAD, UnitFactory(kind=UnitKind.DISTRICT))
    with pytest.raises(NotPermitted):
        load_divisions(actor=head, code=DUJI)
    url = reverse("places-divisions-load")
    assert client_for(None).post(url, {"code": DUJI}).status_code in (401, 403)
    assert client_for(head).post(url, {"code": DUJI}).status_code == 403
    assert client_for(UserFactory()).post(url, {"code": DUJI}).status_code == 403
    assert not Unit.objects.filter(division_code=DUJI).exists()
    response = client_for(office).post(url, {"code": DUJI}, content_type="application/json")
    assert response.status_code == 201 and response.json()["units_created"] == 63
    assert client_for(office).post(url, {"code": DUJI}, content_type="application/json").status_code == 200
    bad = client_for(office).post(url, {"code": "340699"}, content_type="application/json")
    assert bad.status_code == 422 and "不存在" in bad.json()["detail"]


def test_division_list_api_cascades_and_marks_what_is_loaded(office):
    url = reverse("places-divisions")
    assert client_for(None).get(url).status_code in (401, 403)
    provinces = client_for(office).get(url).json()["results"]
    assert len(provinces) == 31 and provinces[0] == {
        "code": "110000",
        "name": "北京市",
        "level": 1,
        "level_label": "省",
        "loaded": False,
    }
    load_divisions(actor=office, code=DUJI)
    counties = {row["name"]: row for row in client_for(office).get(url, {"parent": "340600"}).json()["results"]}
    assert counties["杜集区"]["loaded"] and not counties["相山区"]["loaded"]
    assert client_for(office).get(url, {"parent": "999999"}).status_code == 422


def test_the_page_loads_a_county_and_reports_what_it_did(office):
    url = reverse("places:divisions")
    assert client_for(None).get(url).status_code == 302
    assert client_for(user_with_role(Role.UNIT_HEAD, UnitFactory())).get(url).status_code == 403
    page = client_for(office).get(url)
    assert page.status_code == 200 and "按行政区划建立辖区" in page.content.decode()
    assert "<script>" not in page.content.decode()
    response = client_for(office).post(url, {"code": DUJI}, follow=True)
    text = response.content.decode()
    assert "杜集区（340602）" in text and "新增单位 63 个" in text
    bad = client_for(office).post(url, {"code": "340699"}).content.decode()
    assert "行政区划代码“340699”不存在" in bad


def test_command_loads_and_names_a_bad_code():
    call_command("load_divisions", "--code", DUJI)
    assert Unit.objects.filter(division_code__startswith=DUJI).count() == 63
    with pytest.raises(CommandError, match="行政区划代码“340699”不存在"):
        call_command("load_divisions", "--code", "340699")
