from decimal import Decimal

import pytest

from chuangcheng.audit.models import AuditEvent
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.places.tests.factories import SiteCategoryFactory
from chuangcheng.standards import services
from chuangcheng.standards.comparison import compare_versions
from chuangcheng.standards.models import CheckItem, Clause, Indicator, StandardStatus
from chuangcheng.standards.tests.factories import (
    CheckItemFactory,
    ClauseFactory,
    IndicatorFactory,
    MaterialRequirementFactory,
    SamplingQuotaFactory,
    StandardFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(people):
    standard = StandardFactory()
    section = ClauseFactory(standard=standard, level="section", number="一", title="市容环境卫生")
    article = ClauseFactory(standard=standard, number="（十）", title="第十条", parent=section, section=section)
    market = SiteCategoryFactory(name="农贸市场")
    CheckItemFactory(standard=standard, clause=article, code="K1", points=Decimal("2"), site_categories=[market])
    IndicatorFactory(standard=standard, clause=article, code="I1", threshold=90)
    MaterialRequirementFactory(standard=standard, clause=article)
    SamplingQuotaFactory(standard=standard, category=market)
    return services.publish_standard(standard=standard, actor=people["office"])


def test_publish_standard_by_office_freezes_and_audits(published):
    assert published.status == StandardStatus.PUBLISHED and published.published_at
    assert AuditEvent.objects.filter(verb="standards.publish").exists()


def test_publish_standard_empty_draft_is_refused(people):
    with pytest.raises(DomainError, match="空的标准"):
        services.publish_standard(standard=StandardFactory(), actor=people["office"])


@pytest.mark.parametrize(
    "edit",
    [
        lambda s, a: services.update_standard(standard=s, actor=a, name="改名"),
        lambda s, a: services.create_clause(actor=a, standard=s, number="新", title="新条款"),
        lambda s, a: services.update_check_item(check_item=s.check_items.get(), actor=a, points=Decimal("5")),
        lambda s, a: services.update_indicator(indicator=s.indicators.get(), actor=a, threshold=Decimal("80")),
        lambda s, a: services.delete_row(actor=a, instance=s.clauses.first()),
        lambda s, a: services.delete_standard(standard=s, actor=a),
        lambda s, a: services.publish_standard(standard=s, actor=a),
        lambda s, a: services.import_rubric(actor=a, standard=s, data=b"x", filename="a.csv"),
    ],
)
def test_edit_published_standard_is_refused_in_chinese(published, people, edit):
    with pytest.raises(DomainError, match="已发布的标准版本不可修改"):
        edit(published, people["office"])


def test_model_save_on_published_tree_is_refused(published):
    item = CheckItem.objects.get(standard=published)
    item.points = Decimal("9")
    with pytest.raises(DomainError):
        item.save()
    with pytest.raises(DomainError):
        Clause.objects.filter(standard=published).first().delete()


def test_create_draft_from_published_deep_copies_tree(published, people):
    draft = services.create_draft_from(standard=published, actor=people["office"], version="2026草稿")
    assert draft.status == StandardStatus.DRAFT and draft.based_on == published
    assert draft.clauses.count() == 2 and draft.check_items.count() == 1
    article = draft.clauses.get(number="（十）")
    assert article.parent.standard == draft and article.section.standard == draft
    item = draft.check_items.get()
    assert item.clause == article
    assert list(item.site_categories.values_list("name", flat=True)) == ["农贸市场"]
    assert draft.indicators.get().clause == article
    assert draft.material_requirements.count() == 1 and draft.sampling_quotas.count() == 1
    services.update_check_item(check_item=item, actor=people["office"], points=Decimal("3"))
    assert CheckItem.objects.get(standard=published).points == Decimal("2")


def test_create_draft_from_duplicate_version_is_refused(published, people):
    with pytest.raises(DomainError, match="已存在"):
        services.create_draft_from(standard=published, actor=people["office"], version=published.version)


def test_create_draft_by_unit_user_is_not_permitted(published, people):
    with pytest.raises(NotPermitted):
        services.create_draft_from(standard=published, actor=people["health"])


def test_compare_versions_lists_added_removed_changed_field_by_field(published, people):
    office = people["office"]
    draft = services.create_draft_from(standard=published, actor=office)
    services.update_check_item(
        check_item=draft.check_items.get(), actor=office, points=Decimal("3"), severity="serious"
    )
    services.create_check_item(actor=office, standard=draft, code="K2", title="新检查项")
    services.delete_row(actor=office, instance=draft.indicators.get())
    services.update_clause(clause=draft.clauses.get(number="（十）"), actor=office, text="新内容")
    result = compare_versions(published, draft)
    assert [row["key"] for row in result["check_items"].added] == ["K2"]
    changed = result["check_items"].changed[0]
    assert changed["fields"]["points"]["old"] == "2" and changed["fields"]["points"]["new"] == "3"
    assert changed["fields"]["severity"] == {"label": "严重程度", "old": "normal", "new": "serious"}
    assert [row["key"] for row in result["indicators"].removed] == ["I1"]
    assert result["clauses"].changed[0]["fields"]["text"]["new"] == "新内容"


def test_update_clause_parent_cycle_is_refused(people):
    standard = StandardFactory()
    top = services.create_clause(actor=people["office"], standard=standard, number="1", title="一", level="section")
    child = services.create_clause(actor=people["office"], standard=standard, number="1.1", title="子", parent=top)
    assert child.section == top
    with pytest.raises(DomainError, match="上级条款"):
        services.update_clause(clause=top, actor=people["office"], parent=child)


def test_create_check_item_duplicate_code_and_negative_points_refused(people):
    standard = StandardFactory()
    services.create_check_item(actor=people["office"], standard=standard, code="A", title="甲")
    with pytest.raises(DomainError, match="已存在"):
        services.create_check_item(actor=people["office"], standard=standard, code="A", title="乙")
    with pytest.raises(DomainError, match="负数"):
        services.create_check_item(actor=people["office"], standard=standard, code="B", title="乙", points=Decimal(-1))


def test_update_indicator_threshold_from_unknown_in_draft(people):
    standard = StandardFactory()
    indicator = IndicatorFactory(standard=standard, operator="", threshold=None)
    updated = services.update_indicator(
        indicator=indicator, actor=people["office"], operator=">=", threshold=Decimal("95")
    )
    assert Indicator.objects.get(pk=updated.pk).threshold == Decimal("95")
