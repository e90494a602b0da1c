"""Field work on observation-scored 测评标准 (模拟测评): the observations of a sync, completeness, cases.

Called by ``field.sync_visit`` inside its transaction (the visit row is locked there). Each observation
carries a client UUID; a known UUID (or a known visit × item × seq) is never stored twice, and a changed
answer replaces the stored one while its group has not become a case.

Completeness: a visit is submitted only when every observation-scored item of its checklist has all its
observations (1..观察频次) recorded as 达标, 不达标 or 不适用. 不适用 is recorded per observation (the phone
offers it for the whole item at once) and is left out of the 达标率. An item whose 观察频次 is 待核实 is
observed once.
"""

from __future__ import annotations

from collections import Counter

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from chuangcheng.core.errors import Conflict, DomainError
from chuangcheng.inspections import casebridge
from chuangcheng.inspections.models import Observation, RoundKind, SiteVisit
from chuangcheng.standards.models import CheckItem, Judgement

FIELDS = ("passed", "note")
# Sites per category in a new 模拟测评's default plan: not a figure of any standard (the facts give none),
# only a starting point the office edits on the round page.
MOCK_DEFAULT_PER_CATEGORY = 3


def default_plan(round_) -> dict[int, int]:
    """``{category_id: MOCK_DEFAULT_PER_CATEGORY}`` for each category the standard's observed items apply to
    (模拟测评 rounds only; other rounds and standards with sampling quotas keep their own defaults)."""
    if round_.standard_id is None or round_.kind != RoundKind.MOCK:
        return {}
    categories = (
        CheckItem.objects.filter(standard_id=round_.standard_id, judgement=Judgement.OBSERVE)
        .exclude(site_categories=None)
        .values_list("site_categories", flat=True)
        .distinct()
    )
    return {category_id: MOCK_DEFAULT_PER_CATEGORY for category_id in sorted(categories)}


def required(item) -> int:
    """How many observations the item needs at one point (观察频次; 1 when it is 待核实)."""
    return item.observations or 1


def observed_items(allowed: dict) -> dict:
    return {pk: item for pk, item in allowed.items() if item.judgement == Judgement.OBSERVE}


def _parse_passed(value, field_name: str):
    if value is None or value == "na":
        return None
    if value in (True, "pass", "true", 1):
        return True
    if value in (False, "fail", "false", 0):
        return False
    raise DomainError("观察结果须为“达标”“不达标”或“不适用”", field=field_name)


def sync_observations(visit: SiteVisit, payloads: list[dict], allowed: dict, actor, result, *, parse_uuid) -> None:
    """Store the observations of one sync; UUIDs go to ``result.created/updated/unchanged``."""
    if not payloads:
        return
    scored = observed_items(allowed)
    stored = list(Observation.objects.filter(visit=visit))
    by_uuid = {o.client_uuid: o for o in stored}
    by_key = {(o.check_item_id, o.seq): o for o in stored}
    with_case = {o.check_item_id for o in stored if o.case_id}
    for n, payload in enumerate(payloads):
        prefix = f"observations[{n}]"
        client_uuid = parse_uuid(payload.get("uuid"), f"{prefix}.uuid")
        item = scored.get(int(payload.get("check_item") or 0))
        if item is None:
            reason = (
                "该检查项不按观察计分" if int(payload.get("check_item") or 0) in allowed else "测评标准不适用于该点位"
            )
            raise DomainError(reason, field=f"{prefix}.check_item")
        seq = int(payload.get("seq") or 0)
        if not 1 <= seq <= required(item):
            raise DomainError(f"观察序号须在 1 至 {required(item)} 之间", field=f"{prefix}.seq")
        values = {
            "passed": _parse_passed(payload.get("passed"), f"{prefix}.passed"),
            "note": (payload.get("note") or "")[:2000],
        }
        known = by_uuid.get(client_uuid) or by_key.get((item.pk, seq))
        if known is not None and (known.check_item_id, known.seq) != (item.pk, seq):
            raise Conflict("客户端编号已用于其他观察", field=f"{prefix}.uuid")
        if known is None:
            if item.pk in with_case:
                raise Conflict("该测评标准已生成问题，不能再修改", field=f"{prefix}.passed")
            known, created = _insert(visit, item, seq, client_uuid, values, actor)
            if known.visit_id != visit.pk:
                raise Conflict("客户端编号已用于其他点位", field=f"{prefix}.uuid")
            by_uuid[known.client_uuid], by_key[(item.pk, seq)] = known, known
            if created:
                result.created.append(str(client_uuid))
                continue
        if all(getattr(known, k) == v for k, v in values.items()):
            result.unchanged.append(str(known.client_uuid))
            continue
        if item.pk in with_case:
            raise Conflict("该测评标准已生成问题，不能再修改", field=f"{prefix}.passed")
        for key, value in values.items():
            setattr(known, key, value)
        known.save(update_fields=list(FIELDS))
        result.updated.append(str(known.client_uuid))


def _insert(visit, item, seq, client_uuid, values, actor) -> tuple[Observation, bool]:
    """Insert, or take the row an overlapping sync of the same visit inserted first (see ``insert_finding``)."""
    try:
        with transaction.atomic():
            return (
                Observation.objects.create(
                    visit=visit, check_item=item, seq=seq, client_uuid=client_uuid, recorded_by=actor, **values
                ),
                True,
            )
    except IntegrityError:
        existing = (
            Observation.objects.filter(client_uuid=client_uuid).first()
            or Observation.objects.filter(visit=visit, check_item=item, seq=seq).first()
        )
        if existing is None:
            raise
        return existing, False


def require_complete(visit: SiteVisit, allowed: dict) -> None:
    """Refuse to submit a visit with observations missing (不适用 counts as recorded)."""
    scored = observed_items(allowed)
    if not scored:
        return
    counts = Counter(
        dict(
            Observation.objects.filter(visit=visit, check_item_id__in=list(scored))
            .values("check_item_id")
            .annotate(n=Count("pk"))
            .values_list("check_item_id", "n")
        )
    )
    missing = [(item, required(item) - counts[pk]) for pk, item in scored.items() if counts[pk] < required(item)]
    if missing:
        listed = "；".join(f"{item.code} {item.title}（缺 {gap} 次）" for item, gap in missing[:5])
        more = f" 等 {len(missing)} 项" if len(missing) > 5 else ""
        raise DomainError(
            f"尚有观察未记录：{listed}{more}。每次观察请选择“达标”或“不达标”，无法观察的请标为“不适用”后再提交",
            field="observations",
        )


def make_cases(visits, actor) -> list[int]:
    """One case per visit × 测评标准 with at least one 不达标 and no case yet; every observation of the
    group records the case."""
    failing = (
        Observation.objects.filter(visit__in=visits, passed=False, case_id__isnull=True)
        .values("visit_id", "check_item_id")
        .distinct()
        .order_by("visit_id", "check_item_id")
    )
    made = []
    for key in list(failing):
        group = Observation.objects.filter(visit_id=key["visit_id"], check_item_id=key["check_item_id"])
        tally = group.aggregate(
            failed=Count("pk", filter=Q(passed=False)), observed=Count("pk", filter=Q(passed__isnull=False))
        )
        first = group.select_related(
            "visit__round", "visit__site", "visit__category", "visit__area", "check_item"
        ).order_by("seq")[0]
        notes = [n for n in group.exclude(note="").order_by("seq").values_list("note", flat=True)]
        case = casebridge.case_for_observations(
            visit=first.visit, item=first.check_item, actor=actor, notes=notes, **tally
        )
        group.update(case_id=case.pk)
        made.append(case.pk)
    return made
