"""Comparing two versions of a standard, field by field (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from chuangcheng.standards.models import CheckItem, Clause, Indicator, Standard, method_labels

CLAUSE_COMPARED = ("title", "text", "level", "parent", "full_points", "methods", "uncertain")
ITEM_COMPARED = (
    "title",
    "clause",
    "site_categories",
    "points",
    "cap_per_site",
    "severity",
    "judgement",
    "full_points",
    "observations",
    "methods",
    "is_negative_list",
    "is_veto",
    "deadline_days",
    "department_kind",
    "is_sample",
    "uncertain",
)
INDICATOR_COMPARED = (
    "name",
    "clause",
    "number",
    "unit",
    "operator",
    "threshold",
    "threshold_text",
    "or_trend",
    "trend_window",
    "period_kind",
    "is_hard",
    "uncertain",
)
LABELS = {
    "title": "名称",
    "text": "内容",
    "level": "层级",
    "parent": "上级条款",
    "clause": "条款",
    "site_categories": "适用点位类别",
    "points": "扣分",
    "cap_per_site": "单点封顶",
    "severity": "严重程度",
    "judgement": "判定方式",
    "is_negative_list": "负面清单",
    "is_veto": "一票否决",
    "deadline_days": "整改时限",
    "department_kind": "责任部门类型",
    "is_sample": "示例",
    "uncertain": "待核实",
    "name": "指标",
    "number": "附表序号",
    "unit": "计量单位",
    "operator": "比较方式",
    "threshold": "目标值",
    "threshold_text": "目标值（文字）",
    "or_trend": "或趋势目标",
    "trend_window": "比较期数",
    "period_kind": "填报周期",
    "is_hard": "硬指标",
    "full_points": "分值",
    "observations": "观察频次",
    "methods": "测评方法",
}


@dataclass
class Section:
    """Differences for one kind of row, keyed by number/code."""

    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)

    def as_dict(self) -> dict:
        return {"added": self.added, "removed": self.removed, "changed": self.changed}


def _value(row, name: str):
    if name == "site_categories":
        return sorted(c.name for c in row.site_categories.all())
    if name in ("clause", "parent"):
        related = getattr(row, name)
        return related.number if related else None
    if name == "methods":
        return "、".join(method_labels(row.methods)) or None
    value = getattr(row, name)
    return None if value is None else (str(value.normalize()) if hasattr(value, "normalize") else value)


def _compare(old_rows: dict, new_rows: dict, fields: tuple[str, ...], label) -> Section:
    result = Section()
    for key in sorted(new_rows.keys() - old_rows.keys()):
        result.added.append({"key": key, "label": label(new_rows[key])})
    for key in sorted(old_rows.keys() - new_rows.keys()):
        result.removed.append({"key": key, "label": label(old_rows[key])})
    for key in sorted(old_rows.keys() & new_rows.keys()):
        old, new = old_rows[key], new_rows[key]
        fields_changed = {}
        for name in fields:
            before, after = _value(old, name), _value(new, name)
            if before != after:
                fields_changed[name] = {"label": LABELS[name], "old": before, "new": after}
        if fields_changed:
            result.changed.append({"key": key, "label": label(new), "fields": fields_changed})
    return result


def compare_versions(a: Standard, b: Standard) -> dict[str, Section]:
    """What changed from ``a`` (older) to ``b`` (newer): clauses by number, check items and
    indicators by code."""
    clauses_a = {c.number: c for c in Clause.objects.filter(standard=a).select_related("parent")}
    clauses_b = {c.number: c for c in Clause.objects.filter(standard=b).select_related("parent")}

    def items(standard):
        rows = CheckItem.objects.filter(standard=standard).select_related("clause").prefetch_related("site_categories")
        return {i.code: i for i in rows}

    def indicators(standard):
        return {i.code: i for i in Indicator.objects.filter(standard=standard).select_related("clause")}

    return {
        "clauses": _compare(clauses_a, clauses_b, CLAUSE_COMPARED, lambda c: f"{c.number} {c.title}"),
        "check_items": _compare(items(a), items(b), ITEM_COMPARED, lambda i: f"{i.code} {i.title}"),
        "indicators": _compare(indicators(a), indicators(b), INDICATOR_COMPARED, lambda i: f"{i.code} {i.name}"),
    }
