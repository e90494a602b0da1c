from django.urls import path

from chuangcheng.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("inbox/", views.InboxView.as_view(), name="inbox"),
    path("dispatch/", views.DispatchConsoleView.as_view(), name="dispatch"),
    path("verify/", views.VerifyQueueView.as_view(), name="verify_queue"),
    path("map/", views.CaseMapView.as_view(), name="map"),
    path("export/", views.CaseExportView.as_view(), name="export"),
    path("bulk/", views.BulkView.as_view(), name="bulk"),
    path("rules/", views.RoutingRuleListView.as_view(), name="rules"),
    path("rules/new/", views.RoutingRuleCreateView.as_view(), name="rule_create"),
    path("rules/<int:pk>/edit/", views.RoutingRuleUpdateView.as_view(), name="rule_edit"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule_delete"),
    path("deadline-rules/", views.DeadlineRuleListView.as_view(), name="deadline_rules"),
    path("deadline-rules/new/", views.DeadlineRuleCreateView.as_view(), name="deadline_rule_create"),
    path("deadline-rules/<int:pk>/edit/", views.DeadlineRuleUpdateView.as_view(), name="deadline_rule_edit"),
    path("verify-policy/", views.VerifyPolicyView.as_view(), name="verify_policy"),
    path("deadline-rules/<int:pk>/delete/", views.DeadlineRuleDeleteView.as_view(), name="deadline_rule_delete"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/transition/", views.CaseTransitionView.as_view(), name="transition"),
    path("<int:pk>/assign/", views.AssignView.as_view(), name="assign"),
    path("<int:pk>/photos/", views.PhotoUploadView.as_view(), name="photos"),
    path("<int:pk>/rebound/", views.ReboundMarkView.as_view(), name="rebound"),
]
