"""Indicator reporting by responsible units, with evidence files and compliance judgements."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chuangcheng.audit.services import record
from chuangcheng.core.errors import DomainError, NotPermitted
from chuangcheng.core.uploads import check_upload
from chuangcheng.standards.compliance import judge
from chuangcheng.standards.models import (
    Compliance,
    Indicator,
    IndicatorEvidence,
    IndicatorReport,
    Operator,
    PeriodKind,
)
from chuangcheng.standards.permissions import can_edit_standards, can_report_for

PERIOD_PATTERNS = {
    PeriodKind.YEAR: (re.compile(r"^\d{4}$"), "年度期间格式为“2025”"),
    PeriodKind.HALF: (re.compile(r"^\d{4}-H[12]$"), "半年期间格式为“2025-H1”"),
    PeriodKind.QUARTER: (re.compile(r"^\d{4}-Q[1-4]$"), "季度期间格式为“2025-Q1”"),
    PeriodKind.MONTH: (re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"), "月度期间格式为“2025-03”"),
}
EVIDENCE_KINDS = ("image", "pdf", "docx", "xlsx")


def _check_period(indicator: Indicator, period: str) -> str:
    period = (period or "").strip().upper()
    pattern, message = PERIOD_PATTERNS[indicator.period_kind]
    if not pattern.match(period):
        raise DomainError(message, field="period")
    return period


def same_indicator_q(indicator: Indicator) -> dict:
    """Reports of an indicator across versions of its standard (matched by codes)."""
    return {"indicator__standard__code": indicator.standard.code, "indicator__code": indicator.code}


def history_for(indicator: Indicator, unit, before: str) -> list[tuple[str, Decimal | None, str]]:
    """Earlier values of the unit for this indicator (any version), oldest first."""
    return list(
        IndicatorReport.objects.filter(**same_indicator_q(indicator), unit=unit, period__lt=before)
        .order_by("period")
        .values_list("period", "value", "value_text")
    )


def _history(report: IndicatorReport) -> list[tuple[str, Decimal | None, str]]:
    return history_for(report.indicator, report.unit, report.period)


def rejudge(report: IndicatorReport) -> IndicatorReport:
    """Judge a report against its indicator and the unit's earlier values (no audit: derived data)."""
    manual = (report.manual_verdict, report.manual_reason)
    compliance, reason = judge(report.indicator, report.value, report.value_text, _history(report), manual)
    if (compliance, reason[:300]) != (report.compliance, report.compliance_reason):
        IndicatorReport.objects.filter(pk=report.pk).update(compliance=compliance, compliance_reason=reason[:300])
        report.compliance, report.compliance_reason = compliance, reason[:300]
    return report


def rejudge_indicator(indicator: Indicator) -> int:
    """Re-judge every report of an indicator (e.g. after its threshold was filled in)."""
    reports = list(IndicatorReport.objects.filter(indicator=indicator).select_related("indicator", "unit"))
    for report in reports:
        rejudge(report)
    return len(reports)


@transaction.atomic
def report_indicator(
    *,
    actor,
    indicator: Indicator,
    unit,
    period: str,
    value: Decimal | None = None,
    value_text: str = "",
    note: str = "",
    evidence=(),
) -> IndicatorReport:
    """Create or revise the unit's value for ``period``; later periods are re-judged too."""
    if not can_report_for(actor, unit):
        raise NotPermitted("您无权为该单位填报指标")
    period = _check_period(indicator, period)
    if value is None and not (value_text or "").strip():
        raise DomainError("请填写数值或文字值（等级）", field="value")
    report = (
        IndicatorReport.objects.select_for_update(no_key=True)
        .filter(indicator=indicator, unit=unit, period=period)
        .first()
    )
    if report is None:
        report = IndicatorReport(indicator=indicator, unit=unit, period=period, reported_by=actor)
        changes = {"value": [None, str(value) if value is not None else value_text]}
    else:
        changes = {}
        if report.value != value:
            changes["value"] = [str(report.value), str(value)]
        if report.value_text != value_text:
            changes["value_text"] = [report.value_text, value_text]
    if report.manual_verdict and {"value", "value_text"} & set(changes) and report.pk is not None:
        # A revised value needs a fresh verdict: the office judged the old one.
        changes["manual_verdict"] = [report.manual_verdict, ""]
        report.manual_verdict, report.manual_reason, report.judged_by, report.judged_at = "", "", None, None
    report.value, report.value_text, report.note = value, (value_text or "").strip(), note
    report.reported_by = actor
    report.save()
    rejudge(report)
    later_reports = IndicatorReport.objects.filter(**same_indicator_q(indicator), unit=unit, period__gt=period)
    for later in later_reports.select_related("indicator__standard"):
        rejudge(later)
    for upload in evidence:
        _store_evidence(report, upload, actor)
    changes["compliance"] = [None, report.compliance]
    record(actor=actor, verb="standards.report_indicator", target=report, unit=unit, changes=changes)
    return report


@transaction.atomic
def judge_manually(*, actor, report: IndicatorReport, verdict: str, reason: str) -> IndicatorReport:
    """The office's verdict (达标/未达标) on a value of an indicator judged by a person."""
    if not can_edit_standards(actor):
        raise NotPermitted("只有创建办可以人工判定指标")
    report = IndicatorReport.objects.select_for_update(no_key=True).select_related("indicator").get(pk=report.pk)
    if report.indicator.operator != Operator.MANUAL:
        raise DomainError("该指标按目标值自动判定，不能人工判定", field="verdict")
    if verdict not in (Compliance.PASS, Compliance.FAIL):
        raise DomainError("判定结果只能是“达标”或“未达标”", field="verdict")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写判定依据", field="reason")
    if len(reason) > 280:
        raise DomainError("判定依据不能超过280字", field="reason")
    changes = {"manual_verdict": [report.manual_verdict, verdict], "manual_reason": [report.manual_reason, reason]}
    report.manual_verdict, report.manual_reason = verdict, reason
    report.judged_by, report.judged_at = actor, timezone.now()
    report.save(update_fields=["manual_verdict", "manual_reason", "judged_by", "judged_at", "updated_at"])
    rejudge(report)
    record(actor=actor, verb="standards.judge_indicator", target=report, unit=report.unit, changes=changes)
    return report


def _store_evidence(report: IndicatorReport, upload, actor) -> IndicatorEvidence:
    kind, data = check_upload(upload, field="evidence", kinds=EVIDENCE_KINDS)
    name = (getattr(upload, "name", "") or "佐证材料").rsplit("/", 1)[-1][:200]
    evidence = IndicatorEvidence(report=report, name=name, kind=kind, uploaded_by=actor)
    evidence.file.save(name, ContentFile(data), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def add_indicator_evidence(*, actor, report: IndicatorReport, upload) -> IndicatorEvidence:
    if not can_report_for(actor, report.unit):
        raise NotPermitted("您无权为该单位上传佐证材料")
    evidence = _store_evidence(report, upload, actor)
    record(
        actor=actor,
        verb="standards.add_evidence",
        target=report,
        unit=report.unit,
        changes={"file": [None, evidence.name]},
    )
    return evidence


@transaction.atomic
def delete_indicator_evidence(*, actor, evidence: IndicatorEvidence) -> None:
    if not can_report_for(actor, evidence.report.unit):
        raise NotPermitted("您无权删除该佐证材料")
    record(
        actor=actor,
        verb="standards.delete_evidence",
        target=evidence.report,
        unit=evidence.report.unit,
        changes={"file": [evidence.name, None]},
    )
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
