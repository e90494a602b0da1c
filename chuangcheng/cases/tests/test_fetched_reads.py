"""The hot-path reads written once per process (``core.fetch.Select``): the same instances as the ORM, on SQLite
and PostgreSQL, and the same answers and errors where the API uses them (token authentication, a new case's
site, the rebound probe)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chuangcheng.accounts.authentication import PERSONAL_TOKENS
from chuangcheng.cases import rebounds, selectors
from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.serializers import INTAKE_SITES, CaseCreateSerializer
from chuangcheng.cases.tests.factories import CaseFactory
from chuangcheng.core.fetch import Select
from chuangcheng.places.models import Area, Site, SiteCategory
from chuangcheng.places.tests.factories import SiteFactory
from chuangcheng.standards.models import CheckItem
from chuangcheng.standards.tests.factories import CheckItemFactory

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_a_site_with_its_unit_and_category_equals_the_orms(world, django_assert_num_queries):
    site = SiteFactory(name='<b>"引号"\\路</b>', category=world.category, area=world.area, unit=None)
    for pk in (world.site.pk, site.pk):
        expected = Site.objects.select_related("unit", "category").get(pk=pk)
        with django_assert_num_queries(1):
            found = INTAKE_SITES.first(f"{INTAKE_SITES.col('id')} = %s", [pk])
            related = (found.unit, found.category)  # loaded with it: no further query
        assert _fields(found) == _fields(expected)
        assert (related[0] and _fields(related[0])) == (expected.unit and _fields(expected.unit))
        assert _fields(related[1]) == _fields(expected.category)
    assert INTAKE_SITES.first(f"{INTAKE_SITES.col('id')} = %s", [10**9]) is None


def test_converters_apply_as_in_the_orm_timestamps_booleans_and_json(world):
    """SQLite returns timestamps as text, booleans as integers and JSON as text: converted like the ORM does."""
    case = CaseFactory(title="转换", status=CaseStatus.CLOSED, closed_at=timezone.now(), category=world.category)
    reads = Select(Case)
    found = reads.first(f"{reads.col('id')} = %s", [case.pk])
    expected = Case.objects.get(pk=case.pk)
    assert _fields(found) == _fields(expected)
    assert found.closed_at.tzinfo is not None and isinstance(found.is_rebound, bool)
    token = Token.objects.create(user=world.office)
    read = PERSONAL_TOKENS.first(f"{PERSONAL_TOKENS.col('key')} = %s", [token.key])
    assert read.created == Token.objects.get(pk=token.pk).created and read.user == world.office
    assert isinstance(read.user.is_active, bool) and read.user.date_joined.tzinfo is not None


def test_token_authentication_answers_as_drfs(world):
    token = Token.objects.create(user=world.office)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/cases/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    refused = client.get("/api/v1/cases/")
    assert refused.status_code == 403 and refused.json()["detail"] == str(_("Invalid token."))
    world.office.is_active = False
    world.office.save(update_fields=["is_active"])
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    inactive = client.get("/api/v1/cases/")
    assert inactive.status_code == 403 and inactive.json()["detail"] == str(_("User inactive or deleted."))


class PlainSerializer(CaseCreateSerializer):
    check_item = serializers.PrimaryKeyRelatedField(queryset=CheckItem.objects.all(), required=False, allow_null=True)
    category = serializers.PrimaryKeyRelatedField(queryset=SiteCategory.objects.all(), required=False, allow_null=True)
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.all(), required=False, allow_null=True)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all(), required=False, allow_null=True)


@pytest.mark.parametrize("field", ["check_item", "category", "site", "area"])
@pytest.mark.parametrize("value", ["abc", True, 10**30, -(10**30), -1, 2**63, "", None, 1.5e300, [1], {"id": 1}])
def test_a_bad_relation_is_refused_like_a_primary_key_field(world, field, value):
    data = {"source": "patrol", "title": "垃圾", field: value}
    fetched, plain = CaseCreateSerializer(data=data), PlainSerializer(data=data)
    assert fetched.is_valid() == plain.is_valid()
    assert fetched.errors == plain.errors
    if not plain.is_valid() and value not in ("", None):
        assert fetched.errors[field]


def test_each_relation_is_found_as_the_orm_finds_it(world):
    item = CheckItemFactory()
    given = {"check_item": item, "category": world.alley, "site": world.site, "area": world.area}
    for name, obj in given.items():
        for value in (obj.pk, str(obj.pk)):
            serializer = CaseCreateSerializer(data={"source": "patrol", "title": "垃圾", name: value})
            assert serializer.is_valid(), serializer.errors
            assert _fields(serializer.validated_data[name]) == _fields(type(obj).objects.get(pk=obj.pk))


def test_a_site_given_as_text_or_number_is_found_with_its_relations(world, django_assert_num_queries):
    for value in (world.site.pk, str(world.site.pk)):
        with django_assert_num_queries(1):
            serializer = CaseCreateSerializer(data={"source": "patrol", "title": "垃圾", "site": value})
            assert serializer.is_valid(), serializer.errors
            site = serializer.validated_data["site"]
            assert (site.unit, site.category) == (world.street, world.category)


def test_the_rebound_probe_finds_the_latest_closed_case_at_the_site_or_near_the_point(world):
    now = timezone.now()
    old = CaseFactory(site=world.site, category=world.category, status=CaseStatus.CLOSED, closed_at=now - timedelta(5))
    latest = CaseFactory(site=world.site, category=world.category, status=CaseStatus.CLOSED, closed_at=now)
    near = CaseFactory(site=None, category=world.category, lng=121.0, lat=31.0, status=CaseStatus.CLOSED, closed_at=now)
    CaseFactory(site=None, category=world.category, lng=121.01, lat=31.0, status=CaseStatus.CLOSED, closed_at=now)
    probes = [
        rebounds.Probe(world.site.pk, None, world.category.pk, None, None),
        rebounds.Probe(None, None, world.category.pk, 121.0001, 31.0001),
        rebounds.Probe(None, None, world.alley.pk, 121.0001, 31.0001),  # another problem
        rebounds.Probe(None, None, None, 121.0, 31.0),  # nothing to compare
    ]
    assert rebounds.find_origins(probes, now=now) == [latest, near, None, None]
    assert old != latest
    too_old = now + timedelta(days=400)
    assert rebounds.find_origins(probes[:1], now=too_old) == [None]


def test_duplicates_show_only_what_each_user_sees_as_visible_to_does(world):
    """The kept scope SQL (``core.scoping.scope_where``) selects what ``visible_to`` selects, user by user."""
    base = {"category": world.category, "status": CaseStatus.DISPATCHED, "lng": 120.005, "lat": 30.005}
    cases = [
        CaseFactory(lead_unit=world.urban, **base),
        CaseFactory(lead_unit=world.market, unit=world.street, **base),
        CaseFactory(lead_unit=world.market, reported_by=world.grid, **{**base, "lng": 120.0051}),
        CaseFactory(lead_unit=world.district, **{**base, "status": CaseStatus.SUBMITTED}),
        CaseFactory(lead_unit=world.urban, **{**base, "status": CaseStatus.CLOSED}),  # closed: never a duplicate
    ]
    cases[3].cooperating_units.add(world.urban)
    users = ("office", "handler", "market_handler", "street_handler", "inspector", "leader", "grid", "nobody")
    for name in users:
        user = getattr(world, name)
        found = selectors.duplicate_candidates(category_id=world.category.pk, lng=120.005, lat=30.005, user=user)
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        expected = [c.pk for c in cases[:4] if c.pk in visible]
        assert sorted(c.pk for c in found) == sorted(expected), name
    assert selectors.duplicate_candidates(category_id=world.category.pk, lng=120.005, lat=30.005, user=None)
    hidden = selectors.duplicate_candidates(
        category_id=world.category.pk, lng=120.005, lat=30.005, user=world.nobody, exclude_pk=cases[0].pk
    )
    assert hidden == []
    near = selectors.duplicate_candidates(category_id=world.category.pk, lng=120.005, lat=30.005, user=world.office)
    assert [c.distance_m for c in near][:2] == [0, 0] and near[-1].pk == cases[2].pk  # nearest first
