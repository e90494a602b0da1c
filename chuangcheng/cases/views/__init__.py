from chuangcheng.cases.views.actions import (
    AssignView,
    BulkView,
    CaseExportView,
    CaseTransitionView,
    PhotoUploadView,
)
from chuangcheng.cases.views.pages import (
    CaseCreateView,
    CaseDetailView,
    CaseListView,
    CaseMapView,
    DispatchConsoleView,
    InboxView,
    RoutingRuleListView,
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
    "DispatchConsoleView",
    "InboxView",
    "PhotoUploadView",
    "RoutingRuleListView",
]
