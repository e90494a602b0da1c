"""The one place where civility talks to cases: a failed publicity check becomes a case, and a
文明单位's review reads the problems at its unit's sites (read-only)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Q

from chuangcheng.cases.models import Case
from chuangcheng.cases.selectors import for_list
from chuangcheng.cases.services import create_case

CASE_SOURCE = "self_check"
REF_PREFIX = "XCDW-"  # 宣传点位 checks: external_ref = prefix + check id (one case per check)


def case_for_check(*, check, actor) -> Case:
    """Create the case for a failed check: registered and routed at once, the check's photo as "before"."""
    site = check.site
    photos = []
    if check.photo:
        with check.photo.open("rb") as handle:
            photos.append(ContentFile(handle.read(), name=check.photo.name.rsplit("/", 1)[-1]))
    note = f"{check.note}\n" if check.note else ""
    return create_case(
        actor=actor,
        source=CASE_SOURCE,
        title=f"{site.name}：宣传点位{check.get_state_display()}"[:200],
        description=f"{note}{check.checked_on:%Y-%m-%d} 宣传点位检查发现“{check.get_state_display()}”。",
        category=site.category,
        site=site,
        lng=site.lng,
        lat=site.lat,
        photos=photos,
        external_ref=f"{REF_PREFIX}{check.pk}",
        auto_register=True,
    )


def cases_at_unit_sites(user, *, unit, year: int, limit: int = 50) -> tuple[int, list[Case]]:
    """Problems reported in ``year`` at sites whose territorial unit or sectoral department is in ``unit``'s
    subtree, as the user may see them: (count, first rows). Two queries."""
    where = Q(site__unit__path__startswith=unit.path) | Q(site__department__path__startswith=unit.path)
    cases = Case.objects.visible_to(user).filter(where, created_at__year=year)
    total = cases.count()
    return total, list(for_list(cases).select_related("site").order_by("-created_at")[:limit])
