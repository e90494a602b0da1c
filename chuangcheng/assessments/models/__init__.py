"""考核问责 models, split by sub-domain and re-exported here."""

from chuangcheng.assessments.models.outcomes import (
    AccountabilityKind,
    AccountabilityRecord,
    Commendation,
    Decision,
    DecisionKind,
)
from chuangcheng.assessments.models.periods import (
    IndicatorResult,
    ListFlag,
    Period,
    PeriodKind,
    PeriodStatus,
    ScoreLine,
    UnitScore,
)
from chuangcheng.assessments.models.schemes import (
    Normalisation,
    PeerGroup,
    Rule,
    RuleKind,
    Scheme,
    SchemeStatus,
)

__all__ = [
    "AccountabilityKind",
    "AccountabilityRecord",
    "Commendation",
    "Decision",
    "DecisionKind",
    "IndicatorResult",
    "ListFlag",
    "Normalisation",
    "PeerGroup",
    "Period",
    "PeriodKind",
    "PeriodStatus",
    "Rule",
    "RuleKind",
    "Scheme",
    "SchemeStatus",
    "ScoreLine",
    "UnitScore",
]
