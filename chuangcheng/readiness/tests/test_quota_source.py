"""Where the forecast's sampling quotas come from, and refusing a forecast that would sample nothing."""

import pytest

from chuangcheng.core.errors import DomainError
from chuangcheng.places.tests.factories import SiteCategoryFactory, SiteFactory
from chuangcheng.readiness import services
from chuangcheng.readiness.models import ForecastRun
from chuangcheng.standards.models import SamplingQuota, Standard, StandardStatus
from chuangcheng.standards.tests.factories import CheckItemFactory, SamplingQuotaFactory, StandardFactory

pytestmark = pytest.mark.django_db


def test_quotas_fall_back_to_the_review_method(city):
    SamplingQuota.objects.filter(standard=city["standard"]).delete()
    review = StandardFactory(kind="sanitary_review", name="国家卫生城市评审", version="2015")
    SamplingQuotaFactory(standard=review, category=city["market"], min_samples_small=3, min_samples_medium=3)
    park = SiteCategoryFactory(code="park", name="公园广场")
    SiteFactory(category=park)
    CheckItemFactory(standard=city["standard"], title="绿地整洁", points=1, site_categories=[park])
    SamplingQuotaFactory(standard=review, category=park, min_samples_small=None, min_samples_medium=None)
    Standard.objects.filter(pk=review.pk).update(status=StandardStatus.PUBLISHED)
    run = services.run_forecast(actor=city["office_user"], standard=city["standard"], runs=200, seed=7, band="medium")
    assert [(row["name"], row["sample"]) for row in run.results["categories"]] == [("农贸市场", 3)]
    assert run.results["excluded"] == [{"name": "公园广场", "reason": "抽样配额待核实", "sites": 1, "sample": 0}]
    notes = run.results["notes"]
    assert any("国家卫生城市评审" in note and "待核实" in note for note in notes)
    assert any(note.startswith("仅 1 类点位纳入抽样，另有 1 类未纳入") for note in notes)


def test_forecast_that_would_sample_nothing_is_refused(city):
    SamplingQuota.objects.filter(standard=city["standard"]).delete()
    with pytest.raises(DomainError) as error:
        services.run_forecast(actor=city["office_user"], standard=city["standard"], runs=200, seed=7)
    assert error.value.field == "standard" and "无法预测" in error.value.message
    assert "农贸市场（无抽样配额）" in error.value.message
    assert not ForecastRun.objects.exists()
