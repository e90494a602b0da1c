from django.urls import path

from chuangcheng.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.RoundListView.as_view(), name="round_list"),
    path("new/", views.RoundCreateView.as_view(), name="round_create"),
    path("mine/", views.MyVisitsView.as_view(), name="my_visits"),
    path("patrol/", views.PatrolView.as_view(), name="patrol"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("<int:pk>/verify-draw/", views.VerifyDrawView.as_view(), name="verify_draw"),
    path("<int:pk>/report.<str:fmt>", views.RoundReportView.as_view(), name="round_report"),
    path("<int:pk>/evaluation/", views.RoundEvaluationView.as_view(), name="round_evaluation"),
    path(
        "<int:pk>/evaluation.xlsx", views.RoundEvaluationView.as_view(), {"fmt": "xlsx"}, name="round_evaluation_xlsx"
    ),
    path("<int:pk>/<str:action>/", views.RoundActionView.as_view(), name="round_action"),
    path("visits/<int:pk>/", views.VisitFieldView.as_view(), name="visit_field"),
]
