"""Demo inspection windows and one stored forecast for 示范市 (演示), through the services; idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.readiness import services
from chuangcheng.readiness.models import ForecastRun, InspectionWindow, WindowKind

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
    city = next((c for c in demo if c.parent_id is None), None)
    return city, [c for c in demo if c.parent_id is not None]
