from django.urls import path

from chuangcheng.campaigns.views import plans, responsibility

app_name = "campaigns"
urlpatterns = [
    path("", plans.PlanListView.as_view(), name="index"),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.PlanUpdateView.as_view(), name="plan_update"),
    path("plans/<int:pk>/schedule/", plans.PlanScheduleView.as_view(), name="plan_schedule"),
    path("plans/<int:pk>/milestones/new/", plans.MilestoneCreateView.as_view(), name="milestone_create"),
    path("milestones/<int:pk>/edit/", plans.MilestoneUpdateView.as_view(), name="milestone_update"),
    path("milestones/<int:pk>/state/", plans.MilestoneStateView.as_view(), name="milestone_state"),
    path("plans/<int:pk>/tasks/new/", plans.TaskCreateView.as_view(), name="task_create"),
    path("plans/<int:pk>/timeline/", plans.PlanTimelineView.as_view(), name="plan_timeline"),
    path("plans/<int:pk>/ledger.xlsx", plans.PlanLedgerView.as_view(), name="plan_ledger"),
    path("tasks/", plans.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", plans.TaskDetailView.as_view(), name="task_detail"),
    path("letters/", responsibility.LetterListView.as_view(), name="letter_list"),
    path("letters/new/", responsibility.LetterCreateView.as_view(), name="letter_create"),
    path("letters/<int:pk>/", responsibility.LetterDetailView.as_view(), name="letter_detail"),
    path("letters/<int:pk>/scan/", responsibility.LetterScanView.as_view(), name="letter_scan"),
    path("leaders/", responsibility.LeaderListView.as_view(), name="leader_list"),
    path("leaders/assign/", responsibility.LeaderAssignView.as_view(), name="leader_assign"),
    path("leaders/<int:pk>/", responsibility.LeaderDetailView.as_view(), name="leader_detail"),
    path("pledges/", responsibility.PledgeListView.as_view(), name="pledge_list"),
    path("pledges/new/", responsibility.PledgeCreateView.as_view(), name="pledge_create"),
]
