"""Case models, split by sub-domain and re-exported here."""

from chuangcheng.cases.models.cases import Case, CaseCounter, CaseSource, CaseStatus, Severity
from chuangcheng.cases.models.rules import DeadlineRule, RoutingRule, SourcePolicy
from chuangcheng.cases.models.timeline import CasePhoto, CaseTransition, PhotoKind

__all__ = [
    "Case",
    "CaseCounter",
    "CasePhoto",
    "CaseSource",
    "CaseStatus",
    "CaseTransition",
    "DeadlineRule",
    "PhotoKind",
    "RoutingRule",
    "Severity",
    "SourcePolicy",
]
