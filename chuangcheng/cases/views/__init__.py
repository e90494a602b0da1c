from chuangcheng.cases.views.actions import (
    AssignView,
    BulkView,
    CaseExportView,
    CaseTransitionView,
    PhotoUploadView,
    ReboundMarkView,
)
from chuangcheng.cases.views.pages import (
    CaseCreateView,
    CaseDetailView,
    CaseListView,
    CaseMapView,
    DispatchConsoleView,
    InboxView,
)
from chuangcheng.cases.views.rules import (
    DeadlineRuleCreateView,
    DeadlineRuleDeleteView,
    DeadlineRuleListView,
    DeadlineRuleUpdateView,
    RoutingRuleCreateView,
    RoutingRuleListView,
    RoutingRuleUpdateView,
    RuleDeleteView,
)

__all__ = [
    "AssignView",
    "BulkView",
    "CaseCreateView",
    "CaseDetailView",
    "CaseExportView",
    "CaseListView",
    "CaseMapView",
    "CaseTransitionView",
    "DeadlineRuleCreateView",
    "DeadlineRuleDeleteView",
    "DeadlineRuleListView",
    "DeadlineRuleUpdateView",
    "DispatchConsoleView",
    "InboxView",
    "PhotoUploadView",
    "ReboundMarkView",
    "RoutingRuleCreateView",
    "RoutingRuleListView",
    "RoutingRuleUpdateView",
    "RuleDeleteView",
]
