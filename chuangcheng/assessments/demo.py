"""The demo scheme (示例) and a published demo period: idempotent, all through services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from chuangcheng.assessments import services
from chuangcheng.assessments.models import Period, PeriodKind, Scheme

DEMO_CODE = "SFS-KH"
# Every number below is illustrative (示例): the facts give no points for a city's own scheme.
DEMO_RULES = (
    ("open_case", "未办结案件", "0.2", "", None, {}),
    ("overdue_case", "超期案件", "0.5", "", None, {}),
    ("overdue_case", "严重问题超期加扣", "1", "serious", None, {}),
    ("overdue_day", "超期每工作日", "0.05", "", Decimal(10), {}),
    ("sendback", "核查不合格返工", "0.5", "", None, {}),
    ("rebound", "问题反弹", "1", "", None, {}),
    ("unjustified_return", "无理退回（推诿）", "1", "", None, {}),
    ("finding", "督查发现问题", "0.5", "", Decimal(20), {"item_points": True}),
    ("negative_list", "负面清单事项", "5", "", None, {"from": "both"}),
    ("commendation", "表彰加分", "1", "", Decimal(3), {}),
    (
        "indicator_grade",
        "按期结案率等级",
        "0",
        "",
        None,
        {"indicator": "ontime_closure_rate", "grade_points": {"A": 1, "D": -1, "E": -2}},
    ),
    ("fund_deduction", "低于80分扣罚经费", "0", "", None, {"below_score": 80, "amount": 20000}),
    ("award_ineligible", "黑榜取消评先评优", "0", "", None, {"black_list": True}),
)
DEMO_GROUPS = (("区县", ["district"]), ("街道/乡镇", ["street"]), ("市直部门", ["department"]))


def seed_demo_assessments() -> tuple[Scheme, Period | None]:
    scheme = Scheme.objects.filter(code=DEMO_CODE).order_by("-version").first()
    if scheme is None:
        scheme = services.create_scheme(
            actor=None,
            code=DEMO_CODE,
            name="示范市创建工作月度专项、季度面上考核办法（示例）",
            description="演示用考核办法：分值均为示例，由创建办按本地考核办法修改后发布新版本。",
            red_count=2,
            black_count=2,
            max_deduction=Decimal(40),
            min_score=Decimal(0),
            is_sample=True,
        )
        for order, (name, kinds) in enumerate(DEMO_GROUPS):
            services.create_peer_group(actor=None, scheme=scheme, name=name, unit_kinds=kinds, sort_order=order)
        for order, (kind, label, points, severity, cap, params) in enumerate(DEMO_RULES):
            services.create_rule(
                actor=None,
                scheme=scheme,
                kind=kind,
                label=label,
                points=Decimal(points),
                severity=severity,
                cap=cap,
                params=params,
                sort_order=order,
                is_sample=True,
            )
        scheme = services.publish_scheme(scheme=scheme, actor=None)
    today = timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    name = f"{start.year}年{start.month}月专项考核（演示）"
    period = Period.objects.filter(name=name).first()
    if period is None:
        period = services.create_period(
            actor=None,
            scheme=scheme,
            kind=PeriodKind.MONTHLY,
            start=start,
            end=end,
            name=name,
            doc_number=f"示创办〔{today.year}〕1号",
            sign_date=min(today, date(end.year, end.month, end.day) + timedelta(days=5)),
        )
        period = services.compute_period(period=period, actor=None)
        period = services.publish_period(period=period, actor=None)
    return scheme, period
