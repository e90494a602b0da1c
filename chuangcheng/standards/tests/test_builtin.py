import pytest
from django.core.management import call_command

from chuangcheng.places.tests.factories import SiteCategoryFactory
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    ClauseLevel,
    Indicator,
    SamplingQuota,
    Standard,
    StandardKind,
    StandardStatus,
)
from chuangcheng.standards.selectors import check_items_for_category, current_standard, sampling_totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_standards", verbosity=0)


def _standard(code: str, version: str) -> Standard:
    return Standard.objects.get(code=code, version=version)


def test_load_standards_2021_has_7_sections_45_articles_56_indicators(loaded):
    standard = _standard("NHC-SANITARY-CITY", "2021")
    assert standard.status == StandardStatus.PUBLISHED
    assert Clause.objects.filter(standard=standard, level=ClauseLevel.SECTION).count() == 7
    assert Clause.objects.filter(standard=standard, level=ClauseLevel.ARTICLE).count() == 45
    assert Indicator.objects.filter(standard=standard).count() == 56
    numbered = Indicator.objects.filter(standard=standard, number__isnull=False)
    assert sorted(numbered.values_list("number", flat=True)) == list(range(33, 57))


def test_load_standards_2021_indicators_1_to_32_have_unknown_targets(loaded):
    standard = _standard("NHC-SANITARY-CITY", "2021")
    first = Indicator.objects.filter(standard=standard, number__isnull=True)
    assert first.count() == 32
    assert not first.filter(threshold__isnull=False).exists()
    assert set(first.values_list("operator", flat=True)) == {""}
    assert all(first.values_list("uncertain", flat=True))


def test_load_standards_2021_known_targets_keep_trend_and_source(loaded):
    standard = _standard("NHC-SANITARY-CITY", "2021")
    myopia = Indicator.objects.get(standard=standard, number=33)
    assert myopia.operator == "trend_down" and myopia.threshold_text == "逐年下降"
    infant = Indicator.objects.get(standard=standard, number=39)
    assert (infant.operator, str(infant.threshold), infant.or_trend) == ("<=", "5.6000", "down")
    assert "zyqjg.com" in infant.source
    vectors = Indicator.objects.get(standard=standard, number=55)
    assert (vectors.operator, vectors.threshold_text) == ("level", "C")
    assert Indicator.objects.get(standard=standard, number=38).trend_window == 5


def test_load_standards_2014_has_8_sections_40_articles_and_thresholds(loaded):
    standard = _standard("NHC-SANITARY-CITY", "2014")
    assert Clause.objects.filter(standard=standard, level=ClauseLevel.SECTION).count() == 8
    assert Clause.objects.filter(standard=standard, level=ClauseLevel.ARTICLE).count() == 40
    green = Indicator.objects.get(standard=standard, name="建成区绿化覆盖率")
    assert (green.operator, green.threshold, green.is_hard) == (">=", 36, True)
    assert Indicator.objects.get(standard=standard, name="婴儿死亡率").threshold == 12


def test_load_standards_review_has_11_veto_items_and_sample_totals(loaded):
    review = current_standard(StandardKind.SANITARY_REVIEW)
    vetoes = CheckItem.objects.filter(standard=review, is_veto=True)
    assert vetoes.count() == 11
    assert sampling_totals(review) == (161, 215, 267)
    main_road = SamplingQuota.objects.get(standard=review, category_name="主次干道")
    assert (main_road.min_samples_small, main_road.min_samples_medium, main_road.min_samples_large) == (8, 12, 15)
    assert main_road.min_samples_for(1_000_000) == 12
    unknown = SamplingQuota.objects.get(standard=review, category_name="环境保护（小计）")
    assert unknown.min_samples_small is None


def test_load_standards_current_sanitary_is_2021(loaded):
    assert current_standard(StandardKind.SANITARY_CITY).version == "2021"
    for kind in (StandardKind.CIVILIZED_CITY, StandardKind.DIGITAL_CITY, StandardKind.HOTLINE):
        assert current_standard(kind) is not None


def test_load_standards_sample_checklist_points_are_flagged(loaded):
    standard = current_standard(StandardKind.SANITARY_CITY)
    with_points = CheckItem.objects.filter(standard=standard, points__isnull=False)
    assert with_points.exists()
    assert not with_points.filter(is_sample=False).exists()
    assert not CheckItem.objects.filter(points__isnull=False, is_sample=False).exists()
    # the code is read by inspectors on their phones beside the title: Chinese, not "SAMPLE-01"
    assert sorted(with_points.values_list("code", flat=True))[0] == "示例-01"
    assert not CheckItem.objects.filter(code__startswith="SAMPLE").exists()


def test_load_standards_digital_and_hotline_catalogs(loaded):
    digital = current_standard(StandardKind.DIGITAL_CITY)
    titles = set(Clause.objects.filter(standard=digital).values_list("title", flat=True))
    assert {"01 公用设施类", "06 其他设施类", "01 市容环境类", "05 街面秩序类"} <= titles
    hotline = current_standard(StandardKind.HOTLINE)
    limits = CheckItem.objects.filter(standard=hotline, deadline_days__isnull=False)
    assert set(limits.values_list("deadline_days", flat=True)) >= {3, 13}
    assert all(limits.values_list("is_sample", flat=True))
    assert Clause.objects.filter(standard=hotline, section__title="工单状态（示例）").count() == 12


def test_load_standards_twice_is_idempotent(loaded):
    counts = (Standard.objects.count(), Clause.objects.count(), CheckItem.objects.count(), Indicator.objects.count())
    call_command("load_standards", verbosity=0)
    assert counts == (
        Standard.objects.count(),
        Clause.objects.count(),
        CheckItem.objects.count(),
        Indicator.objects.count(),
    )


def test_load_standards_links_place_categories_by_code_or_name():
    market = SiteCategoryFactory(code="farmers_market", name="农贸市场")
    toilet = SiteCategoryFactory(code="custom", name="公共厕所")
    call_command("load_standards", verbosity=0)
    current = current_standard(StandardKind.SANITARY_CITY)
    assert check_items_for_category(current, market).count() >= 8
    assert check_items_for_category(current, toilet).exists()
    quota = SamplingQuota.objects.get(category_name="农贸（集贸）市场")
    assert quota.category == market


def test_load_standards_before_categories_links_on_rerun():
    call_command("load_standards", verbosity=0)
    market = SiteCategoryFactory(code="farmers_market", name="农贸市场")
    call_command("load_standards", verbosity=0)
    assert check_items_for_category(current_standard(StandardKind.SANITARY_CITY), market).exists()


def test_split_names_keeps_separator_inside_brackets():
    from chuangcheng.standards.builtin.categories import split_names

    text = "农贸市场、食品安全'三小'（小餐饮、小食品店、小作坊）；公共厕所"
    assert split_names(text) == ["农贸市场", "食品安全'三小'（小餐饮、小食品店、小作坊）", "公共厕所"]
