"""Standards as versions: create, edit (drafts only), new draft from published, publish."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import DomainError
from chuangcheng.standards.models import (
    CheckItem,
    Clause,
    Indicator,
    MaterialRequirement,
    SamplingQuota,
    Standard,
    StandardKind,
    StandardStatus,
)
from chuangcheng.standards.services.common import lock_draft, require_editor

STANDARD_FIELDS = (
    "kind",
    "code",
    "name",
    "version",
    "effective_date",
    "issued_by",
    "description",
    "source",
    "uncertain",
)


def _check_identity(kind: str, code: str, version: str, exclude: int | None = None) -> None:
    if kind not in StandardKind.values:
        raise DomainError(f"未知标准类型“{kind}”", field="kind")
    if not code.strip():
        raise DomainError("标准编码不能为空", field="code")
    if not version.strip():
        raise DomainError("版本不能为空", field="version")
    clash = Standard.objects.filter(code=code.strip(), version=version.strip())
    if exclude:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise DomainError(f"标准“{code}”的版本“{version}”已存在", field="version")


@transaction.atomic
def create_standard(
    *,
    actor,
    kind: str,
    code: str,
    name: str,
    version: str,
    effective_date: datetime.date | None = None,
    issued_by: str = "",
    description: str = "",
    source: str = "",
    uncertain: bool = False,
    is_builtin: bool = False,
) -> Standard:
    require_editor(actor)
    _check_identity(kind, code, version)
    if not name.strip():
        raise DomainError("名称不能为空", field="name")
    standard = Standard(
        kind=kind,
        code=code.strip(),
        name=name.strip(),
        version=version.strip(),
        effective_date=effective_date,
        issued_by=issued_by,
        description=description,
        source=source,
        uncertain=uncertain,
        is_builtin=is_builtin,
        status=StandardStatus.DRAFT,
    )
    standard.save()
    record(actor=actor, verb="standards.create", target=standard, changes={"version": [None, standard.version]})
    return standard


@transaction.atomic
def update_standard(*, standard: Standard, actor, **fields) -> Standard:
    require_editor(actor)
    standard = lock_draft(standard)
    unknown = set(fields) - set(STANDARD_FIELDS)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    merged = {name: fields.get(name, getattr(standard, name)) for name in STANDARD_FIELDS}
    _check_identity(merged["kind"], merged["code"], merged["version"], exclude=standard.pk)
    changes = diff(standard, fields)
    for name, value in fields.items():
        setattr(standard, name, value)
    standard.save()
    record(actor=actor, verb="standards.update", target=standard, changes=changes)
    return standard


@transaction.atomic
def delete_standard(*, standard: Standard, actor) -> None:
    require_editor(actor)
    standard = lock_draft(standard)
    if standard.indicators.filter(reports__isnull=False).exists():
        raise DomainError("该草稿的指标已有填报数据，不能删除")
    record(actor=actor, verb="standards.delete", target=standard, changes={"status": [standard.status, None]})
    standard.delete()


@transaction.atomic
def publish_standard(*, standard: Standard, actor) -> Standard:
    """Freeze a draft: from now on it is immutable."""
    require_editor(actor)
    standard = lock_draft(standard)
    if not standard.clauses.exists() and not standard.check_items.exists() and not standard.indicators.exists():
        raise DomainError("空的标准不能发布：请先添加条款、检查项或指标")
    standard.status = StandardStatus.PUBLISHED
    standard.published_at = timezone.now()
    standard.save()
    record(
        actor=actor,
        verb="standards.publish",
        target=standard,
        changes={"status": [StandardStatus.DRAFT, StandardStatus.PUBLISHED]},
    )
    return standard


def _next_version(source: Standard) -> str:
    base = f"{source.version}-草稿"
    candidate, n = base, 1
    while Standard.objects.filter(code=source.code, version=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def create_draft_from(*, standard: Standard, actor, version: str = "", name: str = "") -> Standard:
    """A new draft that deep-copies the tree of ``standard`` (clauses, items with their
    site categories, indicators, materials, sampling quotas)."""
    require_editor(actor)
    source = Standard.objects.get(pk=standard.pk)
    version = (version or "").strip() or _next_version(source)
    _check_identity(source.kind, source.code, version)
    draft = Standard(
        kind=source.kind,
        code=source.code,
        name=name.strip() or source.name,
        version=version,
        effective_date=source.effective_date,
        issued_by=source.issued_by,
        description=source.description,
        source=source.source,
        uncertain=source.uncertain,
        based_on=source,
        status=StandardStatus.DRAFT,
    )
    draft.save()
    copy_tree(source, draft)
    record(
        actor=actor,
        verb="standards.create_draft",
        target=draft,
        changes={"based_on": [None, source.pk], "version": [None, draft.version]},
    )
    return draft


def _copy_rows(model, source: Standard, target: Standard, clause_map: dict[int, int]) -> dict[int, object]:
    old_rows = list(model.objects.filter(standard=source).order_by("id"))
    new_rows = []
    for row in old_rows:
        clone = model(**{f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields if not f.primary_key})
        clone.standard_id = target.pk
        if hasattr(clone, "clause_id") and clone.clause_id:
            clone.clause_id = clause_map[clone.clause_id]
        new_rows.append(clone)
    created = model.objects.bulk_create(new_rows)
    return {old.pk: new for old, new in zip(old_rows, created, strict=True)}


def copy_tree(source: Standard, target: Standard) -> None:
    """Copy every row under ``source`` to ``target`` (a draft), remapping clause links."""
    clauses = list(Clause.objects.filter(standard=source).order_by("id"))
    fields = [f.attname for f in Clause._meta.concrete_fields if not f.primary_key]
    created = Clause.objects.bulk_create(
        [Clause(**{name: getattr(c, name) for name in fields} | {"standard_id": target.pk}) for c in clauses]
    )
    clause_map = {old.pk: new.pk for old, new in zip(clauses, created, strict=True)}
    relinked = []
    for old, new in zip(clauses, created, strict=True):
        new.parent_id = clause_map.get(old.parent_id) if old.parent_id else None
        new.section_id = clause_map.get(old.section_id) if old.section_id else None
        relinked.append(new)
    Clause.objects.bulk_update(relinked, ["parent", "section"])
    item_map = _copy_rows(CheckItem, source, target, clause_map)
    through = CheckItem.site_categories.through
    links = through.objects.filter(checkitem__standard=source).values_list("checkitem_id", "sitecategory_id")
    through.objects.bulk_create(
        [through(checkitem_id=item_map[item_id].pk, sitecategory_id=cat_id) for item_id, cat_id in links]
    )
    for model in (Indicator, MaterialRequirement, SamplingQuota):
        _copy_rows(model, source, target, clause_map)
