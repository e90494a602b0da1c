"""Writes for the office's rules: routing rules, deadline rules and the per-source verification
requirement (each audited, office only).

Re-exported by ``cases.services``. A deadline rule applies to deadlines started after it is saved;
running clocks keep the deadline they were given.
"""

from __future__ import annotations

from django.db import transaction

from chuangcheng.accounts.permissions import is_top_office, require_in_jurisdiction
from chuangcheng.audit.services import record
from chuangcheng.cases.conf import setting
from chuangcheng.cases.models import CaseSource, DeadlineRule, RoutingRule, Severity, SourcePolicy
from chuangcheng.cases.permissions import can_manage_rules
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.scoping import scope_of

RULE_FIELDS = ("name", "check_item", "category", "area", "lead_unit", "priority", "is_active", "note")


def _require_rule_editor(actor) -> None:
    if not can_manage_rules(actor):
        raise NotPermitted("只有创建办可以维护分派规则")


def _check_rule(check_item, category, area) -> None:
    if check_item is None and category is None and area is None:
        raise DomainError("检查项、类别、区域至少填写一项", field="category")


def _check_rule_ground(actor, lead_unit, area, cooperating_units) -> None:
    """A lower level's office routes only on its own ground: its rules name an area of its jurisdiction."""
    if not scope_of(actor).sees_all and area is None:
        raise DomainError("本级创建办的分派规则须限定本辖区内的区域", field="area")
    require_in_jurisdiction(actor, [area], field="area", label="区域")
    require_in_jurisdiction(actor, [lead_unit], field="lead_unit", label="牵头单位")
    require_in_jurisdiction(actor, cooperating_units or (), field="cooperating_units", label="协办单位")


@transaction.atomic
def create_routing_rule(
    *,
    actor,
    name: str,
    lead_unit,
    check_item=None,
    category=None,
    area=None,
    cooperating_units=(),
    priority: int = 0,
    is_active: bool = True,
    note: str = "",
) -> RoutingRule:
    _require_rule_editor(actor)
    _check_rule(check_item, category, area)
    _check_rule_ground(actor, lead_unit, area, cooperating_units)
    if lead_unit is None:
        raise DomainError("请选择牵头单位", field="lead_unit")
    rule = RoutingRule.objects.create(
        name=(name or "").strip() or "未命名规则",
        lead_unit=lead_unit,
        check_item=check_item,
        category=category,
        area=area,
        priority=priority,
        is_active=is_active,
        note=note,
    )
    rule.cooperating_units.set([u for u in cooperating_units if u.pk != lead_unit.pk])
    record(
        actor=actor,
        verb="cases.routing_rule_created",
        target=rule,
        unit=lead_unit,
        changes={"name": [None, rule.name], "lead_unit": [None, lead_unit.pk]},
    )
    return rule


@transaction.atomic
def update_routing_rule(*, rule: RoutingRule, actor, cooperating_units=None, **changes) -> RoutingRule:
    _require_rule_editor(actor)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    rule = RoutingRule.objects.select_for_update(no_key=True).get(pk=rule.pk)
    delta = {}
    for name, value in changes.items():
        old = getattr(rule, name)
        if old != value:
            delta[name] = [getattr(old, "pk", old), getattr(value, "pk", value)]
            setattr(rule, name, value)
    _check_rule(rule.check_item, rule.category, rule.area)
    _check_rule_ground(actor, rule.lead_unit, rule.area, cooperating_units)
    if rule.lead_unit_id is None:
        raise DomainError("请选择牵头单位", field="lead_unit")
    rule.name = (rule.name or "").strip() or "未命名规则"
    rule.save()
    if cooperating_units is not None:
        rule.cooperating_units.set([u for u in cooperating_units if u.pk != rule.lead_unit_id])
        delta["cooperating_units"] = [None, [u.pk for u in cooperating_units]]
    record(actor=actor, verb="cases.routing_rule_updated", target=rule, unit=rule.lead_unit, changes=delta)
    return rule


@transaction.atomic
def delete_routing_rule(*, rule: RoutingRule, actor) -> None:
    _require_rule_editor(actor)
    record(
        actor=actor,
        verb="cases.routing_rule_deleted",
        target=rule,
        unit=rule.lead_unit,
        changes={"name": [rule.name, None]},
    )
    rule.delete()


# --- deadline rules ------------------------------------------------------------------------

DEADLINE_RULE_FIELDS = ("category", "severity", "days", "note")
MAX_DEADLINE_DAYS = 365


def _require_deadline_editor(actor) -> None:
    if not is_top_office(actor):
        raise NotPermitted("只有创建办可以维护整改期限规则")


def _check_deadline_rule(rule: DeadlineRule) -> None:
    if rule.severity not in ("", *Severity.values):
        raise DomainError(f"未知的严重程度“{rule.severity}”", field="severity")
    try:
        days = int(rule.days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DEADLINE_DAYS:
        raise DomainError(f"整改期限须为 1–{MAX_DEADLINE_DAYS} 个工作日", field="days")
    rule.days = days
    same = DeadlineRule.objects.filter(category_id=rule.category_id, severity=rule.severity).exclude(pk=rule.pk)
    if same.exists():  # checked here too: the unique constraint lets two “any category” rows through
        raise DomainError("该类别与严重程度的期限规则已存在，请修改原规则", field="severity")


def _deadline_changes(rule: DeadlineRule) -> dict:
    return {"category": rule.category_id, "severity": rule.severity, "days": rule.days}


@transaction.atomic
def create_deadline_rule(*, actor, days, category=None, severity: str = "", note: str = "") -> DeadlineRule:
    _require_deadline_editor(actor)
    rule = DeadlineRule(category=category, severity=severity or "", days=days, note=(note or "").strip())
    _check_deadline_rule(rule)
    rule.save()
    record(
        actor=actor,
        verb="cases.deadline_rule_created",
        target=rule,
        changes={key: [None, value] for key, value in _deadline_changes(rule).items()},
    )
    return rule


@transaction.atomic
def update_deadline_rule(*, rule: DeadlineRule, actor, **changes) -> DeadlineRule:
    _require_deadline_editor(actor)
    unknown = set(changes) - set(DEADLINE_RULE_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    rule = DeadlineRule.objects.select_for_update(no_key=True).get(pk=rule.pk)
    before = _deadline_changes(rule)
    for name, value in changes.items():
        setattr(rule, name, value if name != "severity" else (value or ""))
    _check_deadline_rule(rule)
    rule.save()
    after = _deadline_changes(rule)
    delta = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    record(actor=actor, verb="cases.deadline_rule_updated", target=rule, changes=delta)
    return rule


@transaction.atomic
def delete_deadline_rule(*, rule: DeadlineRule, actor) -> None:
    _require_deadline_editor(actor)
    record(
        actor=actor,
        verb="cases.deadline_rule_deleted",
        target=rule,
        changes={key: [value, None] for key, value in _deadline_changes(rule).items()},
    )
    rule.delete()


# --- per-source verification requirements -------------------------------------------------


def verify_photo_sources() -> set[str]:
    """The sources whose cases are verified only with the verifier's on-site photo: the office's
    ``SourcePolicy`` rows, else the deployment default ``CASES_VERIFY_PHOTO_SOURCES``."""
    chosen = dict(SourcePolicy.objects.values_list("source", "verify_photo_required"))
    default = set(setting("CASES_VERIFY_PHOTO_SOURCES") or ())
    return {source for source in CaseSource.values if chosen.get(source, source in default)}


@transaction.atomic
def set_verify_photo_sources(*, actor, sources) -> set[str]:
    """The office names the sources whose verification needs an on-site photo (all others: not)."""
    if not is_top_office(actor):
        raise NotPermitted("只有创建办可以设置核查要求")
    sources = {str(source) for source in sources}
    unknown = sorted(sources - set(CaseSource.values))
    if unknown:
        raise DomainError(f"未知的问题来源“{unknown[0]}”", field="sources")
    before = verify_photo_sources()
    for source in CaseSource.values:
        SourcePolicy.objects.update_or_create(source=source, defaults={"verify_photo_required": source in sources})
    after = verify_photo_sources()
    if before != after:
        record(
            actor=actor,
            verb="cases.verify_policy_updated",
            target_type="cases.sourcepolicy",
            changes={"verify_photo_sources": [sorted(before), sorted(after)]},
        )
    return after
