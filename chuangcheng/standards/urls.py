from django.urls import path

from chuangcheng.standards.views import browse, edit, indicators, manual

app_name = "standards"
urlpatterns = [
    path("", browse.StandardListView.as_view(), name="list"),
    path("new/", edit.StandardCreateView.as_view(), name="create"),
    path("compare/", browse.CompareView.as_view(), name="compare"),
    path("manual-template/", manual.ManualTemplateView.as_view(), name="manual_template"),
    path("indicators/", indicators.IndicatorBoardView.as_view(), name="indicator_board"),
    path("indicators/<int:pk>/", browse.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/report/", indicators.ReportIndicatorView.as_view(), name="report"),
    path("reports/<int:pk>/judge/", indicators.JudgeReportView.as_view(), name="judge"),
    path("items/<int:pk>/", browse.CheckItemDetailView.as_view(), name="item_detail"),
    path("evidence/<int:pk>/", browse.EvidenceDownloadView.as_view(), name="evidence"),
    path("<int:pk>/", browse.StandardDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", edit.StandardUpdateView.as_view(), name="edit"),
    path("<int:pk>/publish/", edit.StandardActionView.as_view(action="publish"), name="publish"),
    path("<int:pk>/draft/", edit.StandardActionView.as_view(action="draft"), name="create_draft"),
    path("<int:pk>/delete/", edit.StandardActionView.as_view(action="delete"), name="delete"),
    path("<int:pk>/import/", edit.RubricImportView.as_view(), name="import"),
    path("<int:pk>/export/", edit.RubricExportView.as_view(), name="export"),
    path("<int:pk>/manual-import/", manual.ManualImportView.as_view(), name="manual_import"),
    path("<int:pk>/manual-export/", manual.ManualExportView.as_view(), name="manual_export"),
    path("<int:standard_pk>/<str:kind>/new/", edit.RowFormView.as_view(), name="row_create"),
    path("rows/<str:kind>/<int:pk>/edit/", edit.RowFormView.as_view(), name="row_edit"),
    path("rows/<str:kind>/<int:pk>/delete/", edit.RowDeleteView.as_view(), name="row_delete"),
]
