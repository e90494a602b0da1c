from django.urls import path

from chuangcheng.civility.views import honours, publicity, windows

app_name = "civility"
urlpatterns = [
    path("", honours.IndexView.as_view(), name="index"),
    path("units/", honours.UnitListView.as_view(), name="unit_list"),
    path("units/new/", honours.UnitCreateView.as_view(), name="unit_create"),
    path("units/import/", honours.UnitImportView.as_view(), name="unit_import"),
    path("units/export.xlsx", honours.UnitExportView.as_view(), name="unit_export"),
    path("units/<int:pk>/", honours.UnitDetailView.as_view(), name="unit_detail"),
    path("units/<int:pk>/edit/", honours.UnitUpdateView.as_view(), name="unit_update"),
    path("units/<int:pk>/action/", honours.UnitActionView.as_view(), name="unit_action"),
    path("evidence/<int:pk>/", honours.EvidenceFileView.as_view(), name="evidence_file"),
    path("windows/", windows.WindowListView.as_view(), name="window_list"),
    path("windows/new/", windows.WindowUnitCreateView.as_view(), name="window_create"),
    path("windows/<int:pk>/", windows.WindowDetailView.as_view(), name="window_detail"),
    path("windows/<int:pk>/action/", windows.WindowActionView.as_view(), name="window_action"),
    path("industries/new/", windows.IndustryCreateView.as_view(), name="industry_create"),
    path("industries/<int:pk>/edit/", windows.IndustryUpdateView.as_view(), name="industry_update"),
    path("periods/new/", windows.PeriodCreateView.as_view(), name="period_create"),
    path("ranking/", windows.RankingView.as_view(), name="ranking"),
    path("ranking/<int:pk>/", windows.RankingView.as_view(), name="ranking_period"),
    path("ratings/<int:pk>/file/", windows.RatingFileView.as_view(), name="rating_file"),
    path("points/", publicity.PointListView.as_view(), name="point_list"),
    path("points/map/", publicity.PointMapView.as_view(), name="point_map"),
    path("points/<int:pk>/", publicity.PointDetailView.as_view(), name="point_detail"),
    path("checks/<int:pk>/case/", publicity.CheckCaseView.as_view(), name="check_case"),
    path("checks/<int:pk>/photo/", publicity.CheckPhotoView.as_view(), name="check_photo"),
]
