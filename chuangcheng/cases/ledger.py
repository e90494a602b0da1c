"""The 问题整改台账: rows for the xlsx export of the current filters (a read, no writes)."""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.cases import deadlines
from chuangcheng.core.workdays import calendar

LEDGER_COLUMNS = (
    "案件编号",
    "来源",
    "问题标题",
    "类别",
    "点位",
    "严重程度",
    "牵头单位",
    "状态",
    "上报时间",
    "派遣时间",
    "整改期限",
    "办结时间",
    "计时",
    "退回次数",
    "返工次数",
    "错派次数",
    "督办级别",
    "反弹",
    "分派依据",
)
LEDGER_WIDTHS = (16, 10, 36, 12, 20, 8, 18, 8, 18, 18, 12, 18, 16, 8, 8, 8, 8, 6, 30)
LIGHT_LABELS = {"green": "正常", "yellow": "临期", "red": "超期", "": ""}


def _dt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_rows(queryset, *, today=None):
    today = today or timezone.localdate()
    cal = calendar()
    for case in queryset.select_related("lead_unit", "category", "site").iterator(chunk_size=2000):
        clock = deadlines.clock(case, today, cal)
        yield [
            case.number,
            case.get_source_display(),
            case.title,
            case.category.name if case.category_id else "",
            case.site.name if case.site_id else "",
            case.get_severity_display(),
            case.lead_unit.name if case.lead_unit_id else "待分派",
            case.get_status_display(),
            _dt(case.created_at),
            _dt(case.dispatched_at),
            case.deadline.isoformat() if case.deadline else "",
            _dt(case.closed_at),
            f"{LIGHT_LABELS[clock.light]} {clock.label}".strip(),
            case.return_count,
            case.sendback_count,
            case.misroute_count,
            case.escalation_level,
            "是" if case.is_rebound else "",
            case.route_reason,
        ]
