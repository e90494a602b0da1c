"""Demo inspection windows and stored forecasts for 示范市 (演示), through the services; idempotent.

Besides the 巩卫 windows and forecast: the city's 创文 campaign (``programs.demo.seed_civilized_campaign``) gets a
文明城市测评 window, an observation-scored forecast on the demo 测评手册 (CIV-DEMO, 示例), a forecast on the demo
minors' manual (MINORS-DEMO) and a simulated 未成年人测评 result for this year, so the 双迎 page shows both titles.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.programs.titles import Family
from chuangcheng.readiness import services
from chuangcheng.readiness.models import ForecastRun, InspectionWindow, MinorsResult, MinorsSource, WindowKind

SEED = 2026
TITLES = {
    WindowKind.NATIONAL_UNDERCOVER: "国家卫生城市暗访（演示）",
    WindowKind.PROVINCIAL: "省爱卫办暗访复核（演示）",
}


@transaction.atomic
def seed_demo_readiness() -> tuple[list[InspectionWindow], ForecastRun | None]:
    office = User.objects.filter(username="office").first()
    if office is None:
        return [], None
    seed_demo_civilized(office)
    existing = list(InspectionWindow.objects.filter(title__in=TITLES.values()).order_by("earliest"))
    if existing:
        return existing, ForecastRun.objects.filter(window__in=existing).order_by("created_at").first()
    today = timezone.localdate()
    city_campaign, lower = _demo_campaigns()
    provincial = services.create_window(
        actor=office,
        kind=WindowKind.PROVINCIAL,
        title=TITLES[WindowKind.PROVINCIAL],
        earliest=today + timedelta(days=30),
        latest=today + timedelta(days=45),
        note="演示数据：日期为示例。",
        campaign=city_campaign,
    )
    national = services.create_window(
        actor=office,
        kind=WindowKind.NATIONAL_UNDERCOVER,
        title=TITLES[WindowKind.NATIONAL_UNDERCOVER],
        earliest=today + timedelta(days=90),
        latest=today + timedelta(days=150),
        note="演示数据：日期为示例，实际以上级通知为准。",
        campaign=city_campaign,
    )
    run = services.run_forecast(actor=office, window=national, runs=10_000, seed=SEED)
    own = [
        services.create_window(
            actor=office,
            kind=WindowKind.PROVINCIAL,
            title=f"{campaign.unit.name}{campaign.get_title_display()}评审暗访（演示）",
            earliest=today + timedelta(days=60 + 30 * n),
            latest=today + timedelta(days=75 + 30 * n),
            note="演示数据：下级创建活动自己的迎检窗口，日期为示例。",
            campaign=campaign,
        )
        for n, campaign in enumerate(lower)
    ]
    return [provincial, national, *own], run


def _demo_campaigns():
    """The demo's campaigns (``programs`` demo): the city's, and those below it, if they were seeded."""
    from chuangcheng.programs.models import Campaign

    demo = Campaign.objects.filter(is_demo=True).select_related("unit").order_by("unit__path", "id")
    demo = [c for c in demo if c.family == Family.SANITARY]
    city = next((c for c in demo if c.parent_id is None), None)
    return city, [c for c in demo if c.parent_id is not None]


CIVILIZED_WINDOW = "全国文明城市年度测评（演示）"


def seed_demo_civilized(office) -> ForecastRun | None:
    """The 创文 side of the demo (idempotent: keyed by the window's title)."""
    from chuangcheng.programs.demo import seed_civilized_campaign
    from chuangcheng.readiness.civil_inputs import is_observation_scored
    from chuangcheng.readiness.minors_services import record_minors_result
    from chuangcheng.standards.models import Standard, StandardKind, StandardStatus

    campaign = seed_civilized_campaign(office)
    if campaign is None or InspectionWindow.objects.filter(title=CIVILIZED_WINDOW).exists():
        return None
    today = timezone.localdate()
    window = services.create_window(
        actor=office,
        kind=WindowKind.CIVILIZED_CITY,
        title=CIVILIZED_WINDOW,
        earliest=today + timedelta(days=120),
        latest=today + timedelta(days=180),
        note="演示数据：年度测评时间为示例，实际以中央文明办通知为准。",
        campaign=campaign,
    )
    run = None
    if is_observation_scored(campaign.standard):
        run = services.run_forecast(
            actor=office, standard=campaign.standard, window=window, campaign=campaign, runs=10_000, seed=SEED
        )
    minors = Standard.objects.filter(kind=StandardKind.MINORS, status=StandardStatus.PUBLISHED).order_by("-id").first()
    if minors is not None and is_observation_scored(minors):
        minors_run = services.run_forecast(actor=office, standard=minors, campaign=campaign, runs=10_000, seed=SEED)
        observed = minors_run.results["summary"].get("rate") is not None
        if not MinorsResult.objects.filter(campaign=campaign, year=today.year).exists():
            record_minors_result(
                actor=office,
                campaign=campaign,
                year=today.year,
                source=MinorsSource.SIMULATED,
                score=None if observed else 88,
                standard=minors,
                run=minors_run if observed else None,
                note="演示数据："
                + (
                    "取示例未成年人测评手册上模拟预测的期望得分率。"
                    if observed
                    else "尚无模拟测评观察记录，得分 88 为示例。"
                ),
            )
    return run
