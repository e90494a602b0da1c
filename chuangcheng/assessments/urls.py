from django.urls import path

from chuangcheng.assessments.views import outcomes, periods, schemes

app_name = "assessments"
urlpatterns = [
    path("", periods.PeriodListView.as_view(), name="period_list"),
    path("periods/new/", periods.PeriodCreateView.as_view(), name="period_create"),
    path("periods/<int:pk>/", periods.PeriodDetailView.as_view(), name="period_detail"),
    path("periods/<int:pk>/edit/", periods.PeriodUpdateView.as_view(), name="period_update"),
    path("periods/<int:pk>/indicators/", periods.IndicatorView.as_view(), name="period_indicators"),
    path("periods/<int:pk>/bulletin.docx", periods.BulletinView.as_view(), name="period_bulletin"),
    path("periods/<int:pk>/ledger.xlsx", periods.LedgerView.as_view(), name="period_ledger"),
    path("periods/<int:pk>/<slug:verb>/", periods.PeriodActionView.as_view(), name="period_action"),
    path("scores/<int:pk>/", periods.ScoreDetailView.as_view(), name="score_detail"),
    path("schemes/", schemes.SchemeListView.as_view(), name="scheme_list"),
    path("schemes/new/", schemes.SchemeCreateView.as_view(), name="scheme_create"),
    path("schemes/<int:pk>/", schemes.SchemeDetailView.as_view(), name="scheme_detail"),
    path("schemes/<int:pk>/edit/", schemes.SchemeUpdateView.as_view(), name="scheme_update"),
    path("schemes/<int:pk>/rules/new/", schemes.RuleFormView.as_view(), name="rule_create"),
    path("schemes/<int:pk>/rules/<int:row>/", schemes.RuleFormView.as_view(), name="rule_update"),
    path("schemes/<int:pk>/groups/new/", schemes.GroupFormView.as_view(), name="group_create"),
    path("schemes/<int:pk>/groups/<int:row>/", schemes.GroupFormView.as_view(), name="group_update"),
    path("schemes/<int:pk>/<slug:what>/<int:row>/delete/", schemes.RowDeleteView.as_view(), name="row_delete"),
    path("schemes/<int:pk>/<slug:verb>/", schemes.SchemeActionView.as_view(), name="scheme_action"),
    path("outcomes/", outcomes.OutcomeListView.as_view(), name="outcome_list"),
    path("outcomes/<slug:what>/new/", outcomes.OutcomeFormView.as_view(), name="outcome_create"),
    path("outcomes/<slug:what>/<int:pk>/", outcomes.OutcomeFormView.as_view(), name="outcome_update"),
]
