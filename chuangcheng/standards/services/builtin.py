"""Loading the built-in catalogs (idempotent) and linking place categories by name."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.places.models import SiteCategory
from chuangcheng.standards.builtin import build_all
from chuangcheng.standards.builtin.categories import ALIASES, SEPARATOR, split_names
from chuangcheng.standards.builtin.spec import StandardSpec
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    Indicator,
    MaterialRequirement,
    SamplingQuota,
    Standard,
    StandardStatus,
)
from chuangcheng.standards.services.common import require_editor


def categories_for_names(names: list[str], catalog: dict[str, SiteCategory] | None = None) -> list[SiteCategory]:
    """Resolve fact/office spellings to categories: alias codes first, then exact name or code."""
    if catalog is None:
        catalog = _catalog()
    found: list[SiteCategory] = []
    for name in names:
        matches = [catalog.get(f"code:{code}") for code in ALIASES.get(name, ())]
        matches += [catalog.get(f"name:{name}"), catalog.get(f"code:{name}")]
        for match in matches:
            if match is not None and match not in found:
                found.append(match)
    return found


def _catalog() -> dict[str, SiteCategory]:
    catalog = {}
    for category in SiteCategory.objects.all():
        catalog[f"code:{category.code}"] = category
        catalog[f"name:{category.name}"] = category
    return catalog


@transaction.atomic
def link_site_categories(*, actor=None, standard: Standard | None = None) -> int:
    """Link check items (M2M) and sampling quotas (FK) to categories by their stored names.

    Links are added, never removed, so an office's manual links survive. Linking
    is not a content edit, so it also applies to published versions.
    """
    require_editor(actor)
    catalog = _catalog()
    if not catalog:
        return 0
    items = CheckItem.objects.exclude(site_category_names="").prefetch_related("site_categories")
    quotas = SamplingQuota.objects.filter(category__isnull=True)
    if standard is not None:
        items, quotas = items.filter(standard=standard), quotas.filter(standard=standard)
    through = CheckItem.site_categories.through
    new_links = []
    for item in items:
        have = {c.pk for c in item.site_categories.all()}
        for category in categories_for_names(split_names(item.site_category_names), catalog):
            if category.pk not in have:
                new_links.append(through(checkitem_id=item.pk, sitecategory_id=category.pk))
    through.objects.bulk_create(new_links)
    linked = len(new_links)
    for quota in quotas:
        match = categories_for_names([quota.category_name], catalog)
        if match:
            SamplingQuota.objects.filter(pk=quota.pk).update(category=match[0])
            linked += 1
    if linked:
        record(actor=actor, verb="standards.link_site_categories", target=standard, changes={"links": [0, linked]})
    return linked


def _write(spec: StandardSpec) -> Standard:
    standard = Standard(
        kind=spec.kind,
        code=spec.code,
        version=spec.version,
        name=spec.name,
        effective_date=datetime.date.fromisoformat(spec.effective_date) if spec.effective_date else None,
        issued_by=spec.issued_by,
        description=spec.description,
        source=spec.source,
        uncertain=spec.uncertain,
        is_builtin=True,
        status=StandardStatus.DRAFT,
    )
    standard.save()
    clauses = Clause.objects.bulk_create(
        [
            Clause(
                standard=standard,
                level=c.level,
                number=c.number,
                title=c.title,
                text=c.text,
                sort_order=index,
                source=c.source,
                uncertain=c.uncertain,
            )
            for index, c in enumerate(spec.clauses, start=1)
        ]
    )
    by_number = {c.number: c for c in clauses}
    for clause, clause_spec in zip(clauses, spec.clauses, strict=True):
        clause.parent = by_number.get(clause_spec.parent) if clause_spec.parent else None
        clause.section = by_number.get(clause_spec.section) if clause_spec.section else None
    Clause.objects.bulk_update(clauses, ["parent", "section"])

    def clause_of(number):
        return by_number[number] if number else None

    CheckItem.objects.bulk_create(
        [
            CheckItem(
                standard=standard,
                clause=clause_of(i.clause),
                code=i.code,
                title=i.title,
                description=i.description,
                site_category_names=SEPARATOR.join(i.categories),
                points=i.points,
                cap_per_site=i.cap_per_site,
                severity=i.severity,
                judgement=i.judgement,
                is_negative_list=i.is_negative_list,
                is_veto=i.is_veto,
                deadline_days=i.deadline_days,
                department_kind=i.department_kind,
                is_sample=i.is_sample,
                sort_order=index,
                source=i.source,
                uncertain=i.uncertain,
            )
            for index, i in enumerate(spec.items, start=1)
        ]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                standard=standard,
                clause=clause_of(i.clause),
                number=i.number,
                code=i.code,
                name=i.name,
                unit=i.unit,
                operator=i.operator,
                threshold=i.threshold,
                threshold_text=i.threshold_text,
                or_trend=i.or_trend,
                trend_window=i.trend_window,
                period_kind=i.period_kind,
                is_hard=i.is_hard,
                note=i.note,
                sort_order=index,
                source=i.source,
                uncertain=i.uncertain,
            )
            for index, i in enumerate(spec.indicators, start=1)
        ]
    )
    MaterialRequirement.objects.bulk_create(
        [
            MaterialRequirement(
                standard=standard,
                clause=clause_of(m.clause),
                code=m.code,
                title=m.title,
                description=m.description,
                years=m.years,
                is_sample=m.is_sample,
                sort_order=index,
                source=m.source,
                uncertain=m.uncertain,
            )
            for index, m in enumerate(spec.materials, start=1)
        ]
    )
    SamplingQuota.objects.bulk_create(
        [
            SamplingQuota(
                standard=standard,
                category_name=q.category_name,
                table=q.table,
                row_kind=q.row_kind,
                min_samples_small=q.samples[0],
                min_samples_medium=q.samples[1],
                min_samples_large=q.samples[2],
                focus=q.focus,
                sort_order=index,
                source=q.source,
                uncertain=q.uncertain,
            )
            for index, q in enumerate(spec.quotas, start=1)
        ]
    )
    standard.status = StandardStatus.PUBLISHED
    standard.published_at = timezone.now()
    standard.save()
    return standard


@transaction.atomic
def load_builtin_standards(*, actor=None) -> dict[str, int]:
    """Create each built-in version once (published), then link place categories.

    Idempotent: an existing (code, version) is left untouched, so running it again
    changes nothing; office edits live in their own drafts/versions.
    """
    require_editor(actor)
    created = 0
    for spec in build_all():
        if Standard.objects.filter(code=spec.code, version=spec.version).exists():
            continue
        standard = _write(spec)
        created += 1
        record(
            actor=actor,
            verb="standards.load_builtin",
            target=standard,
            changes={"clauses": [0, len(spec.clauses)], "indicators": [0, len(spec.indicators)]},
        )
    linked = link_site_categories(actor=actor)
    return {"created": created, "linked": linked}
