"""A pass probability from a few sampled place categories is withheld as a headline (issue 13, item 7)."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from chuangcheng.places.tests.factories import SiteCategoryFactory, SiteFactory
from chuangcheng.readiness import selectors, services
from chuangcheng.readiness.coverage import coverage_of
from chuangcheng.standards.tests.factories import SamplingQuotaFactory

pytestmark = pytest.mark.django_db


def _page(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("readiness:index")).content.decode()


def _headline(html: str) -> str:
    return re.search(r'id="p-pass">([^<]*)<', html).group(1)


def _thin_city(city):
    """Two more categories the evaluation samples but the forecast cannot: quota 待核实, and no check items;
    one more with no quota at all (the evaluation does not sample it either)."""
    toilets, schools, parks = (SiteCategoryFactory(name=name) for name in ("公共厕所", "学校", "公园广场"))
    SamplingQuotaFactory(standard=city["standard"], category=toilets, min_samples_medium=None)
    SamplingQuotaFactory(standard=city["standard"], category=schools, min_samples_medium=3)
    for category, count in ((toilets, 10), (schools, 4), (parks, 5)):
        for _ in range(count):
            SiteFactory(category=category)


def test_full_coverage_headlines_the_probability(city):
    run = services.run_forecast(actor=city["office_user"], runs=300, seed=5)
    assert run.coverage.categories_sampled == 1 and run.coverage.categories_total == 1 and run.coverage.sufficient
    html = _page(city["leader"])
    assert _headline(html) == f"{run.p_pass * 100:.1f}%"
    assert "覆盖不足" not in html
    assert "覆盖点位 6/6 个" in html


def test_thin_coverage_withholds_the_headline_and_shows_coverage_first(city):
    _thin_city(city)
    run = services.run_forecast(actor=city["office_user"], runs=300, seed=5)
    coverage = run.coverage
    assert (coverage.categories_sampled, coverage.categories_total, coverage.categories_without_quota) == (1, 3, 1)
    assert (coverage.sites_covered, coverage.sites_total) == (6, 20)
    assert not coverage.sufficient
    html = _page(city["leader"])
    assert _headline(html) == "覆盖不足"
    assert html.index('id="coverage"') < html.index('id="p-pass"')
    assert "仅 1/3 类点位纳入抽样" in html and "仅供参考" in html
    # the simulated figure is still there, but only as a qualified note
    assert f"模拟值 {run.p_pass * 100:.1f}%" in html
    # and it is not averaged into the combined readiness
    part = next(p for p in selectors.readiness_parts(city["leader"]) if p["key"] == "forecast")
    assert part["value"] is None and part["display"] == "覆盖不足"
    assert selectors.combined_readiness([part]) is None


def test_threshold_is_a_setting(city):
    _thin_city(city)
    services.run_forecast(actor=city["office_user"], runs=300, seed=5)
    with override_settings(READINESS_MIN_COVERAGE=0.3):
        assert _headline(_page(city["leader"])).endswith("%")
    with override_settings(READINESS_MIN_COVERAGE=0.5):
        assert _headline(_page(city["leader"])) == "覆盖不足"


def test_api_reports_coverage_with_the_run(city):
    _thin_city(city)
    client = APIClient()
    client.force_authenticate(city["leader"])
    body = client.post("/api/v1/readiness/runs/", {"runs": 200, "seed": 1}, format="json").json()
    assert body["coverage"]["categories_sampled"] == 1 and body["coverage"]["categories_total"] == 3
    assert body["coverage"]["sufficient"] is False


def test_coverage_of_old_results_without_exclusions():
    coverage = coverage_of({"categories": [{"sites": 4}], "excluded": []}, threshold=0.8)
    assert coverage.ratio == 1.0 and coverage.sufficient
    assert not coverage_of({}, threshold=0.8).sufficient
