"""Writing a checked 测评操作手册 into a draft: 测评项目/测评内容 clauses, 测评标准 items, 申报材料."""

from __future__ import annotations

from django.db import transaction

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError
from chuangcheng.places.models import SiteCategory
from chuangcheng.standards.builtin.categories import split_names
from chuangcheng.standards.models import CheckItem, Clause, ClauseLevel, MaterialRequirement, Standard
from chuangcheng.standards.services.builtin import _catalog, categories_for_names
from chuangcheng.standards.services.common import lock_draft, require_editor
from chuangcheng.standards.services.manual_io import MANUAL_KINDS, Manual, read_manual


@transaction.atomic
def import_manual(*, actor, standard: Standard, data: bytes, filename: str = "") -> dict[str, int]:
    """Upsert 测评项目/测评内容 (by 编号), 测评标准 (by 编码) and 申报材料 into a draft of a 创文, minors or
    local standard; nothing is written when any row is wrong."""
    require_editor(actor)
    standard = lock_draft(standard)
    if standard.kind not in MANUAL_KINDS:
        raise DomainError("只有全国文明城市、未成年人思想道德建设测评或地方标准可以导入测评手册", field="standard")
    manual = read_manual(data=data, filename=filename)
    counts = _write_manual(standard, manual)
    record(actor=actor, verb="standards.import_manual", target=standard, changes={k: [0, v] for k, v in counts.items()})
    return counts


def _upsert_clause(standard, clauses, counts, *, number, **values) -> Clause:
    clause = clauses.get(number)
    if clause is None:
        clause = Clause(standard=standard, number=number, sort_order=len(clauses) + 1)
        counts["clauses_created"] += 1
    for name, value in values.items():
        setattr(clause, name, value)
    clause.save()
    clauses[number] = clause
    return clause


def _write_manual(standard: Standard, manual: Manual) -> dict[str, int]:
    clauses = {c.number: c for c in Clause.objects.filter(standard=standard)}
    items = {i.code: i for i in CheckItem.objects.filter(standard=standard)}
    materials = {(m.clause_id, m.title) for m in MaterialRequirement.objects.filter(standard=standard)}
    counts = {"clauses_created": 0, "items_created": 0, "items_updated": 0, "materials_created": 0}
    catalog: dict[str, SiteCategory] = _catalog()
    for project in manual.projects.values():
        section = _upsert_clause(
            standard,
            clauses,
            counts,
            number=project.number,
            title=project.title[:200],
            level=ClauseLevel.SECTION,
            parent=None,
            section=None,
            full_points=project.points,
        )
        for number in project.contents:
            content = manual.contents[number]
            article = _upsert_clause(
                standard,
                clauses,
                counts,
                number=number,
                title=content.title[:200],
                level=ClauseLevel.ARTICLE,
                parent=section,
                section=section,
                full_points=content.points,
                methods=",".join(content.methods),
            )
            for parsed in content.items:
                fields = {k: v for k, v in parsed.items() if k != "row"}
                item = items.get(parsed["code"])
                if item is None:
                    item = items[parsed["code"]] = CheckItem(standard=standard, sort_order=parsed["row"])
                    counts["items_created"] += 1
                else:
                    counts["items_updated"] += 1
                for name, value in fields.items():
                    setattr(item, name, value)
                item.clause = article
                item.save()
                item.site_categories.set(categories_for_names(split_names(item.site_category_names), catalog))
            for index, title in enumerate(content.materials, start=1):
                if (article.pk, title) in materials:
                    continue
                MaterialRequirement(
                    standard=standard,
                    clause=article,
                    code=f"{number}-M{index}"[:40],
                    title=title,
                    is_sample=content.sample,
                    sort_order=index,
                ).save()
                materials.add((article.pk, title))
                counts["materials_created"] += 1
    return counts
