import json

import pytest
from django.core.management import call_command

from chuangcheng.audit.models import AuditEvent
from chuangcheng.places.catalog import CATEGORIES
from chuangcheng.places.models import SiteCategory, SiteCategoryGroup
from chuangcheng.places.services.categories import SNAPSHOT, build_rows, load_site_categories

pytestmark = pytest.mark.django_db


def facts():
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_load_site_categories_creates_every_catalog_entry_with_source():
    created, updated = load_site_categories(actor=None, facts=facts())
    assert (created, updated) == (len(CATEGORIES), 0)
    market = SiteCategory.objects.get(code="farmers_market")
    assert market.name == "农贸市场"
    assert market.group == SiteCategoryGroup.BOTH
    assert "http" in market.source and "DESIGN.md" in market.source
    assert "五公示" in market.focus
    assert SiteCategory.objects.get(code="back_alley").geometry_kind == "line"
    assert all(category.source for category in SiteCategory.objects.all())


def test_load_site_categories_twice_changes_nothing():
    load_site_categories(actor=None, facts=facts())
    events = AuditEvent.objects.count()
    assert load_site_categories(actor=None, facts=facts()) == (0, 0)
    assert AuditEvent.objects.count() == events


def test_load_site_categories_refreshes_edited_rows():
    load_site_categories(actor=None, facts=facts())
    SiteCategory.objects.filter(code="school").update(name="旧名称")
    assert load_site_categories(actor=None, facts=facts()) == (0, 1)
    assert SiteCategory.objects.get(code="school").name == "学校及周边"


def test_catalog_leaves_out_subtotals_and_organisational_checks():
    names = {row["name"] for row in build_rows(facts())}
    assert not any("小计" in name or "爱卫" in name or "健教" in name for name in names)
    assert {"农贸市场", "背街小巷", "主次干道", "公共厕所", "垃圾中转站", "窗口单位"} <= names


def test_every_catalog_entry_is_found_in_the_facts():
    for row in build_rows(facts()):
        assert "“" in row["source"], row["code"]


def test_command_is_idempotent(capsys):
    call_command("load_site_categories")
    call_command("load_site_categories")
    assert "新增 0 个" in capsys.readouterr().out
