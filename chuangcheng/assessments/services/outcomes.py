"""Writes for decisions (奖惩决定), accountability records and commendations, with documents."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from chuangcheng.assessments.models import (
    AccountabilityKind,
    AccountabilityRecord,
    Commendation,
    Decision,
    DecisionKind,
)
from chuangcheng.assessments.services.schemes import require_manager
from chuangcheng.audit.services import diff, record
from chuangcheng.core.errors import DomainError
from chuangcheng.core.uploads import check_upload

DOCUMENT_KINDS = ("pdf", "docx", "image")
DECISION_FIELDS = ("kind", "title", "doc_number", "decided_on", "content", "amount", "period", "unit")
ACCOUNTABILITY_FIELDS = (
    "kind",
    "reason",
    "occurred_on",
    "person",
    "person_name",
    "position",
    "decision",
    "period",
    "unit",
)
COMMENDATION_FIELDS = (
    "title",
    "reason",
    "awarded_on",
    "person",
    "person_name",
    "position",
    "decision",
    "period",
    "unit",
)
MODELS = {
    "decision": (Decision, DECISION_FIELDS, DecisionKind),
    "accountability": (AccountabilityRecord, ACCOUNTABILITY_FIELDS, AccountabilityKind),
    "commendation": (Commendation, COMMENDATION_FIELDS, None),
}


def _attach(instance, document) -> None:
    if document is None:
        return
    _, data = check_upload(document, field="document", kinds=DOCUMENT_KINDS)
    name = getattr(document, "name", "document") or "document"
    instance.document.save(name.rsplit("/", 1)[-1], ContentFile(data), save=False)


def _validate(kind_enum, values: dict) -> None:
    if kind_enum is not None and "kind" in values and values["kind"] not in kind_enum.values:
        raise DomainError("未知类型", field="kind")
    if values.get("unit") is None and "unit" in values:
        raise DomainError("请选择单位", field="unit")
    person = values.get("person")
    if person is not None and not values.get("person_name"):
        values["person_name"] = person.display_name


@transaction.atomic
def create_outcome(*, actor, what: str, document=None, **values):
    """Create a decision / accountability record / commendation (``what`` names which)."""
    require_manager(actor)
    model, fields, kind_enum = MODELS[what]
    unknown = set(values) - set(fields)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}")
    _validate(kind_enum, values)
    instance = model(created_by=actor if getattr(actor, "is_authenticated", False) else None, **values)
    _attach(instance, document)
    instance.save()
    record(
        actor=actor,
        verb=f"assessments.{what}_created",
        target=instance,
        unit=instance.unit,
        changes={"unit": [None, instance.unit_id], "document": [None, instance.document.name or None]},
    )
    return instance


@transaction.atomic
def update_outcome(*, instance, actor, document=None, **changes):
    require_manager(actor)
    what = {Decision: "decision", AccountabilityRecord: "accountability", Commendation: "commendation"}[type(instance)]
    model, fields, kind_enum = MODELS[what]
    unknown = set(changes) - set(fields)
    if unknown:
        raise DomainError(f"不可修改的字段：{'、'.join(sorted(unknown))}")
    instance = model.objects.select_for_update(no_key=True).get(pk=instance.pk)
    _validate(kind_enum, changes)
    delta = diff(instance, changes)
    for name, value in changes.items():
        setattr(instance, name, value)
    if document is not None:
        old = instance.document.name
        _attach(instance, document)
        delta["document"] = [old or None, instance.document.name]
    instance.save()
    if delta:
        record(actor=actor, verb=f"assessments.{what}_updated", target=instance, unit=instance.unit, changes=delta)
    return instance


def create_decision(*, actor, document=None, **values) -> Decision:
    return create_outcome(actor=actor, what="decision", document=document, **values)


def create_accountability_record(*, actor, document=None, **values) -> AccountabilityRecord:
    return create_outcome(actor=actor, what="accountability", document=document, **values)


def create_commendation(*, actor, document=None, **values) -> Commendation:
    return create_outcome(actor=actor, what="commendation", document=document, **values)
