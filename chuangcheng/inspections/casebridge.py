"""The one place where inspections talks to cases: the re-check pool and turning findings into cases."""

from __future__ import annotations

from django.core.files.base import ContentFile

from chuangcheng.cases.models import Case, CaseStatus
from chuangcheng.cases.services import create_case
from chuangcheng.inspections.models import Finding, InspectionRound, SiteVisit
from chuangcheng.inspections.selectors import area_subtree_ids


def closed_case_ids(*, since, until, area_ids: list[int]) -> list[int]:
    """Cases closed in ``[since, until)`` inside the areas (anywhere when no areas), for 复查抽查."""
    cases = Case.objects.filter(status=CaseStatus.CLOSED, closed_at__gte=since, closed_at__lt=until)
    if area_ids:
        cases = cases.filter(area_id__in=area_subtree_ids(area_ids))
    return sorted(cases.values_list("pk", flat=True))


def recheck_visits(round_: InspectionRound, case_ids: list[int], *, start: int) -> list[SiteVisit]:
    cases = Case.objects.select_related("site", "lead_unit").in_bulk(case_ids)
    visits = []
    for n, case_id in enumerate(case_ids):
        case = cases[case_id]
        site = case.site
        visits.append(
            SiteVisit(
                round=round_,
                site=site,
                category_id=case.category_id or (site.category_id if site else None),
                area_id=case.area_id or (site.area_id if site else None),
                unit_id=site.unit_id if site else case.lead_unit_id,
                department_id=site.department_id if site else None,
                is_recheck=True,
                recheck_case_id=case.pk,
                sort_order=start + n,
            )
        )
    return visits


def case_number(case_id: int | None) -> str:
    if case_id is None:
        return ""
    return Case.objects.filter(pk=case_id).values_list("number", flat=True).first() or ""


def case_for_finding(*, finding: Finding, actor) -> Case:
    """Create the case for one deduction: registered and routed at once (source: inspection)."""
    visit = finding.visit
    item = finding.check_item
    photos = []
    for photo in finding.photos.all():
        with photo.image.open("rb") as handle:
            photos.append(ContentFile(handle.read(), name=photo.image.name.rsplit("/", 1)[-1]))
    # Check items state the requirement (“路面平整，照明设施完好”); the case names the failure.
    title = f"{visit.site.name if visit.site else ''}：不符合“{item.title}”".strip("：")
    note = f"{finding.note}\n" if finding.note else ""
    description = f"{note}{visit.round.get_kind_display()}《{visit.round.name}》发现，共 {finding.count} 处。"
    return create_case(
        actor=actor,
        source="inspection",
        title=title[:200],
        description=description,
        check_item=item,
        category=visit.category,
        site=visit.site,
        area=visit.area,
        lng=finding.lng if finding.lng is not None else visit.lng,
        lat=finding.lat if finding.lat is not None else visit.lat,
        severity=item.severity,
        photos=photos,
        auto_register=True,
        round_visit=visit,
    )


def case_for_observations(*, visit: SiteVisit, item, failed: int, observed: int, notes, actor) -> Case:
    """Create the case for one 测评标准 failed at one point of a 模拟测评 (one case per visit × item)."""
    title = f"{visit.site.name if visit.site else ''}：不符合“{item.title}”".strip("：")
    note = "".join(f"{n}\n" for n in notes)
    description = f"{note}{visit.round.get_kind_display()}《{visit.round.name}》观察 {observed} 次，{failed} 次不达标。"
    return create_case(
        actor=actor,
        source="inspection",
        title=title[:200],
        description=description,
        check_item=item,
        category=visit.category,
        site=visit.site,
        area=visit.area,
        lng=visit.lng,
        lat=visit.lat,
        severity=item.severity,
        photos=[],
        auto_register=True,
        round_visit=visit,
    )


def case_check_item_id(case_id: int) -> int | None:
    return Case.objects.filter(pk=case_id).values_list("check_item_id", flat=True).first()


def case_for_patrol(*, entry, actor) -> Case:
    photos = []
    for photo in entry.photos.filter(kind="before"):
        with photo.image.open("rb") as handle:
            photos.append(ContentFile(handle.read(), name=photo.image.name.rsplit("/", 1)[-1]))
    severity = entry.check_item.severity if entry.check_item_id else "normal"
    return create_case(
        actor=actor,
        source="patrol",
        title=entry.description.splitlines()[0][:60],
        description=entry.description,
        check_item=entry.check_item,
        category=entry.category,
        area=entry.area,
        lng=entry.lng,
        lat=entry.lat,
        severity=severity,
        photos=photos,
        auto_register=True,
    )
