"""Writes for schemes (考核办法), their rules and peer groups. Published versions never change."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.permissions import require_in_jurisdiction
from chuangcheng.assessments import scoring
from chuangcheng.assessments.indicators import BY_CODE
from chuangcheng.assessments.models import Normalisation, PeerGroup, Rule, RuleKind, Scheme, SchemeStatus
from chuangcheng.assessments.permissions import can_manage_assessments, owns_assessment
from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import Conflict, DomainError, NotPermitted
from chuangcheng.org.models import UnitKind
from chuangcheng.programs.services import require_within

SCHEME_FIELDS = (
    "name",
    "description",
    "base_score",
    "normalisation",
    "max_deduction",
    "max_bonus",
    "min_score",
    "red_count",
    "black_count",
    "grade_bands",
    "sign_limit_days",
    "is_sample",
)
RULE_FIELDS = ("kind", "label", "points", "severity", "source", "cap", "params", "sort_order", "is_sample", "note")


def require_manager(actor, owned=None) -> None:
    """The office, or the system itself (``actor=None``: seeding, scheduled jobs); for an existing scheme or
    period (``owned``) the office of its campaign or a level above it (``permissions.owns_assessment``)."""
    if actor is not None and not can_manage_assessments(actor):
        raise NotPermitted("只有创建办可以维护考核")
    if actor is not None and owned is not None and not owns_assessment(actor, owned):
        raise NotPermitted("只有本考核所属创建活动的创建办或其上级创建办可以维护")


def _require_own_campaign(actor, campaign):
    """A lower level's office works through its campaign: required, visible and managed by the actor."""
    from chuangcheng.core.scoping import scope_of
    from chuangcheng.programs.services import require_campaign

    if actor is not None and campaign is None and not scope_of(actor).sees_all:
        raise DomainError("请选择本级的创建活动", field="campaign")
    return require_campaign(actor, campaign) if actor is not None else campaign


def _lock_draft(scheme: Scheme) -> Scheme:
    scheme = Scheme.objects.select_for_update(no_key=True).get(pk=scheme.pk)
    if scheme.is_published:
        raise Conflict("已发布的考核办法不可修改，请基于它新建版本")
    return scheme


def _check_scheme(values: dict) -> None:
    if values.get("normalisation", Normalisation.NONE) not in Normalisation.values:
        raise DomainError("未知的工作量折算方式", field="normalisation")
    bands = values.get("grade_bands") or {}
    if not isinstance(bands, dict) or any(k not in "ABCD" or not isinstance(v, int | float) for k, v in bands.items()):
        raise DomainError('等级线格式应为 {"A": 90, "B": 75, "C": 60, "D": 40}', field="grade_bands")
    for name in ("max_deduction", "max_bonus"):
        if values.get(name) is not None and Decimal(values[name]) < 0:
            raise DomainError("封顶分值不能为负数", field=name)


@transaction.atomic
def create_scheme(*, actor, code: str, name: str, campaign=None, **values) -> Scheme:
    require_manager(actor)
    campaign = _require_own_campaign(actor, campaign)
    unknown = set(values) - set(SCHEME_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}")
    code = code.strip()
    if not code or not name.strip():
        raise DomainError("编码和名称不能为空", field="code" if not code else "name")
    if Scheme.objects.filter(code=code).exists():
        raise DomainError(f"考核办法编码“{code}”已存在，修改请新建版本", field="code")
    _check_scheme(values)
    scheme = Scheme.objects.create(code=code, name=name.strip(), campaign=campaign, **values)
    record(actor=actor, verb="assessments.scheme_created", target=scheme, changes={"code": [None, code]})
    return scheme


@transaction.atomic
def update_scheme(*, scheme: Scheme, actor, **changes) -> Scheme:
    require_manager(actor, scheme)
    unknown = set(changes) - set(SCHEME_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    scheme = _lock_draft(scheme)
    _check_scheme({"normalisation": scheme.normalisation, **changes})
    delta = diff(scheme, changes)
    for name, value in changes.items():
        setattr(scheme, name, value)
    scheme.save()
    if delta:
        record(actor=actor, verb="assessments.scheme_updated", target=scheme, changes=delta)
    return scheme


@transaction.atomic
def publish_scheme(*, scheme: Scheme, actor) -> Scheme:
    require_manager(actor, scheme)
    scheme = _lock_draft(scheme)
    if not scheme.peer_groups.exists():
        raise DomainError("请先设置至少一个考核分组（被考核单位）", field="peer_groups")
    if not scheme.rules.exists():
        raise DomainError("请先设置至少一条考核规则", field="rules")
    scheme.status = SchemeStatus.PUBLISHED
    scheme.published_at = timezone.now()
    scheme.published_by = actor if getattr(actor, "is_authenticated", False) else None
    scheme.save()
    record(actor=actor, verb="assessments.scheme_published", target=scheme, changes={"status": ["draft", "published"]})
    return scheme


@transaction.atomic
def new_scheme_version(*, scheme: Scheme, actor) -> Scheme:
    """A draft copy (rules and peer groups included) with the next version number."""
    require_manager(actor, scheme)
    latest = Scheme.objects.filter(code=scheme.code).order_by("-version").first()
    copy = Scheme.objects.create(
        code=scheme.code,
        name=scheme.name,
        version=latest.version + 1,
        previous=scheme,
        campaign=scheme.campaign,
        **{name: getattr(scheme, name) for name in SCHEME_FIELDS if name != "name"},
    )
    Rule.objects.bulk_create(
        Rule(scheme=copy, **{name: getattr(rule, name) for name in RULE_FIELDS}) for rule in scheme.rules.all()
    )
    for group in scheme.peer_groups.prefetch_related("units"):
        clone = PeerGroup.objects.create(
            scheme=copy, name=group.name, unit_kinds=group.unit_kinds, sort_order=group.sort_order
        )
        clone.units.set(group.units.all())
    record(
        actor=actor,
        verb="assessments.scheme_versioned",
        target=copy,
        changes={"version": [scheme.version, copy.version]},
    )
    return copy


def _check_rule(values: dict) -> None:
    kind = values.get("kind")
    if kind not in RuleKind.values:
        raise DomainError("未知的规则类型", field="kind")
    params = values.get("params") or {}
    if not isinstance(params, dict):
        raise DomainError("参数必须是 JSON 对象", field="params")
    if values.get("points") is not None and Decimal(values["points"]) < 0:
        raise DomainError("分值填正数：扣分类规则自动按扣分计", field="points")
    if kind == scoring.INDICATOR_GRADE:
        if params.get("indicator") not in BY_CODE or not isinstance(params.get("grade_points"), dict):
            codes = "、".join(BY_CODE)
            raise DomainError(f"指标等级规则需要参数 indicator（{codes}）和 grade_points", field="params")
    if kind == scoring.FUND_DEDUCTION and not ("per_point" in params or "amount" in params):
        raise DomainError("扣罚经费规则需要参数 per_point（每扣1分金额）或 amount 加条件", field="params")
    if kind in (scoring.FUND_DEDUCTION, scoring.AWARD_INELIGIBLE) and "per_point" not in params:
        if not any(key in params for key in ("below_score", "black_list", "negative_list")):
            raise DomainError("请设置触发条件：below_score、black_list 或 negative_list", field="params")
    if params.get("attribute_to", "territorial") not in ("territorial", "department", "both"):
        raise DomainError(
            "督查发现归属 attribute_to 只能是 territorial（属地）、department（行业主管）或 both", field="params"
        )
    if kind == scoring.NEGATIVE_LIST and params.get("from", "cases") not in ("cases", "findings", "both"):
        raise DomainError("负面清单来源 from 只能是 cases、findings 或 both", field="params")


@transaction.atomic
def create_rule(*, actor, scheme: Scheme, kind: str, **values) -> Rule:
    require_manager(actor, scheme)
    scheme = _lock_draft(scheme)
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}")
    _check_rule({"kind": kind, **values})
    rule = Rule.objects.create(scheme=scheme, kind=kind, **values)
    record(actor=actor, verb="assessments.rule_created", target=rule, changes={"kind": [None, kind]})
    return rule


@transaction.atomic
def update_rule(*, rule: Rule, actor, **changes) -> Rule:
    require_manager(actor, rule.scheme)
    _lock_draft(rule.scheme)
    unknown = set(changes) - set(RULE_FIELDS) - {"scheme"}
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    if "scheme" in changes and changes.pop("scheme").pk != rule.scheme_id:
        raise DomainError("规则不能移到其他考核办法", field="scheme")
    rule = Rule.objects.select_for_update(no_key=True).get(pk=rule.pk)
    _check_rule({"kind": rule.kind, "params": rule.params, "points": rule.points, **changes})
    delta = diff(rule, changes)
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.save()
    if delta:
        record(actor=actor, verb="assessments.rule_updated", target=rule, changes=delta)
    return rule


@transaction.atomic
def delete_rule(*, rule: Rule, actor) -> None:
    require_manager(actor, rule.scheme)
    _lock_draft(rule.scheme)
    record(actor=actor, verb="assessments.rule_deleted", target=rule, changes={"kind": [rule.kind, None]})
    rule.delete()


def _check_group(unit_kinds) -> list:
    kinds = list(unit_kinds or [])
    if any(kind not in UnitKind.values for kind in kinds):
        raise DomainError("未知单位类型", field="unit_kinds")
    return kinds


@transaction.atomic
def create_peer_group(*, actor, scheme: Scheme, name: str, unit_kinds=(), units=(), sort_order: int = 0) -> PeerGroup:
    require_manager(actor, scheme)
    require_in_jurisdiction(actor, units, field="units", label="参评单位")
    scheme = _lock_draft(scheme)
    units = list(units)
    require_within(scheme.campaign, units, field="units", what="参评单位")
    if scheme.peer_groups.filter(name=name).exists():
        raise DomainError(f"分组“{name}”已存在", field="name")
    group = PeerGroup.objects.create(
        scheme=scheme, name=name, unit_kinds=_check_group(unit_kinds), sort_order=sort_order
    )
    group.units.set(units)
    record(actor=actor, verb="assessments.peer_group_created", target=group, changes={"name": [None, name]})
    return group


@transaction.atomic
def update_peer_group(*, group: PeerGroup, actor, **changes) -> PeerGroup:
    require_manager(actor, group.scheme)
    require_in_jurisdiction(actor, changes.get("units") or (), field="units", label="参评单位")
    _lock_draft(group.scheme)
    changes.pop("scheme", None)
    units = changes.pop("units", None)
    if units is not None:
        units = list(units)
        require_within(group.scheme.campaign, units, field="units", what="参评单位")
    if "unit_kinds" in changes:
        changes["unit_kinds"] = _check_group(changes["unit_kinds"])
    delta = diff(group, changes)
    for name, value in changes.items():
        setattr(group, name, value)
    group.save()
    if units is not None:
        group.units.set(units)
        delta["units"] = [None, sorted(unit.pk for unit in units)]
    record(actor=actor, verb="assessments.peer_group_updated", target=group, changes=delta)
    return group


@transaction.atomic
def delete_peer_group(*, group: PeerGroup, actor) -> None:
    require_manager(actor, group.scheme)
    _lock_draft(group.scheme)
    record(actor=actor, verb="assessments.peer_group_deleted", target=group, changes={"name": [group.name, None]})
    group.delete()
